def model(keras):
    L = keras.layers
    inputs = {"words": keras.Input(shape=(40,), dtype="int32", name="words"), "pos": keras.Input(shape=(40,), dtype="int32", name="pos")}
    h = L.Concatenate(name="features")([L.Embedding(10000, 100, name="word_emb")(inputs["words"]), L.Embedding(18, 8, name="pos_emb")(inputs["pos"])])
    h = L.Bidirectional(L.GRU(64, return_sequences=True), name="context")(h)
    outputs = {
        "tags": L.Dense(9, activation="softmax", name="tags")(h),
        "sentiment": L.Dense(1, activation="sigmoid", name="sentiment")(L.GlobalMaxPooling1D()(h)),
    }
    return keras.Model(inputs=inputs, outputs=outputs)
