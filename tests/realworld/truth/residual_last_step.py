def model(keras):
    L, ops = keras.layers, keras.ops
    series = keras.Input(shape=(48, 6))
    x = L.Dense(32)(series)
    for _ in range(2):
        x = L.LayerNormalization()(x + L.GRU(32, return_sequences=True)(x))
    joined = L.concatenate([x[:, -1, :], ops.mean(x[:, -12:, :], axis=1)])
    return keras.Model(series, L.Dense(1)(joined))
