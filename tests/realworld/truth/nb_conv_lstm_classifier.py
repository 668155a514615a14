def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(187, 1)),
        L.ZeroPadding1D(2),
        L.Conv1D(32, 5, activation="relu"),
        L.MaxPooling1D(2),
        L.Conv1D(64, 5, activation="relu"),
        L.MaxPooling1D(2),
        L.Bidirectional(L.GRU(32, return_sequences=True)),
        L.GlobalMaxPooling1D(),
        L.Dense(32),
        L.ReLU(),
        L.Dense(5, activation="softmax"),
    ])
