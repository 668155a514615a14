def linear_model(keras):
    return keras.Sequential([keras.Input(shape=(56,)), keras.layers.Dense(1)])


def univar_lstm(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(None, 1)), L.LSTM(32), L.Dense(1)])


def conv_rnn_model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 5)),
        L.Conv1D(32, 4, strides=2, activation="relu"),
        L.GRU(32, return_sequences=True),
        L.Dense(14),
    ])


def wavenet_model(keras):
    L = keras.layers
    m = keras.Sequential([keras.Input(shape=(None, 5))])
    for rate in (1, 2, 4, 8) * 2:
        m.add(L.Conv1D(32, 2, padding="causal", activation="relu", dilation_rate=rate))
    m.add(L.Conv1D(14, 1))
    return m
