def model(keras):
    L = keras.layers
    tokens = keras.Input(shape=(120,), dtype="int32")
    h = L.LSTM(96, kernel_regularizer=keras.regularizers.l2(1e-4), recurrent_constraint=keras.constraints.MaxNorm(3.0))(L.Embedding(30000, 64)(tokens))
    return keras.Model(tokens, L.Dense(5, activation="softmax")(h))
