"""NumPy forward pass of the Keras model 'rnn-architecture', written by rnnshape.

It needs only NumPy. forward(x) takes the whole batch at once and returns what
Keras's model.predict(x) returns; run this file to try it on a random input.

Axes: N = any (batch (samples)), T = 10 (timesteps), D = 3 (input features), M = 5 (units of simple_rnn), K = 2 (units of dense).

layer       class      output    params    formula
----------  ---------  --------  --------  ------------------------
simple_rnn  SimpleRNN  (N, M)    45        M(D+M+1) = 5(3+5+1) = 45
dense       Dense      (N, K)    12        K(M+1) = 2(5+1) = 12
Total params: 57

What each layer computes:
  simple_rnn: h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)
  dense: y = x·Wo + bo

Convention: Keras's row vectors, h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh), with Wx = kernel (D, M),
Wh = recurrent_kernel (M, M), bh = bias (M,), and a batch as rows: x[:, t] is (N, D).
Weights: seeded random (seed 0), uniform, every gate different.
"""


import numpy as np


# ---- Weights -----------------------------------------------------------------
WEIGHTS = {
    'simple_rnn': [
        # kernel (3, 5)
        np.array([
            [0.15814973, -0.26582742, -0.5300381, -0.5582658, 0.36173332],
            [0.47660908, 0.123132385, 0.2649998, 0.0503738, 0.50237834],
            [0.36471626, -0.5741881, 0.4126949, -0.538569, 0.26518327],
        ], dtype=np.float32),
        # recurrent_kernel (5, 5)
        np.array([
            [-0.29010242, 0.3248371, 0.037084043, -0.17914313, -0.06915065],
            [-0.4218837, -0.33605126, 0.15261112, 0.1316503, 0.10320358],
            [-0.10404196, 0.4447181, 0.4300722, 0.1659538, 0.13457488],
            [0.16855188, -0.0993517, -0.3263796, 0.1981052, 0.022677595],
            [-0.16972482, -0.01266924, 0.3483685, 0.3882203, -0.12719184],
        ], dtype=np.float32),
        # bias (5,)
        np.array([0.07152983, -0.17813061, 0.09430003, -0.16208878, -0.108381], dtype=np.float32),
    ],
    'dense': [
        # kernel (5, 2)
        np.array([
            [0.34907198, -0.24403767],
            [0.110181935, -0.372068],
            [0.29752597, 0.25678852],
            [-0.23311506, 0.33673772],
            [-0.39482877, -0.14658135],
        ], dtype=np.float32),
        # bias (2,)
        np.array([-0.34972054, -0.049660634], dtype=np.float32),
    ],
}


# ---- simple_rnn (SimpleRNN) --------------------------------------------------
def simple_rnn(x):
    """simple_rnn: SimpleRNN(5), h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)."""
    Wx, Wh, bh = WEIGHTS['simple_rnn']          # (D, M) (M, M) (M,)
    M = Wh.shape[0]                             # M: hidden units
    N, T, _ = x.shape                           # N samples, T timesteps
    Zx = x @ Wx + bh                            # (N, T, M): x_t·Wx + bh for every t
    h = np.zeros((N, M), dtype=x.dtype)         # (N, M) hidden state h_0 = 0
    for t in range(T):
        h = np.tanh(Zx[:, t] + h @ Wh)          # (N, M) h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)
    return h                                    # (N, M)


# ---- dense (Dense) -----------------------------------------------------------
def dense(x):
    """dense: Dense(2), y = x·Wo + bo."""
    Wo, bo = WEIGHTS['dense']                   # (M, K) (K,)
    return x @ Wo + bo                          # (N, K) on the last axis


# ---- Forward pass ------------------------------------------------------------
def forward(x):
    """The whole model, vectorised over the batch: (N, T, D) -> (N, K)."""
    x = np.asarray(x, dtype=np.float32)         # (N, T, D)
    h = simple_rnn(x)                           # (N, M)
    y = dense(h)                                # (N, K)
    return y


# ---- Demo --------------------------------------------------------------------
if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 10, 3)).astype(np.float32)  # a random input
    y = forward(x)
    print("output shape:", y.shape)
    print(y)
