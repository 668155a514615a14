def model(keras):
    # Keras 3 does not take tf.* functions on symbolic tensors; keras.ops computes the same.
    L, ops = keras.layers, keras.ops
    inp = keras.Input(shape=(10, 3))
    h = L.LSTM(16, return_sequences=True)(inp)
    feat = ops.concatenate([h[:, -1, :], ops.max(h, axis=1)], axis=-1)
    return keras.Model(inp, L.GRU(4)(ops.reshape(feat, (-1, 4, 8))))
