"""Bug-report reproduction: Input called with positional arguments, as tf.keras 2 code allowed.

In tf.keras 2 this reads Input(shape=1, batch_size=68): 68 sequences of one token each.
"""
import numpy as np
import tensorflow as tf

x = np.random.randint(0, 100, size=(68, 1))

inp = tf.keras.layers.Input(1, 68)
h = tf.keras.layers.Embedding(100, 8)(inp)
h = tf.keras.layers.LSTM(8)(h)
out = tf.keras.layers.Dense(1)(h)
model = tf.keras.Model(inp, out)
model.predict(x)
