"""Residual GRU blocks over a window of sensor readings; the forecast reads the last step and a recent mean."""
import keras
from keras import layers, ops


def build(window=48, n_features=6, width=32):
    series = keras.Input(shape=(window, n_features))
    x = layers.Dense(width)(series)
    for _ in range(2):
        y = layers.GRU(width, return_sequences=True)(x)
        x = layers.LayerNormalization()(x + y)
    last = x[:, -1, :]
    recent = ops.mean(x[:, -12:, :], axis=1)
    joined = layers.concatenate([last, recent])
    forecast = layers.Dense(1)(joined)
    return keras.Model(series, forecast, name="residual_gru")


if __name__ == "__main__":
    model = build()
    model.summary()
