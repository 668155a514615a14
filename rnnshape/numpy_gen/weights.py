"""The one random-weight generator, and the check of weights given from outside.

``rnnshape numpy`` embeds these values when no weights are given, and
``check --numeric`` sets the very same rule's values on the Keras model: for the same
seed and the same weights in the same order, both sides hold identical numbers.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..errors import SpecError
from ..report import ModelReport


def seeded_array(rng: np.random.Generator, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One weight's seeded values (float64), every value drawn on its own, so every gate differs.

    Kernels are uniform in +-1/sqrt(rows), biases (and other vectors) in +-0.5, variances
    in [0.5, 1.5]: non-zero biases, unlike Keras's initial zeros, so a forgotten or
    misplaced bias shows in a comparison.
    """
    if "variance" in name:  # a variance is positive: BatchNormalization's moving_variance
        return rng.uniform(0.5, 1.5, size=shape)
    limit = 1.0 / np.sqrt(shape[0]) if len(shape) >= 2 and "bias" not in name else 0.5
    return rng.uniform(-limit, limit, size=shape)


def random_weights(report: ModelReport, seed: int = 0) -> dict[str, list[np.ndarray]]:
    """Seeded random float32 weights for every layer of ``report`` that has weights."""
    rng = np.random.default_rng(seed)
    out: dict[str, list[np.ndarray]] = {}
    for layer in report.layers:
        if layer.weights:
            out[layer.name] = [seeded_array(rng, w.name, tuple(w.shape)).astype(np.float32) for w in layer.weights]
    return out


def check_weights(report: ModelReport, weights: Mapping[str, Sequence[np.ndarray]]) -> dict[str, list[np.ndarray]]:
    """Weights given from outside must match the model's weight shapes, layer by layer."""
    checked: dict[str, list[np.ndarray]] = {}
    for layer in report.layers:
        if not layer.weights:
            continue
        got = weights.get(layer.name)
        if got is None:
            raise SpecError(f"the weights have nothing for layer '{layer.name}'", hint=f"they hold: {', '.join(weights) or 'nothing'}")
        want = [tuple(w.shape) for w in layer.weights]
        have = [tuple(np.shape(a)) for a in got]
        if want != have:
            raise SpecError(f"layer '{layer.name}': weight shapes {have} do not match the model's {want}")
        checked[layer.name] = [np.asarray(a, dtype=np.float32) for a in got]
    return checked
