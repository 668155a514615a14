def model(keras):  # Keras 3 rejects an LSTM fed the 2-D output of another
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(60, 1)), L.LSTM(50), L.LSTM(50), L.Dense(1)])
