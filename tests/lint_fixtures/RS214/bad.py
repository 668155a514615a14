import tensorflow as tf
from tensorflow import keras

inp = keras.Input(shape=(10, 3))
h = keras.layers.LSTM(16, return_sequences=True)(inp)
pooled = tf.reduce_max(h, axis=1)
out = keras.layers.Dense(2)(tf.reshape(pooled, shape=(-1, 4, 4)))
model = keras.Model(inp, out)
