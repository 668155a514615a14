def model(keras):  # Keras 3 rejects batch_size= on a layer
    L = keras.layers
    m = keras.Sequential()
    m.add(L.GRU(16, input_shape=(10, 2), batch_size=8, stateful=True))
    m.add(L.Dense(1))
    return m
