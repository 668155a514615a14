"""The small random input a check feeds through both rnnshape and Keras.

Dynamic axes (``None``) get fixed sizes: the batch becomes ``PROBE_BATCH`` and any
other dynamic axis (a variable sequence length) ``PROBE_STEPS``. rnnshape then infers
the model again on exactly that input, so its shapes can be compared with the shapes
of a real forward pass one for one. Inputs that feed an ``Embedding`` (or that are
declared with an integer dtype) get integer ids below the vocabulary size.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..layers.core import input_batch_shape
from ..spec import LayerSpec, ModelSpec, Shape
from ..records import record

if TYPE_CHECKING:  # numpy is only imported when arrays are actually made
    import numpy as np

PROBE_BATCH = 2
PROBE_STEPS = 8
# Integer ids for an integer input that feeds no Embedding stay below this.
DEFAULT_ID_RANGE = 10

# What a string input is fed: words, several per string, some outside any vocabulary.
PROBE_TEXT = ("the model", "a recurrent layer reads steps", "shape", "units and steps")

# Layers whose input is a tensor of integer ids, with the argument bounding the ids.
_ID_LAYERS = {"Embedding": "input_dim"}


@record
class ProbeInput:
    """One model input as the probe feeds it."""

    name: str
    declared: Shape  # as the model declares it, None = dynamic
    shape: tuple[int, ...]  # what the probe actually feeds
    dtype: str  # "float32", or an integer dtype for ids
    id_range: int | None = None  # ids are drawn from [0, id_range) for integer inputs

    @property
    def is_integer(self) -> bool:
        return self.id_range is not None


def plan_probe(model: ModelSpec) -> tuple[ProbeInput, ...]:
    """Concrete shapes and dtypes for every model input."""
    planned = []
    declared_shapes = [input_batch_shape(inp) for inp in model.inputs]
    # All inputs share one batch: a batch fixed on one input (stateful decoders) is used for all.
    fixed = [s[0] for s in declared_shapes if s and s[0] is not None]
    batch = fixed[0] if fixed else PROBE_BATCH
    for inp, declared in zip(model.inputs, declared_shapes):
        name = inp.name
        shape = tuple(
            (batch if axis == 0 else PROBE_STEPS) if dim is None else dim for axis, dim in enumerate(declared)
        )
        declared_dtype = inp.args.get("dtype")
        declared_dtype = declared_dtype if isinstance(declared_dtype, str) else None
        bounds = [b for b in (_id_bound(spec) for spec in _consumers(model, name)) if b is not None]
        integer = bool(bounds) or (declared_dtype or "").startswith(("int", "uint"))
        if integer:
            planned.append(
                ProbeInput(name, declared, shape, declared_dtype or "int32", min(bounds) if bounds else DEFAULT_ID_RANGE)
            )
        else:
            planned.append(ProbeInput(name, declared, shape, declared_dtype or "float32"))
    return tuple(planned)


def concrete_spec(model: ModelSpec, probe: tuple[ProbeInput, ...]) -> ModelSpec:
    """The same model with every input declared at exactly the probe's shape."""
    by_name = {p.name: p for p in probe}
    inputs = []
    for inp in model.inputs:
        planned = by_name[inp.name]
        args: dict[str, Any] = {
            k: v for k, v in inp.args.items() if k not in ("shape", "batch_shape", "batch_input_shape", "batch_size")
        }
        args["batch_shape"] = list(planned.shape)
        inputs.append(replace(inp, args=args))
    return replace(model, inputs=tuple(inputs))


def probe_arrays(probe: tuple[ProbeInput, ...], seed: int) -> list[np.ndarray]:
    """Seeded random arrays for the probe: normal floats, uniform integer ids, or phrases."""
    import numpy as np

    rng = np.random.default_rng(seed)
    arrays = []
    for p in probe:
        if p.dtype == "string":  # text for TextVectorization/StringLookup: a few short phrases
            arrays.append(np.array(PROBE_TEXT)[rng.integers(0, len(PROBE_TEXT), size=p.shape)])
        elif p.is_integer:
            arrays.append(rng.integers(0, p.id_range or 1, size=p.shape).astype(p.dtype))
        else:
            arrays.append(rng.standard_normal(p.shape).astype(p.dtype))
    return arrays


def _consumers(model: ModelSpec, input_name: str) -> Iterator[LayerSpec]:
    for call in model.calls:
        if any(ref.layer == input_name for ref in call.inputs):
            yield call.layer


def _id_bound(spec: LayerSpec) -> int | None:
    """The id range of a layer that reads ids, looking through wrappers (TimeDistributed)."""
    key = _ID_LAYERS.get(spec.class_name)
    if key is not None:
        value = spec.args.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
    inner = spec.args.get("layer")
    return _id_bound(inner) if isinstance(inner, LayerSpec) else None


def describe(probe: tuple[ProbeInput, ...]) -> list[Mapping[str, Any]]:
    """The probe as plain data for reports."""
    return [
        {
            "name": p.name,
            "declared_shape": list(p.declared),
            "shape": list(p.shape),
            "dtype": p.dtype,
            **({"id_range": p.id_range} if p.is_integer else {}),
        }
        for p in probe
    ]
