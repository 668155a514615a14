VOCAB = 11  # len(encoder.get_vocabulary()): 9 words, padding and [UNK]


def _encoder(keras):
    return keras.layers.TextVectorization(max_tokens=1000)


def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(1,), dtype="string"),  # the file has no Input: one string per sample
        _encoder(keras),
        L.Embedding(VOCAB, 64, mask_zero=True),
        L.Bidirectional(L.LSTM(64)),
        L.Dense(64, activation="relu"),
        L.Dense(1),
    ])


def stacked(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(1,), dtype="string"),
        _encoder(keras),
        L.Embedding(VOCAB, 64, mask_zero=True),
        L.Bidirectional(L.LSTM(64, return_sequences=True)),
        L.Bidirectional(L.LSTM(32)),
        L.Dense(64, activation="relu"),
        L.Dropout(0.5),
        L.Dense(1),
    ])
