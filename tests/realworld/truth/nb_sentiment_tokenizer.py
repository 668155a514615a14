VOCAB_SIZE = 13  # 11 distinct words + <OOV> + padding


def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(100,)),  # input_length=maxlen
        L.Embedding(VOCAB_SIZE, 50),
        L.LSTM(100),
        L.Dropout(0.3),
        L.Dense(1, activation="sigmoid"),
    ])
