def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 14)),  # float_data.shape[-1] = 14 features
        L.Conv1D(32, 5, activation="relu"),
        L.MaxPooling1D(3),
        L.Conv1D(32, 5, activation="relu"),
        L.GRU(32, dropout=0.1, recurrent_dropout=0.5),
        L.Dense(1),
    ])
