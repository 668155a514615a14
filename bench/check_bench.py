"""Benchmark: `rnnshape check` of N models in one call vs N separate Keras processes.

Each separate process does what a user would do by hand for one model: import Keras,
build the model, print ``model.summary()``. The single `rnnshape check` call imports
TensorFlow once and then builds, runs a forward pass and compares every model.

    python bench/check_bench.py [--models 20]

Prints both wall times and their ratio. Timings depend on the machine and its load;
nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Model templates: (input shape, layers as (class, kwargs)). Units vary per copy.
TEMPLATES = [
    ([10, 3], [("SimpleRNN", {"units": 5}), ("Dense", {"units": 2})]),
    ([10, 8], [("LSTM", {"units": 32, "return_sequences": True}), ("LSTM", {"units": 16}), ("Dense", {"units": 1})]),
    ([48, 6], [("GRU", {"units": 64, "return_sequences": True}), ("Dropout", {"rate": 0.2}),
               ("GRU", {"units": 32, "reset_after": False}), ("Dense", {"units": 12})]),
    ([None, 50], [("LSTM", {"units": 128, "return_sequences": True}), ("Dense", {"units": 9, "activation": "softmax"})]),
]

KERAS_ONE_MODEL = r"""
import os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import yaml
import keras
cfg = yaml.safe_load(open(sys.argv[1]))
layers = [keras.Input(shape=tuple(cfg["input_shape"]))]
for entry in cfg["layers"]:
    (cls, kwargs), = entry.items()
    layers.append(getattr(keras.layers, cls)(**kwargs))
model = keras.Sequential(layers)
model.summary()
"""


def write_models(folder: Path, count: int) -> list[Path]:
    import yaml

    paths = []
    for i in range(count):
        shape, layers = TEMPLATES[i % len(TEMPLATES)]
        scaled = [(cls, {**kw, "units": kw["units"] + i}) if "units" in kw else (cls, kw) for cls, kw in layers]
        cfg = {"name": f"bench_{i}", "input_shape": shape, "layers": [{cls: kw} for cls, kw in scaled]}
        path = folder / f"bench_{i:02d}.yaml"
        path.write_text(yaml.safe_dump(cfg, sort_keys=False))
        paths.append(path)
    return paths


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_models(Path(tmp), args.models)
        script = Path(tmp) / "keras_one_model.py"
        script.write_text(KERAS_ONE_MODEL)
        one_call = timed([sys.executable, "-m", "rnnshape", "check", *map(str, paths)], env)
        separate = sum(timed([sys.executable, str(script), str(p)], env) for p in paths)
    n = args.models
    print(f"models: {n}")
    print(f"rnnshape check, one call:        {one_call:7.2f} s  ({one_call / n:.2f} s per model, import included)")
    print(f"{n} separate Keras processes:    {separate:7.2f} s  ({separate / n:.2f} s per model)")
    print(f"ratio (separate / one call):     {separate / one_call:7.2f}x")


if __name__ == "__main__":
    main()
