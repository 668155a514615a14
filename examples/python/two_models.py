"""Two models in one file: rnnshape reads them without running anything."""
import json

from tensorflow import keras
from tensorflow.keras import layers

T, D = 10, 3
M: int = 5


def load_config():
    with open("config.json") as handle:
        return json.load(handle)


encoder = keras.Sequential([keras.Input(shape=(T, D)), layers.LSTM(M)], name="encoder")

n_out = load_config()["classes"]  # only known when the program runs
classifier = keras.Sequential([keras.Input(shape=(M,)), layers.Dense(n_out)], name="classifier")
