def model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(48, 3)),
        L.Conv1D(64, 3, padding="causal", activation="relu"),
        L.Conv1D(64, 3, padding="causal", activation="relu"),
        L.MaxPooling1D(2),
        L.LSTM(100, return_sequences=True),
        L.Dropout(0.25),
        L.LSTM(50),
        L.Dense(12),
    ])
