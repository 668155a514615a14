def translator(keras):
    L = keras.layers
    src = keras.Input(shape=(None,), dtype="int32")
    _, *states = L.LSTM(128, return_sequences=True, return_state=True)(L.Embedding(5000, 64, mask_zero=True)(src))
    tgt = keras.Input(shape=(None,), dtype="int32")
    dec, *_ = L.LSTM(128, return_sequences=True, return_state=True)(L.Embedding(5000, 64, mask_zero=True)(tgt), initial_state=states)
    return keras.Model([src, tgt], L.Dense(5000)(dec))
