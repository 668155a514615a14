import keras
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(10 ** 10 ** 10)])
