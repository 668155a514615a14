MAX_ID = 24  # distinct characters the char-level Tokenizer finds in the sample text


def model(keras):  # Keras 3 rejects batch_input_shape= on the Embedding
    L = keras.layers
    return keras.Sequential([
        L.Embedding(input_dim=MAX_ID, output_dim=16, batch_input_shape=[32, None]),
        L.GRU(128, return_sequences=True, stateful=True, dropout=0.2),
        L.GRU(128, return_sequences=True, stateful=True, dropout=0.2),
        L.TimeDistributed(L.Dense(MAX_ID, activation="softmax")),
    ])
