def model(keras):
    L = keras.layers
    inputs = keras.Input(shape=(40, 9))
    x = L.GRU(32)(L.LayerNormalization()(L.GRU(64, return_sequences=True)(inputs)))
    return keras.Model(inputs, L.Dense(6, activation="softmax")(x))
