"""Keras 2 habit: batch_size= on a layer to fix the batch of a stateful GRU (Keras 3 raises)."""
import keras
from keras import layers

model = keras.Sequential()
model.add(layers.GRU(16, input_shape=(10, 2), batch_size=8, stateful=True))
model.add(layers.Dense(1))
