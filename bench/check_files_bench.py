"""Benchmark: `rnnshape check` of 12 Keras 3 files in one call vs one Keras process doing less.

The baseline is the least a user would run by hand: one Python process that imports
Keras, loads the same 12 ``.keras`` files and prints each ``model.summary()``. The
`rnnshape check` call does that and more (a forward pass per model, a comparison of
every shape, parameter count and weight), so the ratio says what the extra work and
the CLI cost on top of importing TensorFlow. Target: <= 1.10x.

    python bench/check_files_bench.py [--runs 3]

The files are written by Keras itself (``model.save``) in a temporary folder first.
Wall time (TensorFlow is multi-threaded), median of interleaved runs; nothing asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from check_bench import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
MODELS = 12
TARGET = 1.10

WRITE_FILES = r"""
import sys
import keras
templates, folder = eval(sys.argv[1]), sys.argv[2]
for i in range(int(sys.argv[3])):
    shape, layers = templates[i % len(templates)]
    model = keras.Sequential([keras.Input(shape=tuple(shape))], name=f"bench_{i}")
    for cls, kwargs in layers:
        kwargs = {**kwargs, "units": kwargs["units"] + i} if "units" in kwargs else kwargs
        model.add(getattr(keras.layers, cls)(**kwargs))
    model.save(f"{folder}/bench_{i:02d}.keras")
"""

LOAD_AND_SUMMARIZE = r"""
import sys
import keras
for path in sys.argv[1:]:
    keras.saving.load_model(path).summary()
"""


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed


def measure(runs: int) -> tuple[float, float]:
    """Median wall seconds of (rnnshape check, the Keras baseline) on the same 12 files."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    with tempfile.TemporaryDirectory() as tmp:
        wall([sys.executable, "-c", WRITE_FILES, repr(TEMPLATES), tmp, str(MODELS)], env)
        files = sorted(str(p) for p in Path(tmp).glob("*.keras"))
        check = [sys.executable, "-m", "rnnshape", "check", *files]
        keras = [sys.executable, "-c", LOAD_AND_SUMMARIZE, *files]
        samples: dict[str, list[float]] = {"check": [], "keras": []}
        for _ in range(runs):  # interleaved: drift in the machine's load hits both alike
            samples["check"].append(wall(check, env))
            samples["keras"].append(wall(keras, env))
    return statistics.median(samples["check"]), statistics.median(samples["keras"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    check, keras = measure(args.runs)
    print(f"rnnshape check of {MODELS} .keras files, one call: {check:6.2f} s")
    print(f"one Keras process loading + summarizing them:   {keras:6.2f} s")
    print(f"check / keras = {check / keras:.2f}x   (target <= {TARGET}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
