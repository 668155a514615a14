def model(keras):
    L = keras.layers
    tokens = keras.Input(shape=(64,), dtype="int32")
    seq = L.Bidirectional(L.LSTM(48, return_sequences=True))(L.Embedding(12000, 100)(tokens))
    attended = L.AdditiveAttention()([L.Dense(96)(seq), seq])
    pooled = L.LeakyReLU(negative_slope=0.1)(L.GlobalAveragePooling1D()(attended))
    return keras.Model(tokens, L.Dense(4, activation="softmax")(pooled))
