"""Next-frame prediction on moving squares: ConvLSTM2D stack closed by a Conv3D."""
from tensorflow import keras
from tensorflow.keras import layers

seq = keras.Sequential([
    keras.Input(shape=(None, 40, 40, 1)),
    layers.ConvLSTM2D(filters=40, kernel_size=(3, 3), padding="same", return_sequences=True),
    layers.BatchNormalization(),
    layers.ConvLSTM2D(filters=40, kernel_size=(3, 3), padding="same", return_sequences=True),
    layers.BatchNormalization(),
    layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same"),
])
seq.compile(loss="binary_crossentropy", optimizer="adadelta")
