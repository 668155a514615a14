"""Concatenates two sequences along time although their feature widths differ (Keras 3 raises);
the vocabulary size comes from the data."""
import keras
from keras import layers

corpus = ["hello world", "hello keras"]
vocab_size = len({w for line in corpus for w in line.split()}) + 1

words = keras.Input(shape=(12,), dtype="int32")
e = layers.Embedding(vocab_size, 32)(words)
a = layers.LSTM(32, return_sequences=True)(e)
b = layers.LSTM(16, return_sequences=True)(e)
both = layers.Concatenate(axis=1)([a, b])
out = layers.Dense(2)(layers.GlobalAveragePooling1D()(both))
model = keras.Model(words, out)
