"""A hand-written minimal RNN cell wrapped in keras.layers.RNN."""
import keras
from keras import layers, ops


class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        prev = states[0]
        h = ops.matmul(inputs, self.kernel)
        output = h + ops.matmul(prev, self.recurrent_kernel)
        return output, [output]


inputs = keras.Input((None, 5))
x = layers.RNN(MinimalRNNCell(32))(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
