"""Padded variable-length sensor sequences with a Masking layer and per-step normalisation."""
import keras
from keras import layers

MAX_STEPS, CHANNELS = 200, 6

model = keras.Sequential(name="activity")
model.add(keras.Input(shape=(MAX_STEPS, CHANNELS)))
model.add(layers.Masking(mask_value=0.0))
model.add(layers.GRU(48, return_sequences=True, recurrent_dropout=0.1))
model.add(layers.GaussianNoise(0.05))
model.add(layers.GRU(24, go_backwards=True))
model.add(layers.BatchNormalization())
model.add(layers.Dense(12, activation="relu"))
model.add(layers.Dense(6, activation="softmax"))
