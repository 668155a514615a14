def model(keras):
    L = keras.layers  # the ImportError branch: plain GRU
    inp = keras.Input(shape=(100,))
    x = L.GRU(256)(L.GRU(256, return_sequences=True)(L.Embedding(60, 24)(inp)))
    return keras.Model(inp, L.Dense(60, activation="softmax")(x))
