"""keras.ops on symbolic tensors between recurrent layers."""
import keras
from keras import layers, ops

NUM_CLASSES = 12
STEPS = 16

token_ids = keras.Input(shape=(STEPS,), dtype="int32")
one_hot = ops.one_hot(token_ids, NUM_CLASSES)
seq = layers.GRU(24, return_sequences=True)(one_hot)
extra = ops.expand_dims(ops.mean(seq, axis=-1), -1)
both = ops.concatenate([seq, extra], axis=-1)
flipped = ops.transpose(both, (0, 2, 1))
summary = layers.SimpleRNN(8)(flipped)
model = keras.Model(token_ids, layers.Dense(1)(summary))
