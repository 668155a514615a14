"""A tf.keras 2 forecaster: tf.expand_dims makes the feature axis, tf.squeeze drops it from the output."""
import tensorflow as tf

WINDOW = 30

inputs = tf.keras.Input(shape=(WINDOW,))
x = tf.expand_dims(inputs, axis=-1)
x = tf.keras.layers.Conv1D(16, 5, padding="causal", activation="relu")(x)
x = tf.keras.layers.LSTM(32)(x)
x = tf.keras.layers.Dense(1)(x)
outputs = tf.squeeze(x, axis=-1) * 100.0
model = tf.keras.Model(inputs, outputs)
model.compile(loss=tf.keras.losses.Huber(), optimizer="adam")
