"""Stacked LSTMs added in loops over a literal list and over range()."""
from keras import Input, layers, models

N_STEPS, N_FEATURES = 24, 7
HIDDEN = [128, 64]
N_DENSE = 2

model = models.Sequential()
model.add(Input(shape=(N_STEPS, N_FEATURES)))
for units in HIDDEN:
    model.add(layers.LSTM(units, return_sequences=True))
    model.add(layers.Dropout(0.2))
model.add(layers.LSTM(32))
for i in range(N_DENSE):
    model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1))

model.compile(loss="mae", optimizer="adam")
model.summary()
