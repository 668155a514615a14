ENCODER_TOKENS = 11  # distinct characters of the four English sentences
DECODER_TOKENS = 15  # distinct characters of the French ones, with tab and newline


def model(keras):
    L = keras.layers
    enc_in = keras.Input(shape=(None, ENCODER_TOKENS))
    _, h, c = L.LSTM(256, return_state=True)(enc_in)
    dec_in = keras.Input(shape=(None, DECODER_TOKENS))
    out, _, _ = L.LSTM(256, return_sequences=True, return_state=True)(dec_in, initial_state=[h, c])
    return keras.Model([enc_in, dec_in], L.Dense(DECODER_TOKENS, activation="softmax")(out))
