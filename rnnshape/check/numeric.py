"""``check --numeric``: Keras's numbers against a NumPy forward function.

The Keras side: seeded weights from the generator ``rnnshape numpy`` uses
(``numpy_gen.weights.seeded_array``: every value drawn on its own, so a swapped gate
order cannot go unnoticed), a seeded probe input, one ``predict``, and the maximum
absolute difference against ``forward_fn``. The NumPy side is the code
``rnnshape numpy`` generates (``rnnshape.numpy_gen``: ``generate`` + ``load_forward``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import tempfile
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from ..errors import RnnshapeError
from ..spec import ModelSpec
from .probe import plan_probe, probe_arrays
from ..records import record

if TYPE_CHECKING:
    import numpy as np

# forward_fn(inputs, weights) -> outputs. ``inputs`` are the model inputs in order;
# ``weights`` maps each Keras layer name to its arrays in ``layer.get_weights()`` order
# (layers without weights are absent); the result is one array or a sequence of arrays
# in the model's output order.
ForwardFn = Callable[[Sequence["np.ndarray"], Mapping[str, Sequence["np.ndarray"]]], Any]


@record
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


def forward_function(model_spec: ModelSpec) -> ForwardFn:
    """The forward pass ``rnnshape numpy`` writes for ``model_spec``, as a ``ForwardFn``.

    The module is generated with exactly the weights it is called with, imported from a
    temporary folder, run once, and the folder removed.
    """
    from .. import numpy_gen
    from ..infer import infer_model

    report = infer_model(model_spec)

    def run(inputs: Sequence[np.ndarray], weights: Mapping[str, Sequence[np.ndarray]]) -> Any:
        generated = numpy_gen.generate(model_spec, dict(weights), report=report)
        with tempfile.TemporaryDirectory(prefix="rnnshape-check-") as folder:
            forward = numpy_gen.load_forward(generated, folder)
            return forward(inputs[0] if len(inputs) == 1 else list(inputs))

    return run


def seeded_weights(keras_model: Any, seed: int) -> dict[str, list[np.ndarray]]:
    """Give every weight seeded random values, by the rule ``rnnshape numpy`` uses.

    Returns ``{layer name: arrays}`` in ``layer.get_weights()`` order, as set on the model.
    """
    import numpy as np

    from ..numpy_gen.weights import seeded_array

    rng = np.random.default_rng(seed)
    by_layer: dict[str, list[np.ndarray]] = {}
    for layer in keras_model.layers:
        if not layer.weights:
            continue
        values = [
            seeded_array(rng, str(w.path), tuple(int(d) for d in w.shape)).astype(_np_dtype(w)) for w in layer.weights
        ]
        layer.set_weights(values)
        # Normalization derives its broadcast mean/variance from its weights in
        # finalize_state(), which Keras runs after adapt() or loading, not set_weights().
        if hasattr(layer, "finalize_state"):
            layer.finalize_state()
        by_layer[layer.name] = values
    return by_layer


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
    with _quiet_tf_logger():  # predict traces a fresh tf.function per model: TF warns about "retracing"
        expected = _as_list(keras_model.predict(feed, batch_size=batch, verbose=0))
    shapes = tuple(tuple(int(d) for d in a.shape) for a in arrays)
    try:
        got = _as_list(forward_fn([a.copy() for a in arrays], {k: [w.copy() for w in v] for k, v in weights.items()}))
    except RnnshapeError as err:
        return NumericResult(math.inf, (), atol, seed, shapes, f"no NumPy forward pass: {err}")
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


@contextlib.contextmanager
def _quiet_tf_logger() -> Iterator[None]:
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _np_dtype(weight: Any) -> str:
    dtype = getattr(weight, "dtype", "float32")
    return str(getattr(dtype, "name", dtype))
