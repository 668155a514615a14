"""Video classification: a small CNN applied per frame, an LSTM over the frames."""
import keras
from keras import layers

frames, height, width, channels = 16, 64, 64, 3
classes = 5

clip = keras.Input(shape=(frames, height, width, channels))
x = layers.TimeDistributed(layers.Conv2D(16, (3, 3), activation="relu"))(clip)
x = layers.TimeDistributed(layers.MaxPooling2D((2, 2)))(x)
x = layers.TimeDistributed(layers.Conv2D(32, (3, 3), activation="relu"))(x)
x = layers.TimeDistributed(layers.GlobalAveragePooling2D())(x)
x = layers.LSTM(64)(x)
x = layers.Dense(classes, activation="softmax")(x)
model = keras.Model(clip, x)
