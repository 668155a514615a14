def model(keras):
    # Keras 3 does not take tf.* functions on symbolic tensors; keras.ops computes the same.
    L, ops = keras.layers, keras.ops
    inputs = keras.Input(shape=(30,))
    x = L.Conv1D(16, 5, padding="causal", activation="relu")(ops.expand_dims(inputs, axis=-1))
    x = L.Dense(1)(L.LSTM(32)(x))
    return keras.Model(inputs, ops.squeeze(x, axis=-1) * 100.0)
