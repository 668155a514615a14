"""Stateful Shakespeare char-RNN as a textbook wrote it for Keras 2: batch_input_shape on the Embedding."""
import tensorflow as tf
from tensorflow import keras

text = "First Citizen: Before we proceed any further, hear me speak."
tokenizer = keras.preprocessing.text.Tokenizer(char_level=True)
tokenizer.fit_on_texts([text])
max_id = len(tokenizer.word_index)
batch_size = 32

model = keras.models.Sequential([
    keras.layers.Embedding(input_dim=max_id, output_dim=16, batch_input_shape=[batch_size, None]),
    keras.layers.GRU(128, return_sequences=True, stateful=True, dropout=0.2),
    keras.layers.GRU(128, return_sequences=True, stateful=True, dropout=0.2),
    keras.layers.TimeDistributed(keras.layers.Dense(max_id, activation="softmax")),
])


class ResetStatesCallback(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs):
        self.model.reset_states()


model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
