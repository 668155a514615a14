"""NumPy forward pass of the Keras model 'rnn-basics', written by rnnshape.

It needs only NumPy. forward(x) takes the whole batch at once and returns what
Keras's model.predict(x) returns; run this file to try it on a random input.

Axes: N = 8 (batch (samples)), T = 2 (timesteps), D = 10 (input features), M = 3 (units of simple_rnn).

layer       class      output     params    formula
----------  ---------  ---------  --------  -------------------------
simple_rnn  SimpleRNN  (N, T, M)  42        M(D+M+1) = 3(10+3+1) = 42
Total params: 42

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
        # kernel (10, 3)
        np.array([
            [0.08662218, -0.14559966, -0.29031384],
            [-0.30577478, 0.19812949, 0.26104954],
            [0.06744239, 0.14514637, 0.027590867],
            [0.27516395, 0.19976333, -0.31449577],
            [0.22604232, -0.2949864, 0.14524686],
            [-0.2051334, 0.22969452, 0.026222378],
            [-0.12667333, -0.048896894, -0.29831684],
            [-0.23762412, 0.107912354, 0.09309082],
            [0.07297595, -0.073568776, 0.31446317],
            [0.30410698, 0.117347054, 0.0951588],
        ], dtype=np.float32),
        # recurrent_kernel (3, 3)
        np.array([
            [0.21759954, -0.12826249, -0.42135426],
            [0.2557527, 0.02927665, -0.21911381],
            [-0.016355919, 0.4497418, 0.5011903],
        ], dtype=np.float32),
        # bias (3,)
        np.array([-0.1422048, 0.07152983, -0.17813061], dtype=np.float32),
    ],
}


# ---- simple_rnn (SimpleRNN) --------------------------------------------------
def simple_rnn(x):
    """simple_rnn: SimpleRNN(3), h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)."""
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
    x = rng.standard_normal((8, 2, 10)).astype(np.float32)  # a random input
    y = forward(x)
    print("output shape:", y.shape)
    print(y)
