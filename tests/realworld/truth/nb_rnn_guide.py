def model(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(None,)), L.Embedding(1000, 64), L.LSTM(128), L.Dense(10)])


def gru_model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None,)),
        L.Embedding(1000, 64),
        L.GRU(256, return_sequences=True),
        L.SimpleRNN(128),
        L.Dense(10),
    ])


def seq2seq(keras):
    L = keras.layers
    enc_in = keras.Input(shape=(None,))
    _, h, c = L.LSTM(64, return_state=True, name="encoder")(L.Embedding(1000, 64)(enc_in))
    dec_in = keras.Input(shape=(None,))
    dec = L.LSTM(64, name="decoder")(L.Embedding(2000, 64)(dec_in), initial_state=[h, c])
    return keras.Model([enc_in, dec_in], L.Dense(10)(dec))


def bidi(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(5, 10)),
        L.Bidirectional(L.LSTM(64, return_sequences=True)),
        L.Bidirectional(L.LSTM(32)),
        L.Dense(10),
    ])
