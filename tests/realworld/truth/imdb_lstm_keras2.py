def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None,)),  # no input shape in the file: any length
        L.Embedding(20000, 128),
        L.LSTM(128, dropout=0.2, recurrent_dropout=0.2),
        L.Dense(1, activation="sigmoid"),
    ])
