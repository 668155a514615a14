def model(keras):
    L = keras.layers
    return keras.Sequential(
        [keras.Input(shape=(50, 1))] + [L.GRU(32, return_sequences=True) for _ in range(3)] + [L.GRU(32), L.Dense(10)]
    )
