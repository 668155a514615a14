"""``check --numeric``: Keras's numbers against a NumPy forward function.

The Keras side lives here: seeded weights with distinct values per gate (so a swapped
gate order cannot go unnoticed), a seeded probe input, one ``predict``, and the
maximum absolute difference against ``forward_fn``. The NumPy side comes from
``rnnshape.numpy_gen``: it must offer ``forward_function(model_spec)`` returning a
``ForwardFn``. Until that module exists, ``--numeric`` says it is unavailable (exit 4).
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..errors import MissingDependency
from ..spec import ModelSpec
from .probe import plan_probe, probe_arrays

if TYPE_CHECKING:
    import numpy as np

# forward_fn(inputs, weights) -> outputs. ``inputs`` are the model inputs in order,
# ``weights`` the arrays in ``keras_model.get_weights()`` order; the result is one
# array or a sequence of arrays in the model's output order.
ForwardFn = Callable[[Sequence["np.ndarray"], Sequence["np.ndarray"]], Any]

NUMPY_GEN_MODULE = "rnnshape.numpy_gen"
NUMPY_GEN_ENTRY = "forward_function"

# Each gate block is scaled by its own factor: gate k of g gets GATE_SCALES[k].
GATE_SCALES = (0.6, 1.0, 1.4, 1.8)


@dataclass(frozen=True)
class NumericResult:
    max_abs_diff: float
    per_output: tuple[float, ...]
    atol: float
    seed: int
    input_shapes: tuple[tuple[int, ...], ...]
    problem: str | None = None  # set when the outputs could not even be compared

    @property
    def passed(self) -> bool:
        return self.problem is None and self.max_abs_diff <= self.atol


def numpy_forward_available() -> bool:
    try:
        return importlib.util.find_spec(NUMPY_GEN_MODULE) is not None
    except (ImportError, ValueError):
        return False


def load_forward_function() -> Callable[[ModelSpec], ForwardFn]:
    """The generator's ``forward_function``, or a MissingDependency saying why not (exit 4)."""
    if not numpy_forward_available():
        raise MissingDependency(
            "--numeric is unavailable: this build of rnnshape has no NumPy code generator "
            f"({NUMPY_GEN_MODULE}) yet",
            hint="run check without --numeric to compare shapes, parameter counts and weights",
        )
    module = importlib.import_module(NUMPY_GEN_MODULE)
    entry = getattr(module, NUMPY_GEN_ENTRY, None)
    if entry is None:
        raise MissingDependency(
            f"--numeric is unavailable: {NUMPY_GEN_MODULE} has no {NUMPY_GEN_ENTRY}(model_spec)",
            hint="run check without --numeric to compare shapes, parameter counts and weights",
        )
    return entry  # type: ignore[no-any-return]


def seeded_weights(keras_model: Any, seed: int) -> list[np.ndarray]:
    """Give every weight seeded random values, gate blocks scaled apart; returns them in order."""
    import numpy as np

    rng = np.random.default_rng(seed)
    gates = gate_units(keras_model)
    values = []
    for w in keras_model.weights:
        shape = tuple(int(d) for d in w.shape)
        value = rng.uniform(-0.5, 0.5, size=shape)
        units = gates.get(id(w))
        if units and shape and shape[-1] % units == 0 and shape[-1] // units > 1:
            for k in range(shape[-1] // units):
                value[..., k * units : (k + 1) * units] *= GATE_SCALES[k % len(GATE_SCALES)]
        if "variance" in str(w.path):  # BatchNormalization's moving variance must be positive
            value = np.abs(value) + 0.5
        values.append(value.astype(_np_dtype(w)))
    keras_model.set_weights(values)
    return values


def gate_units(keras_model: Any) -> dict[int, int]:
    """``id(variable) -> units`` for weights owned by a layer or cell with ``units``/``filters``."""
    found: dict[int, int] = {}
    for layer in _walk(keras_model, depth=0):
        units = getattr(layer, "units", None) or getattr(layer, "filters", None)
        if isinstance(units, int) and units > 0:
            for w in getattr(layer, "weights", ()):
                found.setdefault(id(w), units)
    return found


def _walk(layer: Any, depth: int) -> Iterator[Any]:
    """Cells before the layers that hold them, so the innermost owner names the units."""
    if depth > 64:
        return
    for attr in ("layers", "cells"):
        for child in getattr(layer, attr, None) or ():
            yield from _walk(child, depth + 1)
    for attr in ("layer", "forward_layer", "backward_layer", "cell"):
        child = getattr(layer, attr, None)
        if child is not None and child is not layer and hasattr(child, "weights"):
            yield from _walk(child, depth + 1)
    yield layer


def numeric_compare(
    model_spec: ModelSpec, keras_model: Any, forward_fn: ForwardFn, atol: float = 1e-5, *, seed: int = 0
) -> NumericResult:
    """Seed the Keras model's weights, predict once, and compare with ``forward_fn``."""
    import numpy as np

    weights = seeded_weights(keras_model, seed)
    probe = plan_probe(model_spec)
    arrays = probe_arrays(probe, seed + 1)
    feed: Any = arrays if len(arrays) > 1 else arrays[0]
    batch = probe[0].shape[0] if probe and probe[0].shape else None
    expected = _as_list(keras_model.predict(feed, batch_size=batch, verbose=0))
    got = _as_list(forward_fn([a.copy() for a in arrays], [w.copy() for w in weights]))
    shapes = tuple(tuple(int(d) for d in a.shape) for a in arrays)
    if len(got) != len(expected):
        return NumericResult(math.inf, (), atol, seed, shapes, f"{len(got)} outputs, Keras has {len(expected)}")
    diffs: list[float] = []
    for index, (mine, theirs) in enumerate(zip(got, expected)):
        mine = np.asarray(mine, dtype=np.float64)
        theirs = np.asarray(theirs, dtype=np.float64)
        if mine.shape != theirs.shape:
            problem = f"output {index} has shape {mine.shape}, Keras {theirs.shape}"
            return NumericResult(math.inf, tuple(diffs), atol, seed, shapes, problem)
        diff = float(np.max(np.abs(mine - theirs))) if mine.size else 0.0
        diffs.append(diff if not math.isnan(diff) else math.inf)
    return NumericResult(max(diffs, default=0.0), tuple(diffs), atol, seed, shapes)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _np_dtype(weight: Any) -> str:
    dtype = getattr(weight, "dtype", "float32")
    return str(getattr(dtype, "name", dtype))
