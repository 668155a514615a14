def encoder(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(20, 8)), L.LSTM(64, return_sequences=True), L.LSTM(32)], name="encoder")


def model(keras):
    L = keras.layers
    series, static = keras.Input(shape=(20, 8)), keras.Input(shape=(4,))
    joined = L.concatenate([encoder(keras)(series), static])
    return keras.Model([series, static], L.Dense(3)(L.Dense(16, activation="relu")(joined)))
