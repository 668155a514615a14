"""Two stacked LSTMs, but the first one forgot return_sequences=True (Keras 3 raises)."""
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(60, 1)),
    layers.LSTM(50),
    layers.LSTM(50),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mean_squared_error")
