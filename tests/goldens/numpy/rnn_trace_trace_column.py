"""NumPy forward pass of the Keras model 'rnn-trace', written by rnnshape.

It needs only NumPy. forward(x) takes the whole batch at once and returns what
Keras's model.predict(x) returns; run this file to try it on a random input.

Axes: N = any (batch (samples)), T = any (timesteps), D = 5 (input features), M = 2 (units of simple_rnn).

layer       class      output     params    formula
----------  ---------  ---------  --------  ------------------------
simple_rnn  SimpleRNN  (N, T, M)  16        M(D+M+1) = 2(5+2+1) = 16
Total params: 16

What each layer computes:
  simple_rnn: h_t = tanh(Wx·x_t + Wh·h_(t-1) + bh)

Convention: column vectors, as in the equations h_t = tanh(Wx·x_t + Wh·h_(t-1) + bh).
Keras stores kernel (D, M) and computes x_t @ kernel on row vectors; here
Wx = kernel.T is (M, D), Wh = recurrent_kernel.T, biases are columns (M, 1),
and a batch is a matrix with one column per sample: Wx @ X equals (X.T @ kernel).T.
Weights: seeded random (seed 0), uniform, every gate different.
"""


import numpy as np


# ---- Weights -----------------------------------------------------------------
WEIGHTS = {
    'simple_rnn': [
        # kernel (5, 2), stored as (2, 5)
        np.array([
            [0.12250226, -0.41056576, 0.2801974, 0.09537794, 0.03901938],
            [-0.20590903, -0.43243083, 0.36917982, 0.20526797, 0.3891406],
        ], dtype=np.float32),
        # recurrent_kernel (2, 2)
        np.array([
            [0.4466844, 0.50544596],
            [-0.70323396, -0.6596096],
        ], dtype=np.float32),
        # bias (2,), stored as (2, 1)
        np.array([
            [0.22965544],
            [-0.32434437],
        ], dtype=np.float32),
    ],
}


# ---- simple_rnn (SimpleRNN) --------------------------------------------------
def simple_rnn(x):
    """simple_rnn: SimpleRNN(2), h_t = tanh(Wx·x_t + Wh·h_(t-1) + bh)."""
    Wx, Wh, bh = WEIGHTS['simple_rnn']          # (M, D) (M, M) (M, 1)
    M = Wh.shape[1]                             # M: hidden units
    N, T, _ = x.shape                           # N samples, T timesteps
    X = x.transpose(1, 2, 0)                    # (T, D, N): one column x_t per sample
    Zx = Wx @ X + bh                            # (T, M, N): Wx·x_t + bh for every t
    h = np.zeros((M, N), dtype=x.dtype)         # (M, N) hidden state h_0 = 0
    ys = []                                     # one output per processed step
    for t in range(T):
        print(f"simple_rnn: t = {t}")
        print("  x_t =", X[t].T)                # (N, D)
        z = Zx[t] + Wh @ h                      # (M, N) pre-activation
        h = np.tanh(z)                          # (M, N) h_t = tanh(Wx·x_t + Wh·h_(t-1) + bh)
        print("  pre-activation =", z.T)
        print("  h_t =", h.T)
        ys.append(h)
    y_seq = np.stack(ys).transpose(2, 0, 1)     # (T, M, N) -> (N, T, M)
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
    x = rng.standard_normal((2, 3, 5)).astype(np.float32)  # a random input
    y = forward(x)
    print("output shape:", y.shape)
    print(y)
