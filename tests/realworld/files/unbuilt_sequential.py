"""A Sequential with no input shape at all: Keras builds it at the first fit."""
import keras
from keras import layers

model = keras.Sequential()
model.add(layers.LSTM(32, return_sequences=True))
model.add(layers.LSTM(16))
model.add(layers.Dense(8, activation="relu"))
model.add(layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
