VOCAB_SIZE = 10  # 9 distinct words + padding


def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(4,)),  # input_length=4, as Keras 2 built it
        L.Embedding(VOCAB_SIZE, 100, trainable=False),
        L.SpatialDropout1D(0.2),
        L.LSTM(100, dropout=0.2, recurrent_dropout=0.2),
        L.Dense(1, activation="sigmoid"),
    ])
