"""Time the generated batched NumPy forward pass against Keras predict on the same weights.

    python bench/numpy_vs_keras.py [--repeats 7] [--threads 1]

LSTM and GRU with T=50, D=32, M=64, at N=1 and N=1024. Prints medians (ms) and the
ratio NumPy / Keras (below 1 means the NumPy code is faster). Both run float32 on the
same machine in the same process; Keras predict includes its per-call overhead, which
is what a user calling predict pays.

Both sides get the same number of threads (--threads, default 1): NumPy's BLAS through
its environment variables, set before NumPy loads, and TensorFlow through its threading
config. Left to themselves, two BLAS threads on a 2-core machine that is doing anything
else made the verdict flip from run to run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def _threads_from_argv(default: int = 1) -> int:
    """--threads, read before argparse runs: the BLAS variables only count before NumPy loads."""
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return int(sys.argv[i + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return default


THREADS = _threads_from_argv()
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = str(THREADS)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from rnnshape.check.keras_build import build_model, import_keras  # noqa: E402
from rnnshape.formats import from_expressions  # noqa: E402
from rnnshape.infer import infer_model  # noqa: E402
from rnnshape.numpy_gen import generate, load_forward, random_weights  # noqa: E402

T, D, M = 50, 32, 64


def median_ms(fn, repeats: int) -> float:
    fn()  # warm up (Keras traces its graph on the first call)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for NumPy's BLAS and for TensorFlow")
    args = parser.parse_args()
    keras = import_keras()
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(THREADS)
    print(
        f"T={T} D={D} M={M}, median of {args.repeats} runs, {THREADS} thread(s) each, "
        f"numpy {np.__version__}, keras {keras.__version__}"
    )
    print(f"{'layer':6} {'N':>5} {'numpy ms':>10} {'keras ms':>10} {'numpy/keras':>12} {'max|diff|':>10}")
    for layer in ("LSTM", "GRU"):
        model = from_expressions([f"{layer}({M})"], input_shape=f"{T},{D}")
        report = infer_model(model)
        weights = random_weights(report, 0)
        forward = load_forward(generate(model, weights, report=report, npz_name="bench.npz"))
        km = build_model(keras, model)
        for name, arrays in weights.items():
            km.get_layer(name).set_weights(arrays)
        for n in (1, 1024):
            x = np.random.default_rng(n).standard_normal((n, T, D)).astype(np.float32)
            ours = median_ms(lambda: forward(x), args.repeats)
            theirs = median_ms(lambda: km.predict(x, batch_size=n, verbose=0), args.repeats)
            diff = float(np.max(np.abs(forward(x) - km.predict(x, batch_size=n, verbose=0))))
            print(f"{layer:6} {n:>5} {ours:>10.2f} {theirs:>10.2f} {ours / theirs:>12.2f} {diff:>10.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
