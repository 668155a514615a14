"""Bahdanau-style additive attention pooling a BiLSTM's sequence for classification."""
import keras
from keras import layers

MAX_LEN = 64
VOCAB = 12000

tokens = keras.Input(shape=(MAX_LEN,), dtype="int32")
x = layers.Embedding(VOCAB, 100)(tokens)
seq = layers.Bidirectional(layers.LSTM(48, return_sequences=True))(x)
query = layers.Dense(96)(seq)
attended = layers.AdditiveAttention()([query, seq])
pooled = layers.GlobalAveragePooling1D()(attended)
pooled = layers.LeakyReLU(negative_slope=0.1)(pooled)
out = layers.Dense(4, activation="softmax")(pooled)
model = keras.Model(tokens, out)
