"""A Keras 2 stateful forecaster built in a function; how many GRU layers it stacks comes from a
config file, and the first layer fixes the batch with batch_input_shape, which Keras 3 rejects."""
import json

from tensorflow import keras
from tensorflow.keras import layers


def make_forecaster(config_path, batch_size=32, window=24):
    with open(config_path) as handle:
        depth = json.load(handle)["depth"]
    model = keras.Sequential()
    model.add(layers.GRU(64, batch_input_shape=(batch_size, window, 1), stateful=True, return_sequences=True))
    for _ in range(depth - 1):
        model.add(layers.GRU(64, stateful=True, return_sequences=True))
    model.add(layers.TimeDistributed(layers.Dense(1)))
    return model


forecaster = make_forecaster("forecaster.json")
forecaster.compile(optimizer="adam", loss="mse")
for epoch in range(10):
    forecaster.reset_states()
