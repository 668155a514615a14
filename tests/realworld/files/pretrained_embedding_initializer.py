"""Frozen pretrained word vectors through an initializer object; vocabulary size from the data."""
import numpy as np
import keras
from keras import layers

texts = ["the cat sat", "a dog barked at the cat", "birds sing"]
vectorizer = layers.TextVectorization(max_tokens=20000, output_sequence_length=200)
vectorizer.adapt(texts)
voc = vectorizer.get_vocabulary()
word_index = dict(zip(voc, range(len(voc))))

num_tokens = len(voc) + 2
embedding_dim = 100
embedding_matrix = np.zeros((num_tokens, embedding_dim))

embedding_layer = layers.Embedding(
    num_tokens,
    embedding_dim,
    embeddings_initializer=keras.initializers.Constant(embedding_matrix),
    trainable=False,
)

int_sequences_input = keras.Input(shape=(None,), dtype="int64")
embedded_sequences = embedding_layer(int_sequences_input)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(embedded_sequences)
x = layers.Bidirectional(layers.LSTM(32))(x)
x = layers.Dense(64, activation="relu")(x)
preds = layers.Dense(20, activation="softmax")(x)
model = keras.Model(int_sequences_input, preds)
