def model(keras):  # Keras 3's Input takes the shape first and cannot read 1 as one
    L = keras.layers
    inp = keras.Input(1, 68)
    return keras.Model(inp, L.Dense(1)(L.LSTM(8)(L.Embedding(100, 8)(inp))))
