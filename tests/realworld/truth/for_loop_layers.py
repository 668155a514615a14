def model(keras):
    L = keras.layers
    m = keras.Sequential([keras.Input(shape=(24, 7))])
    for units in (128, 64):
        m.add(L.LSTM(units, return_sequences=True))
        m.add(L.Dropout(0.2))
    m.add(L.LSTM(32))
    m.add(L.Dense(16, activation="relu"))
    m.add(L.Dense(16, activation="relu"))
    m.add(L.Dense(1))
    return m
