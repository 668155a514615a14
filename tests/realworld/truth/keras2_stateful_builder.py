DEPTH = 3  # what forecaster.json would say


def forecaster(keras):  # Keras 3 rejects batch_input_shape= on the first GRU
    L = keras.layers
    model = keras.Sequential()
    model.add(L.GRU(64, batch_input_shape=(32, 24, 1), stateful=True, return_sequences=True))
    for _ in range(DEPTH - 1):
        model.add(L.GRU(64, stateful=True, return_sequences=True))
    model.add(L.TimeDistributed(L.Dense(1)))
    return model
