"""A Keras 2 stateful model builder that fixes the batch with batch_input_shape on the first layer."""
from keras.layers import LSTM, Dense
from keras.models import Sequential


def build_stateful(batch_size=16, timesteps=8, features=3):
    model = Sequential()
    model.add(LSTM(32, batch_input_shape=(batch_size, timesteps, features), stateful=True))
    model.add(Dense(1))
    model.compile(loss="mse", optimizer="adam")
    return model


model = build_stateful()
