def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(30, 4)),
        L.LSTM(32, return_sequences=True),
        L.Lambda(lambda x: x[:, -1, :]),
        L.Dense(1),
    ])
