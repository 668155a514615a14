"""Benchmark: static extraction from a generated 2,000-line Python file with 20 models.

Prints times; asserts nothing (timings belong in a script, not in tests).
Run from the repository root: ``python bench/pysrc_bench.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's rnnshape

from rnnshape.formats.python_source import extract_python
from rnnshape.infer import infer_model
from rnnshape.spec import ModelSpec

MODELS = 20
LINES = 2_000


def generate() -> str:
    """20 models in four styles, padded with ordinary data-science code to 2,000 lines."""
    head = [
        "import numpy as np",
        "import tensorflow as tf",
        "from tensorflow import keras",
        "from keras import layers as L",
        "from keras.layers import LSTM as R",
        "T = 30",
        "D: int = 8",
    ]
    blocks = []
    for i in range(MODELS):
        style = i % 4
        units = 4 + i
        if style == 0:
            block = [
                f"m{i} = keras.Sequential([keras.Input(shape=(T, D)), L.SimpleRNN({units}, return_sequences=True),",
                f"    L.GRU(M_{i} := {units} // 2 + 1), L.Dense(3)])",
            ]
        elif style == 1:
            block = [
                f"m{i} = keras.models.Sequential()",
                f"m{i}.add(tf.keras.layers.LSTM({units}, input_shape=(T, D), return_sequences=True))",
                f"m{i}.add(L.Dropout(0.2))",
                f"m{i}.add(R({units} * 2))",
                f"m{i}.add(L.Dense(1))",
            ]
        elif style == 2:
            block = [
                f"inp{i} = keras.Input(shape=(None, D))",
                f"x = L.GRU({units}, return_sequences=True)(inp{i})",
                "x = L.Dropout(0.1)(x)",
                f"x = L.LSTM({units})(x)",
                f"m{i} = keras.Model(inp{i}, L.Dense(2)(x))",
            ]
        else:
            block = [
                f"enc{i} = keras.Input(shape=(T, D))",
                f"_, h{i}, c{i} = R({units}, return_state=True)(enc{i})",
                f"dec{i} = keras.Input(shape=(None, D))",
                f"y{i} = R({units}, return_sequences=True)(dec{i}, initial_state=[h{i}, c{i}])",
                f"m{i} = keras.Model([enc{i}, dec{i}], L.Dense(4)(y{i}))",
            ]
        blocks.append(block)
    filler_per_block = (LINES - len(head) - sum(len(b) for b in blocks)) // MODELS
    lines = list(head)
    for i, block in enumerate(blocks):
        for j in range(filler_per_block):
            lines.append(f"data_{i}_{j} = np.random.randn(T, D) * {j} + {i}  # preprocessing noise")
        lines += block
    while len(lines) < LINES:
        lines.append("print('done')")
    return "\n".join(lines) + "\n"


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    text = generate()
    found = extract_python(text, "bench.py")
    specs = [s for _, s in found.models if isinstance(s, ModelSpec)]
    assert len(specs) == MODELS, [e for _, e in found.models if not isinstance(e, ModelSpec)]
    extract = best_of(5, lambda: extract_python(text, "bench.py"))
    def extract_and_infer() -> None:
        for _, spec in extract_python(text, "bench.py").models:
            if isinstance(spec, ModelSpec):
                infer_model(spec)

    explain = best_of(5, extract_and_infer)
    no_keras = text.replace("keras", "other").replace("tf.", "np.")
    skip = best_of(20, lambda: extract_python(no_keras, "plain.py"))
    print(f"file: {text.count(chr(10)):,} lines, {len(text):,} bytes, {len(specs)} models")
    print(f"extract all models (parse + static read):  {extract * 1000:7.1f} ms  (target well under 1000 ms)")
    print(f"extract + infer every model:               {explain * 1000:7.1f} ms")
    print(f"skip a same-size file without Keras:       {skip * 1000:7.3f} ms  (text pre-check, no parse)")


if __name__ == "__main__":
    main()
