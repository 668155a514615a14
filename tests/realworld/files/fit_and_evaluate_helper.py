"""Three forecasters handed to one training helper, in the style of a textbook chapter."""
import numpy as np
import tensorflow as tf

tf.random.set_seed(42)


def fit_and_evaluate(model, train_set, valid_set, learning_rate, epochs=500):
    early_stopping_cb = tf.keras.callbacks.EarlyStopping(
        monitor="val_mae", patience=50, restore_best_weights=True)
    opt = tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    model.compile(loss=tf.keras.losses.Huber(), optimizer=opt, metrics=["mae"])
    history = model.fit(train_set, validation_data=valid_set, epochs=epochs,
                        callbacks=[early_stopping_cb])
    valid_loss, valid_mae = model.evaluate(valid_set)
    return valid_mae * 1e6


ridership = np.abs(np.random.default_rng(0).normal(size=1000)).astype("float32")
seq_length = 56
train_ds = tf.keras.utils.timeseries_dataset_from_array(
    ridership[:700], targets=ridership[seq_length:700], sequence_length=seq_length,
    batch_size=32, shuffle=True, seed=42)
valid_ds = tf.keras.utils.timeseries_dataset_from_array(
    ridership[700:], targets=ridership[700 + seq_length:], sequence_length=seq_length,
    batch_size=32)

univar_model = tf.keras.Sequential([
    tf.keras.layers.SimpleRNN(32, input_shape=[None, 1]),
    tf.keras.layers.Dense(1),  # no activation: a regression output
])
fit_and_evaluate(univar_model, train_ds, valid_ds, learning_rate=0.05)

deep_model = tf.keras.Sequential([
    tf.keras.layers.SimpleRNN(32, return_sequences=True, input_shape=[None, 1]),
    tf.keras.layers.SimpleRNN(32, return_sequences=True),
    tf.keras.layers.SimpleRNN(32),
    tf.keras.layers.Dense(1),
])
history = fit_and_evaluate(deep_model, train_ds, valid_ds, learning_rate=0.01)

lstm_model = tf.keras.models.Sequential([
    tf.keras.layers.LSTM(32, return_sequences=True, input_shape=[None, 5]),
    tf.keras.layers.Dense(14),
])
valid_mae = fit_and_evaluate(lstm_model, train_ds, valid_ds, learning_rate=0.02, epochs=5)
