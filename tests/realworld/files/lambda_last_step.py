"""A Lambda keeps the last timestep of an LSTM's sequence."""
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(30, 4)),
    layers.LSTM(32, return_sequences=True),
    layers.Lambda(lambda x: x[:, -1, :]),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
