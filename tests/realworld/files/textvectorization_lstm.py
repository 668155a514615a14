"""Raw strings in: a TextVectorization layer inside the model, then an LSTM."""
import keras
from keras import layers

max_tokens = 20000
sequence_length = 250

vectorize = layers.TextVectorization(max_tokens=max_tokens, output_mode="int",
                                     output_sequence_length=sequence_length)
vectorize.adapt(["a tiny corpus", "to build the vocabulary"])

text_input = keras.Input(shape=(1,), dtype="string")
ids = vectorize(text_input)
x = layers.Embedding(max_tokens, 32)(ids)
x = layers.LSTM(32)(x)
x = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(text_input, x)
