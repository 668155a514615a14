"""A 1D convnet shortens the sequence before a GRU reads it (feature count from data)."""
import numpy as np
from keras import layers
from keras.models import Sequential

float_data = np.random.default_rng(2).normal(size=(5000, 14)).astype("float32")
step = 3
lookback = 1440

model = Sequential()
model.add(layers.Conv1D(32, 5, activation="relu", input_shape=(None, float_data.shape[-1])))
model.add(layers.MaxPooling1D(3))
model.add(layers.Conv1D(32, 5, activation="relu"))
model.add(layers.GRU(32, dropout=0.1, recurrent_dropout=0.5))
model.add(layers.Dense(1))

model.summary()
model.compile(optimizer="rmsprop", loss="mae")
