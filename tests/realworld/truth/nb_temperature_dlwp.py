SHAPE = (120, 14)  # sequence_length, raw_data.shape[-1]


def dense_model(keras):
    L = keras.layers
    inputs = keras.Input(shape=SHAPE)
    return keras.Model(inputs, L.Dense(1)(L.Dense(16, activation="relu")(L.Flatten()(inputs))))


def lstm_model(keras):
    L = keras.layers
    inputs = keras.Input(shape=SHAPE)
    return keras.Model(inputs, L.Dense(1)(L.LSTM(16)(inputs)))


def dropout_model(keras):
    L = keras.layers
    inputs = keras.Input(shape=SHAPE)
    return keras.Model(inputs, L.Dense(1)(L.Dropout(0.5)(L.LSTM(32, recurrent_dropout=0.25)(inputs))))


def stacked_gru(keras):
    L = keras.layers
    inputs = keras.Input(shape=SHAPE)
    x = L.GRU(32, recurrent_dropout=0.5)(L.GRU(32, recurrent_dropout=0.5, return_sequences=True)(inputs))
    return keras.Model(inputs, L.Dense(1)(L.Dropout(0.5)(x)))


def bidirectional_model(keras):
    L = keras.layers
    inputs = keras.Input(shape=SHAPE)
    return keras.Model(inputs, L.Dense(1)(L.Bidirectional(L.LSTM(16))(inputs)))
