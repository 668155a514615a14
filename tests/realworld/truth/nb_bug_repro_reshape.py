def ok(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(10, 4)), L.LSTM(20, return_sequences=True), L.Reshape((20, 10)), L.GRU(5)])


def broken(keras):  # Keras 3 rejects reshaping 200 values into 150
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(10, 4)), L.LSTM(20, return_sequences=True), L.Reshape((15, 10)), L.GRU(5)])
