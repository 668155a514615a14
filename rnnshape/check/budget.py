"""How much a check would cost, estimated from rnnshape's report before Keras builds anything.

Memory = parameter bytes + activations (every layer's inputs and outputs on the probe
input). Work = multiply-accumulates, approximated per layer as its parameter count times
the positions it is applied at (all input axes but the last: batch x time for an RNN).
A model over either limit is refused unless ``--force``. The limits can be moved with
``RNNSHAPE_CHECK_MAX_BYTES`` and ``RNNSHAPE_CHECK_MAX_MACS``. Independently of ``--force``, a
model of more than ``RNNSHAPE_CHECK_MAX_LAYERS`` layers is refused (Keras would run out of stack).
The runner decides all of this before any Keras object of the model exists.
"""

from __future__ import annotations

import math

from .. import limits as limit_defs
from ..errors import TooLarge
from ..report import ModelReport, readable_size
from ..records import record


@record
class Estimate:
    param_bytes: int
    activation_bytes: int
    macs: int

    @property
    def total_bytes(self) -> int:
        return self.param_bytes + self.activation_bytes


def estimate(concrete: ModelReport) -> Estimate:
    """The cost of building ``concrete`` (rnnshape's report on the probe input)."""
    activations = 0
    macs = 0
    for layer in concrete.layers:
        elements = sum(_size(s) for s in (*layer.input_shapes, *layer.outputs))
        activations += elements * max(layer.bytes_per_param, 4)
        positions = _size(layer.input_shapes[0][:-1]) if layer.input_shapes and layer.input_shapes[0] else 1
        macs += layer.params * positions
    return Estimate(concrete.param_bytes, activations, macs)


def limits() -> tuple[int, int]:
    return limit_defs.value(limit_defs.CHECK_BYTES), limit_defs.value(limit_defs.CHECK_MACS)


def refuse_if_too_large(est: Estimate, name: str) -> None:
    max_bytes, max_macs = limits()
    reasons = []
    if est.total_bytes > max_bytes:
        reasons.append(
            f"would need about {readable_size(est.total_bytes)} "
            f"({readable_size(est.param_bytes)} of parameters + {readable_size(est.activation_bytes)} of activations "
            f"for the probe input), over the limit of {readable_size(max_bytes)}"
        )
    if est.macs > max_macs:
        reasons.append(f"would take about {est.macs:.2e} multiply-adds, over the limit of {max_macs:.2e}")
    if reasons:
        raise TooLarge(
            f"model '{name}' is too large to build: " + "; ".join(reasons),
            hint="pass --force to build it anyway (or raise RNNSHAPE_CHECK_MAX_BYTES / RNNSHAPE_CHECK_MAX_MACS)",
        )


def refuse_if_too_deep(concrete: ModelReport, name: str) -> None:
    """Keras recurses through a model once per layer: past the limit it would fail with a
    RecursionError (or exhaust memory), so the model is refused with the limit, even with --force."""
    count = len(concrete.layers)
    if count > limit_defs.value(limit_defs.CHECK_LAYERS):
        raise TooLarge(f"model '{name}' is too large to build: " + limit_defs.exceeded(limit_defs.CHECK_LAYERS, f"it has {count:,} layers"))


def _size(shape: tuple[int | None, ...]) -> int:
    return math.prod(d or 1 for d in shape)

