def model(keras):  # Keras 3 rejects batch_input_shape= on a layer
    L = keras.layers
    return keras.Sequential([L.LSTM(32, batch_input_shape=(16, 8, 3), stateful=True), L.Dense(1)])
