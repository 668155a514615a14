"""Keras 2 code that normalizes features per timestep with axis=[2] (Keras 3 wants an int)."""
from tensorflow.keras.layers import LSTM, BatchNormalization, Dense, Input
from tensorflow.keras.models import Model

x_in = Input(shape=(50, 10))
h = LSTM(64, return_sequences=True)(x_in)
h = BatchNormalization(axis=[2])(h)
h = LSTM(32)(h)
y = Dense(1)(h)
model = Model(x_in, y)
