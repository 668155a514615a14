def _create(keras, stateful, hidden):
    L = keras.layers
    return keras.Sequential([
        keras.Input(batch_shape=(25, 1, 1)),
        L.LSTM(hidden, return_sequences=True, stateful=stateful),
        L.LSTM(hidden, stateful=stateful),
        L.Dense(1),
    ])


def model_stateful(keras):
    return _create(keras, True, 20)


def model_stateless(keras):
    return _create(keras, False, 10)
