"""A sequence encoder built once as a Sequential, then called as a layer inside a bigger model."""
import keras
from keras import layers

timesteps, features = 20, 8

encoder = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        layers.LSTM(64, return_sequences=True),
        layers.LSTM(32),
    ],
    name="encoder",
)

series = keras.Input(shape=(timesteps, features), name="series")
static = keras.Input(shape=(4,), name="static")
code = encoder(series)
joined = layers.concatenate([code, static])
hidden = layers.Dense(16, activation="relu")(joined)
forecast = layers.Dense(3, name="forecast")(hidden)
model = keras.Model([series, static], forecast)
