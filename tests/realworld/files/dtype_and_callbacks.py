"""Integer inputs declared with a TensorFlow dtype, trained with a list of callbacks."""
import tensorflow as tf
from tensorflow import keras

maxlen = 120
vocab = 30000

tokens = keras.Input(shape=(maxlen,), dtype=tf.int32, name="tokens")
h = keras.layers.Embedding(vocab, 64, embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05))(tokens)
h = keras.layers.LSTM(
    96,
    kernel_regularizer=keras.regularizers.l2(1e-4),
    recurrent_constraint=keras.constraints.MaxNorm(3.0),
)(h)
probs = keras.layers.Dense(5, activation="softmax")(h)
model = keras.Model(tokens, probs)

callbacks = [
    keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
    keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True),
    keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2),
]
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-4),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
