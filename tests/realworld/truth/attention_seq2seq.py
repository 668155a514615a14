def model(keras):
    L = keras.layers
    enc_in = keras.Input(shape=(None,), dtype="int32")
    enc_out, enc_state = L.GRU(256, return_sequences=True, return_state=True)(L.Embedding(8000, 128, mask_zero=True)(enc_in))
    dec_in = keras.Input(shape=(None,), dtype="int32")
    dec_out = L.GRU(256, return_sequences=True)(L.Embedding(6000, 128, mask_zero=True)(dec_in), initial_state=enc_state)
    context = L.Attention()([dec_out, enc_out])
    merged = L.Concatenate(axis=-1)([dec_out, context])
    return keras.Model([enc_in, dec_in], L.Dense(6000)(merged))
