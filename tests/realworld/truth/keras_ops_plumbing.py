def model(keras):
    L, ops = keras.layers, keras.ops
    ids = keras.Input(shape=(16,), dtype="int32")
    seq = L.GRU(24, return_sequences=True)(ops.one_hot(ids, 12))
    both = ops.concatenate([seq, ops.expand_dims(ops.mean(seq, axis=-1), -1)], axis=-1)
    summary = L.SimpleRNN(8)(ops.transpose(both, (0, 2, 1)))
    return keras.Model(ids, L.Dense(1)(summary))
