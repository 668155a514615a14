def model(keras):  # Keras 3 wants an int axis: axis=[2] raises
    L = keras.layers
    x = keras.Input(shape=(50, 10))
    h = L.BatchNormalization(axis=[2])(L.LSTM(64, return_sequences=True)(x))
    return keras.Model(x, L.Dense(1)(L.LSTM(32)(h)))
