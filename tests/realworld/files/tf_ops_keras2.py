"""tf.* functions applied to symbolic tensors, as tf.keras 2 allowed."""
import tensorflow as tf

inp = tf.keras.Input(shape=(10, 3))
h = tf.keras.layers.LSTM(16, return_sequences=True)(inp)
last = h[:, -1, :]
pooled = tf.reduce_max(h, axis=1)
feat = tf.concat([last, pooled], axis=-1)
feat = tf.reshape(feat, (-1, 4, 8))
out = tf.keras.layers.GRU(4)(feat)
model = tf.keras.Model(inp, out)
