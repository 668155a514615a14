def regressor(keras):
    L = keras.layers
    layers = [keras.Input(shape=(60, 1))]  # X_train.shape[1] = 60 (the window)
    for _ in range(3):
        layers += [L.LSTM(50, return_sequences=True), L.Dropout(0.2)]
    layers += [L.LSTM(50), L.Dropout(0.2), L.Dense(1)]
    return keras.Sequential(layers)
