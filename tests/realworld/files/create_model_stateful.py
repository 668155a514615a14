"""Stateful LSTM for a sine wave: create_model(stateful=...) with a fixed batch."""
import numpy as np
from tensorflow.keras.layers import LSTM, Dense, Input
from tensorflow.keras.models import Sequential

BATCH_SIZE = 25
TSTEPS = 1


def create_model(stateful, hidden=20):
    model = Sequential()
    model.add(Input(batch_shape=(BATCH_SIZE, TSTEPS, 1)))
    model.add(LSTM(hidden, return_sequences=True, stateful=stateful))
    model.add(LSTM(hidden, stateful=stateful))
    model.add(Dense(1))
    model.compile(loss="mse", optimizer="adam")
    return model


x = np.cos(np.arange(1000) / 10.0).reshape(-1, TSTEPS, 1)
y = np.roll(x[:, -1, 0], -1)

print("Creating stateful model...")
model_stateful = create_model(stateful=True)
for epoch in range(5):
    model_stateful.fit(x, y, batch_size=BATCH_SIZE, epochs=1, shuffle=False)
    model_stateful.reset_states()

print("Creating stateless model...")
model_stateless = create_model(stateful=False, hidden=10)
model_stateless.fit(x, y, batch_size=BATCH_SIZE, epochs=5, shuffle=False)
