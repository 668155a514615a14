from tensorflow import keras

CLASSES = 3
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8), keras.layers.Dense(CLASSES)])
