def model(keras):
    L = keras.layers
    clip = keras.Input(shape=(16, 64, 64, 3))
    x = L.TimeDistributed(L.Conv2D(16, (3, 3), activation="relu"))(clip)
    x = L.TimeDistributed(L.MaxPooling2D((2, 2)))(x)
    x = L.TimeDistributed(L.Conv2D(32, (3, 3), activation="relu"))(x)
    x = L.TimeDistributed(L.GlobalAveragePooling2D())(x)
    return keras.Model(clip, L.Dense(5, activation="softmax")(L.LSTM(64)(x)))
