import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(42)
data = tf.reshape(tf.constant(np.zeros((8, 30), "float32")), (8, 10, 3))
inp = keras.Input(shape=(10, 3))
h = keras.layers.LSTM(16, return_sequences=True)(inp)
pooled = keras.ops.max(h, axis=1)
out = keras.layers.Dense(2)(keras.ops.reshape(pooled, (-1, 4, 4)))
model = keras.Model(inp, out)
