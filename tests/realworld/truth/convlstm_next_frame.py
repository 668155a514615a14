def seq(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 40, 40, 1)),
        L.ConvLSTM2D(40, (3, 3), padding="same", return_sequences=True),
        L.BatchNormalization(),
        L.ConvLSTM2D(40, (3, 3), padding="same", return_sequences=True),
        L.BatchNormalization(),
        L.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same"),
    ])
