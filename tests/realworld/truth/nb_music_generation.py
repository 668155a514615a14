N_VOCAB = 4  # distinct pitches in the sample notes


def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(100, 1)),  # network_input.shape[1:] = (100, 1)
        L.LSTM(512, recurrent_dropout=0.3, return_sequences=True),
        L.LSTM(512, return_sequences=True, recurrent_dropout=0.3),
        L.LSTM(512),
        L.BatchNormalization(),
        L.Dropout(0.3),
        L.Dense(256),
        L.Activation("relu"),
        L.BatchNormalization(),
        L.Dropout(0.3),
        L.Dense(N_VOCAB),
        L.Activation("softmax"),
    ])
