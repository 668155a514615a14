import numpy as np

NUM_TOKENS = 13  # len(voc) = 11 (9 words, padding, [UNK]) + 2


def model(keras):
    L = keras.layers
    matrix = np.zeros((NUM_TOKENS, 100))
    ids = keras.Input(shape=(None,), dtype="int64")
    x = L.Embedding(NUM_TOKENS, 100, embeddings_initializer=keras.initializers.Constant(matrix), trainable=False)(ids)
    x = L.Bidirectional(L.LSTM(32))(L.Bidirectional(L.LSTM(64, return_sequences=True))(x))
    return keras.Model(ids, L.Dense(20, activation="softmax")(L.Dense(64, activation="relu")(x)))
