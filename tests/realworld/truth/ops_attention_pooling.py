def model(keras):
    L, ops = keras.layers, keras.ops
    tokens = keras.Input(shape=(200,), dtype="int32")
    states = L.Bidirectional(L.LSTM(64, return_sequences=True))(L.Embedding(20000, 128)(tokens))
    weights = L.Softmax(axis=1)(L.Dense(1, activation="tanh")(states))
    return keras.Model(tokens, L.Dense(1, activation="sigmoid")(ops.sum(states * weights, axis=1)))
