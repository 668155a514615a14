def model(keras):
    L = keras.layers
    text = keras.Input(shape=(1,), dtype="string")
    ids = L.TextVectorization(max_tokens=20000, output_mode="int", output_sequence_length=250)(text)
    x = L.LSTM(32)(L.Embedding(20000, 32)(ids))
    return keras.Model(text, L.Dense(1, activation="sigmoid")(x))
