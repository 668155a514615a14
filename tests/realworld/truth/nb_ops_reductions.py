def model(keras):
    L, ops = keras.layers, keras.ops
    frames = keras.Input(shape=(32, 20))
    seq = L.LSTM(40, return_sequences=True)(frames)
    stats = ops.concatenate([ops.mean(seq, axis=1), ops.max(seq, axis=1)], axis=-1)
    return keras.Model(frames, L.GRU(6)(ops.reshape(stats, (-1, 8, 10))))
