def model(keras):  # Keras 3 rejects a time-axis Concatenate of widths 32 and 16
    L = keras.layers
    words = keras.Input(shape=(12,), dtype="int32")
    e = L.Embedding(4, 32)(words)
    both = L.Concatenate(axis=1)([L.LSTM(32, return_sequences=True)(e), L.LSTM(16, return_sequences=True)(e)])
    return keras.Model(words, L.Dense(2)(L.GlobalAveragePooling1D()(both)))
