"""A GRU classifier trained, summarized, plotted and saved only when run as a script."""
import argparse

import numpy as np
import keras
from keras import layers
from keras.utils import plot_model

SEQ_LEN, N_FEATURES, N_CLASSES = 40, 9, 6

inputs = keras.Input(shape=(SEQ_LEN, N_FEATURES))
x = layers.GRU(64, return_sequences=True)(inputs)
x = layers.LayerNormalization()(x)
x = layers.GRU(32)(x)
outputs = layers.Dense(N_CLASSES, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="har_gru")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args(argv)
    x_train = np.random.rand(256, SEQ_LEN, N_FEATURES)
    y_train = np.random.randint(0, N_CLASSES, size=256)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    for epoch in range(args.epochs):
        model.fit(x_train, y_train, epochs=1, verbose=0)
        if epoch % 2 == 0:
            print(epoch, model.evaluate(x_train, y_train, verbose=0))
    return model


if __name__ == "__main__":
    model.summary()
    plot_model(model, to_file="model.png", show_shapes=True)
    main()
    model.save("har_gru.keras")
    model.load_weights("har_gru.keras")
    if model.predict(np.zeros((1, SEQ_LEN, N_FEATURES))).argmax() == 0:
        print("class 0")
