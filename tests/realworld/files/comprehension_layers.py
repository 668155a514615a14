"""A deep GRU forecaster whose middle layers come from a list comprehension."""
import tensorflow as tf

depth = 3
units = 32

model = tf.keras.Sequential(
    [tf.keras.layers.Input(shape=(50, 1))]
    + [tf.keras.layers.GRU(units, return_sequences=True) for _ in range(depth)]
    + [tf.keras.layers.GRU(units), tf.keras.layers.Dense(10)]
)
model.compile(loss="mse", optimizer="nadam")
