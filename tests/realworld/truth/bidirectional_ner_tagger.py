VOCAB_SIZE = 8  # 6 distinct words + padding + unknown


def model(keras):
    L = keras.layers
    words = keras.Input(shape=(75,))
    x = L.Dropout(0.1)(L.Embedding(VOCAB_SIZE, 50, mask_zero=True)(words))
    x = L.Bidirectional(L.LSTM(100, return_sequences=True, recurrent_dropout=0.1))(x)
    return keras.Model(words, L.TimeDistributed(L.Dense(5, activation="softmax"))(x))
