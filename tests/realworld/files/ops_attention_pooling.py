"""Sentiment classifier that pools a BiLSTM's states with learned attention weights (keras.ops)."""
import keras
from keras import layers, ops

vocab_size = 20000
maxlen = 200
embed_dim = 128

tokens = keras.Input(shape=(maxlen,), dtype="int32", name="tokens")
x = layers.Embedding(vocab_size, embed_dim)(tokens)
states = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
scores = layers.Dense(1, activation="tanh")(states)  # one score per timestep
weights = layers.Softmax(axis=1)(scores)  # normalised over time
context = ops.sum(states * weights, axis=1)  # weighted sum of the states
outputs = layers.Dense(1, activation="sigmoid")(context)
model = keras.Model(tokens, outputs)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
