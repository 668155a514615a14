"""Picks the cuDNN LSTM when a GPU is present (Keras 2 script)."""
import tensorflow as tf
from tensorflow.compat.v1.keras.layers import CuDNNLSTM
from tensorflow.keras.layers import LSTM, Dense, Dropout
from tensorflow.keras.models import Sequential

gpu = len(tf.config.list_physical_devices("GPU")) > 0
LSTM = CuDNNLSTM if gpu else LSTM

n_steps, n_features = 30, 6

model = Sequential()
model.add(LSTM(100, return_sequences=True, input_shape=(n_steps, n_features)))
model.add(Dropout(0.2))
model.add(LSTM(50))
model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
