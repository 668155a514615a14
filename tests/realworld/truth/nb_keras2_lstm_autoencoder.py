def _autoencoder(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(9, 1)),
        L.LSTM(100, activation="relu"),
        L.RepeatVector(9),
        L.LSTM(100, activation="relu", return_sequences=True),
        L.TimeDistributed(L.Dense(1)),
    ])


def model(keras):
    return _autoencoder(keras)


def encoder(keras):
    auto = _autoencoder(keras)
    return keras.Model(inputs=auto.inputs, outputs=auto.layers[0].output)
