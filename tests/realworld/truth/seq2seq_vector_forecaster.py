def vector_model(keras):
    L = keras.layers
    return keras.Sequential([keras.Input(shape=(None, 1)), L.SimpleRNN(20, return_sequences=True), L.SimpleRNN(20), L.Dense(10)])


def seq_model(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=(None, 1)),
        L.GRU(20, return_sequences=True),
        L.GRU(20, return_sequences=True),
        L.TimeDistributed(L.Dense(10)),
    ])
