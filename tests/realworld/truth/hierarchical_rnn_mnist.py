def model(keras):
    L = keras.layers
    x = keras.Input(shape=(28, 28, 1))
    rows = L.TimeDistributed(L.LSTM(128))(x)
    return keras.Model(x, L.Dense(10, activation="softmax")(L.LSTM(128)(rows)))
