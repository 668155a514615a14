"""Temperature forecasting with two stacked GRUs; the feature count comes from the data."""
import numpy as np
from keras import layers
from keras.models import Sequential
from keras.optimizers import RMSprop

float_data = np.random.default_rng(1).normal(size=(5000, 14)).astype("float32")
mean = float_data[:3000].mean(axis=0)
float_data -= mean
float_data /= float_data[:3000].std(axis=0)

model = Sequential()
model.add(layers.GRU(32,
                     dropout=0.1,
                     recurrent_dropout=0.5,
                     return_sequences=True,
                     input_shape=(None, float_data.shape[-1])))
model.add(layers.GRU(64, activation="relu",
                     dropout=0.1,
                     recurrent_dropout=0.5))
model.add(layers.Dense(1))

model.compile(optimizer=RMSprop(), loss="mae")
