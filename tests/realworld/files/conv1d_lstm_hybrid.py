"""Causal convolutions feeding an LSTM for multistep forecasting."""
from tensorflow.keras.layers import LSTM, Conv1D, Dense, Dropout, MaxPooling1D
from tensorflow.keras.models import Sequential

n_steps_in, n_steps_out, n_features = 48, 12, 3

model = Sequential([
    Conv1D(filters=64, kernel_size=3, padding="causal", activation="relu",
           input_shape=(n_steps_in, n_features)),
    Conv1D(filters=64, kernel_size=3, padding="causal", activation="relu"),
    MaxPooling1D(pool_size=2),
    LSTM(100, return_sequences=True),
    Dropout(0.25),
    LSTM(50),
    Dense(n_steps_out),
])
model.compile(optimizer="adam", loss="mse")
