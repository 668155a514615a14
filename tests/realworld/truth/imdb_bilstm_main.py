def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(200,)),  # input_length=MAXLEN
        L.Embedding(20000, 128),
        L.Bidirectional(L.LSTM(64)),
        L.Dropout(0.5),
        L.Dense(1, activation="sigmoid"),
    ])
