"""NumPy forward pass of the Keras model 'rnn-from-scratch', written by rnnshape.

It needs only NumPy. forward(x) takes the whole batch at once and returns what
Keras's model.predict(x) returns; run this file to try it on a random input.

Axes: N = any (batch (samples)), T = 10 (timesteps), D = 4 (input features), M = 8 (units of simple_rnn).

layer       class      output     params    formula
----------  ---------  ---------  --------  -------------------------
simple_rnn  SimpleRNN  (N, T, M)  104       M(D+M+1) = 8(4+8+1) = 104
Total params: 104

What each layer computes:
  simple_rnn: h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)

Convention: Keras's row vectors, h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh), with Wx = kernel (D, M),
Wh = recurrent_kernel (M, M), bh = bias (M,), and a batch as rows: x[:, t] is (N, D).
Weights: seeded random (seed 0), uniform, every gate different.
"""


import numpy as np


# ---- Weights -----------------------------------------------------------------
WEIGHTS = {
    'simple_rnn': [
        # kernel (4, 8)
        np.array([
            [0.13696168, -0.23021328, -0.4590265, -0.48347238, 0.31327024, 0.41275558, 0.10663578, 0.22949655],
            [0.04362499, 0.43507242, 0.31585357, -0.4972615, 0.35740426, -0.46641442, 0.22965544, -0.32434437],
            [0.3631789, 0.041461222, -0.2002881, -0.07731278, -0.47168034, -0.37571672, 0.17062442, 0.14718951],
            [0.115385115, -0.11632244, 0.49720994, 0.48083535, 0.18554199, 0.15045927, 0.18844673, -0.111078575],
        ], dtype=np.float32),
        # recurrent_kernel (8, 8)
        np.array([
            [-0.25802574, 0.15661591, 0.017928213, -0.13417925, -0.010015914, 0.2754095, 0.3069151, -0.10055398],
            [0.050579228, -0.12595735, 0.06668019, -0.11461407, -0.07663694, 0.27596563, -0.19292872, 0.08710647],
            [-0.29414558, 0.23521493, 0.20300916, -0.18429363, 0.26621455, -0.31213954, -0.11588274, -0.24728976],
            [-0.035115372, 0.2095329, -0.19046472, -0.31676877, -0.06749204, -0.21318348, -0.2893813, 0.056803577],
            [-0.14234333, 0.12161875, -0.21247467, 0.31262118, -0.09538151, -0.27895695, 0.09129325, 0.30204388],
            [-0.042159718, 0.32144403, -7.3670846e-05, -0.052871346, 0.08500375, 0.3500861, 0.31745112, -0.028252352],
            [0.18224181, -0.0018224295, 0.020726828, 0.20208101, -0.060347427, 0.16580492, 0.14930056, 0.30551234],
            [-0.27228373, 0.16193815, 0.30223435, 0.3308738, -0.34315446, 0.25713238, 0.34025627, 0.32329643],
        ], dtype=np.float32),
        # bias (8,)
        np.array([-0.351236, 0.4726288, 0.38993555, 0.32237384, -0.020012077, -0.2676271, 0.30188057, 0.42353016], dtype=np.float32),
    ],
}


# ---- simple_rnn (SimpleRNN) --------------------------------------------------
def simple_rnn(x):
    """simple_rnn: SimpleRNN(8), h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)."""
    Wx, Wh, bh = WEIGHTS['simple_rnn']          # (D, M) (M, M) (M,)
    M = Wh.shape[0]                             # M: hidden units
    N, T, _ = x.shape                           # N samples, T timesteps
    Zx = x @ Wx + bh                            # (N, T, M): x_t·Wx + bh for every t
    h = np.zeros((N, M), dtype=x.dtype)         # (N, M) hidden state h_0 = 0
    ys = []                                     # one output per processed step
    for t in range(T):
        h = np.tanh(Zx[:, t] + h @ Wh)          # (N, M) h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)
        ys.append(h)
    y_seq = np.stack(ys, axis=1)                # (N, T, M)
    return y_seq                                # (N, T, M)


# ---- Forward pass ------------------------------------------------------------
def forward(x):
    """The whole model, vectorised over the batch: (N, T, D) -> (N, T, M)."""
    x = np.asarray(x, dtype=np.float32)         # (N, T, D)
    h = simple_rnn(x)                           # (N, T, M)
    return h


# ---- Demo --------------------------------------------------------------------
if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 10, 4)).astype(np.float32)  # a random input
    y = forward(x)
    print("output shape:", y.shape)
    print(y)
