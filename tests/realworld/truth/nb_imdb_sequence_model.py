def model(keras):
    L = keras.layers
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = L.Bidirectional(L.LSTM(32))(L.Embedding(20000, 256, mask_zero=True)(inputs))
    return keras.Model(inputs, L.Dense(1, activation="sigmoid")(L.Dropout(0.5)(x)))
