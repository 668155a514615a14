def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(10, 3)),  # the manifest's input_shape: the file has none
        L.LSTM(32, return_sequences=True),
        L.LSTM(16),
        L.Dense(8, activation="relu"),
        L.Dense(1),
    ])
