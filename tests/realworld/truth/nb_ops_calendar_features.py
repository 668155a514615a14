def model(keras):
    L, ops = keras.layers, keras.ops
    readings = keras.Input(shape=(24, 3))
    weekday = keras.Input(shape=(24,), dtype="int32")
    features = ops.concatenate([readings, ops.cast(ops.one_hot(weekday, 7), "float32")], axis=-1)
    encoded = L.LSTM(16, return_sequences=True)(features)
    hourly = L.Dense(24)(ops.squeeze(ops.max(encoded, axis=1, keepdims=True), axis=1))
    return keras.Model([readings, weekday], ops.reshape(hourly, (-1, 24, 1)))
