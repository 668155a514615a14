def model(keras):
    L, ops = keras.layers, keras.ops

    class MinimalRNNCell(L.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

        def call(self, inputs, states):
            out = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
            return out, [out]

    inputs = keras.Input((None, 5))
    return keras.Model(inputs, L.Dense(1)(L.RNN(MinimalRNNCell(32))(inputs)))
