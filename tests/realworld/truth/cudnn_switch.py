def model(keras):
    L = keras.layers  # the branch without a GPU: plain LSTM
    return keras.Sequential([keras.Input(shape=(30, 6)), L.LSTM(100, return_sequences=True), L.Dropout(0.2), L.LSTM(50), L.Dense(1)])
