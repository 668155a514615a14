def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 14)),  # float_data.shape[-1] = 14 features
        L.GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True),
        L.GRU(64, activation="relu", dropout=0.1, recurrent_dropout=0.5),
        L.Dense(1),
    ])
