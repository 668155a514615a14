def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(200, 6)),
        L.Masking(mask_value=0.0),
        L.GRU(48, return_sequences=True, recurrent_dropout=0.1),
        L.GaussianNoise(0.05),
        L.GRU(24, go_backwards=True),
        L.BatchNormalization(),
        L.Dense(12, activation="relu"),
        L.Dense(6, activation="softmax"),
    ])
