def model(keras):
    L = keras.layers
    title, body, tags = keras.Input(shape=(None,)), keras.Input(shape=(None,)), keras.Input(shape=(100,))
    t = L.LSTM(128)(L.Embedding(10000, 64)(title))
    b = L.LSTM(32)(L.Embedding(10000, 64)(body))
    x = L.concatenate([t, b, tags])
    return keras.Model([title, body, tags], [L.Dense(1)(x), L.Dense(4)(x)])
