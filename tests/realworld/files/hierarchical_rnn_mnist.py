"""Hierarchical RNN on MNIST: one LSTM reads each row's pixels, another reads the rows."""
import numpy as np
import keras
from keras import layers

batch_size = 32
num_classes = 10
row_hidden = 128
col_hidden = 128

x_train = np.zeros((600, 28, 28, 1), dtype="float32")  # stands in for the MNIST images
row, col, pixel = x_train.shape[1:]

x = keras.Input(shape=(row, col, pixel))
encoded_rows = layers.TimeDistributed(layers.LSTM(row_hidden))(x)
encoded_columns = layers.LSTM(col_hidden)(encoded_rows)
prediction = layers.Dense(num_classes, activation="softmax")(encoded_columns)
model = keras.Model(x, prediction)
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
