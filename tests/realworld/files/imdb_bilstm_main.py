"""Bidirectional LSTM on IMDB; Embedding keeps its Keras 2 input_length."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

MAX_FEATURES = 20000
MAXLEN = 200


def load(num_words=MAX_FEATURES, maxlen=MAXLEN):
    (x_tr, y_tr), (x_va, y_va) = keras.datasets.imdb.load_data(num_words=num_words)
    pad = keras.preprocessing.sequence.pad_sequences
    return (pad(x_tr, maxlen=maxlen), y_tr), (pad(x_va, maxlen=maxlen), y_va)


model = keras.Sequential(
    [
        layers.Embedding(MAX_FEATURES, 128, input_length=MAXLEN),
        layers.Bidirectional(layers.LSTM(64)),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ]
)

if __name__ == "__main__":
    (x_train, y_train), (x_val, y_val) = load()
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=4, validation_data=(x_val, y_val))
    model.summary()
    print(np.round(model.predict(x_val[:5]), 3))
