def univar_model(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(None, 1)), L.SimpleRNN(32), L.Dense(1)])


def deep_model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 1)),
        L.SimpleRNN(32, return_sequences=True),
        L.SimpleRNN(32, return_sequences=True),
        L.SimpleRNN(32),
        L.Dense(1),
    ])


def lstm_model(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(None, 5)), L.LSTM(32, return_sequences=True), L.Dense(14)])
