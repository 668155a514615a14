def _parts(keras):
    L = keras.layers
    enc_in = keras.Input(shape=(None, 71))
    _, h, c = L.LSTM(256, return_state=True)(enc_in)
    dec_in = keras.Input(shape=(None, 93))
    lstm = L.LSTM(256, return_sequences=True, return_state=True)
    dense = L.Dense(93, activation="softmax")
    out, _, _ = lstm(dec_in, initial_state=[h, c])
    return enc_in, [h, c], dec_in, lstm, dense, dense(out)


def model(keras):
    enc_in, _, dec_in, _, _, out = _parts(keras)
    return keras.Model([enc_in, dec_in], out)


def encoder_model(keras):
    enc_in, states, *_ = _parts(keras)
    return keras.Model(enc_in, states)


def decoder_model(keras):
    _, _, dec_in, lstm, dense, _ = _parts(keras)
    state_inputs = [keras.Input(shape=(256,)), keras.Input(shape=(256,))]
    out, h, c = lstm(dec_in, initial_state=state_inputs)
    return keras.Model([dec_in] + state_inputs, [dense(out), h, c])
