"""What inference produces: one report per layer and the model totals."""

from __future__ import annotations

from dataclasses import field
from typing import Any, Mapping

from .errors import RnnshapeError
from .layers.base import WeightSpec, param_count
from .poly import Poly
from .spec import LayerSpec, ModelSpec, Shape, TensorRef
from .symbols import Legend, Symbols
from .records import record


# Bytes per weight of the storage types the cost report states parameter memory for.
STORAGE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}


@record
class SymbolicWeight:
    """A weight whose shape depends on an unknown input dimension: ``kernel (D, 128)``."""

    name: str
    shape: tuple[int | None, ...]  # None on each axis that depends on the unknown
    text: str  # "(D, 128)"
    size: Poly
    trainable: bool


@record
class Symbolic:
    """A layer of an unbuilt model on whose unknown input dimension something depends.

    The shapes as text with the unknown named (``(None, D + 8)``; the report's own shapes
    hold None there, as Keras's JSON would), and, when its parameters depend on it, its
    weights (the layer's ``weights`` are then empty and its counts are polynomials).
    """

    input_shapes: tuple[str, ...]
    outputs: tuple[str, ...]
    weights: tuple[SymbolicWeight, ...] = ()


@record
class LayerReport:
    name: str
    class_name: str
    spec: LayerSpec
    config: Mapping[str, Any]  # resolved: the user's arguments plus Keras 3 defaults
    input_shapes: tuple[Shape, ...]
    outputs: tuple[Shape, ...]
    weights: tuple[WeightSpec, ...]
    formula: str
    bytes_per_param: int
    output_symbols: tuple[Symbols, ...]
    inbound: tuple[str, ...] = ()  # "name[node][tensor]" of each input, for graphs
    input_symbols: tuple[Symbols, ...] = ()
    # Each weight's shape with named axes, e.g. "(D, 4M)"; None where not known.
    weight_axes: tuple[str | None, ...] = ()
    # Multiply-accumulates of one sample's forward pass (None: a dimension is unknown), and how.
    macs: int | None = 0
    macs_formula: str = "0"
    # Set on the layers of an unbuilt model that depend on its unknown input dimension.
    symbolic: Symbolic | None = None
    # Floating-point operations of the same pass: 2·MACs plus the element-wise work, and how.
    flops: int | None = 0
    flops_formula: str = "0"
    # False for a layer rnnshape cannot count (a custom class carried by --assume): its
    # ``params`` are then only the weights it knows of (none), and the totals say so.
    params_known: bool = True

    @property
    def params(self) -> int:
        """The count; 0 for a layer whose weights depend on an unknown (see ``params_poly``)."""
        return param_count(self.weights)

    @property
    def params_poly(self) -> Poly:
        """The count as a polynomial in the model's unknowns (a constant for a built model)."""
        if self.symbolic is not None and self.symbolic.weights:
            return sum((w.size for w in self.symbolic.weights), Poly.const(0))
        return Poly.const(self.params)

    @property
    def trainable_poly(self) -> Poly:
        if self.symbolic is not None and self.symbolic.weights:
            return sum((w.size for w in self.symbolic.weights if w.trainable), Poly.const(0))
        return Poly.const(self.trainable_params)

    @property
    def params_text(self) -> str:
        """``12,804`` or ``128D + 4,224``."""
        return self.params_poly.text()

    @property
    def trainable_params(self) -> int:
        return param_count([w for w in self.weights if w.trainable])

    @property
    def non_trainable_params(self) -> int:
        return self.params - self.trainable_params


@record
class ModelReport:
    name: str
    layers: tuple[LayerReport, ...]
    outputs: tuple[Shape, ...]
    sequential: bool
    legend: tuple[Legend, ...]
    source: str
    notes: tuple[str, ...] = ()
    # Every tensor inference made: its shape, axis symbols and Keras label ``layer[node][tensor]``.
    # A shared layer's calls each have their own (the layer rows show only the last call's).
    tensors: Mapping[TensorRef, tuple[Shape, Symbols, str]] = field(default_factory=dict, compare=False)
    # The model as inferred: its calls in order, which the memory estimate walks (rnnshape.memory).
    model: ModelSpec | None = field(default=None, compare=False)
    # The unknown input dimensions of an unbuilt model, explained as symbols ("D"); () when built.
    unknowns: tuple[str, ...] = ()
    # Its tensors whose shapes have an unknown axis, written with it: "(None, None, D)".
    shape_texts: Mapping[TensorRef, str] = field(default_factory=dict, compare=False)

    @property
    def params_poly(self) -> Poly:
        """The total as a polynomial in ``unknowns`` (a constant for a built model)."""
        return sum((r.params_poly for r in self.layers), Poly.const(0))

    @property
    def trainable_poly(self) -> Poly:
        return sum((r.trainable_poly for r in self.layers), Poly.const(0))

    @property
    def param_bytes_poly(self) -> Poly:
        return sum((r.params_poly * Poly.const(r.bytes_per_param) for r in self.layers), Poly.const(0))

    @property
    def trainable_bytes_poly(self) -> Poly:
        return sum((r.trainable_poly * Poly.const(r.bytes_per_param) for r in self.layers), Poly.const(0))

    @property
    def chain_like(self) -> bool:
        """Keras's "sequential-like" test: every layer called once on one tensor that nobody else uses.

        Such a graph reads as a list, so its table needs no "Connected to" column.
        """
        if self.sequential:
            return True
        consumed = [label for r in self.layers for label in r.inbound]
        if len(consumed) != len(set(consumed)):
            return False
        return all(len(r.inbound) == 1 for r in self.layers if r.class_name != "InputLayer") and not any(
            "[1]" in label for label in consumed
        )

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.layers)

    @property
    def trainable_params(self) -> int:
        return sum(r.trainable_params for r in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(r.non_trainable_params for r in self.layers)

    @property
    def unknown_params(self) -> tuple[LayerReport, ...]:
        """The layers whose parameters rnnshape cannot count: the totals are then lower bounds."""
        return tuple(r for r in self.layers if not r.params_known)

    @property
    def total_macs(self) -> int | None:
        """The sum of the layers' MACs; None when any layer's is unknown."""
        counts = [r.macs for r in self.layers]
        return None if None in counts else sum(c for c in counts if c is not None)

    @property
    def unknown_macs(self) -> tuple[LayerReport, ...]:
        return tuple(r for r in self.layers if r.macs is None)

    @property
    def total_flops(self) -> int | None:
        """The sum of the layers' FLOPs; None when any layer's is unknown."""
        counts = [r.flops for r in self.layers]
        return None if None in counts else sum(c for c in counts if c is not None)

    @property
    def unknown_flops(self) -> tuple[LayerReport, ...]:
        return tuple(r for r in self.layers if r.flops is None)

    def param_bytes_as(self, dtype: str) -> int:
        """The weights' bytes if every weight were stored as ``dtype`` (docs/cost.md)."""
        return self.total_params * STORAGE_BYTES[dtype]

    @property
    def param_bytes(self) -> int:
        return sum(r.params * r.bytes_per_param for r in self.layers)

    @property
    def trainable_bytes(self) -> int:
        return sum(r.trainable_params * r.bytes_per_param for r in self.layers)

    @property
    def non_trainable_bytes(self) -> int:
        return self.param_bytes - self.trainable_bytes


@record
class FailedLayer:
    """Where inference stopped: the error as raised, and the call it was inferring.

    ``layer`` is None when no single call failed (a model output that names no tensor).
    """

    error: RnnshapeError
    layer: str | None
    class_name: str | None
    input_shapes: tuple[Shape, ...]
    inbound: tuple[str, ...]


def readable_size(num_bytes: int) -> str:
    """Keras's ``readable_memory_size``: 228 -> ``228.00 B``, 33604 -> ``32.82 KB``."""
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    size = float(num_bytes)
    unit = 0
    while size >= 1024 and unit < len(units) - 1:
        size /= 1024
        unit += 1
    return f"{size:.2f} {units[unit]}"


def dtype_bytes(dtype: Any) -> int:
    """Bytes per weight for a layer ``dtype`` (a name or a serialized DTypePolicy)."""
    if isinstance(dtype, Mapping):
        config = dtype.get("config")
        dtype = config.get("name") if isinstance(config, Mapping) else None
    if not isinstance(dtype, str):
        return 4
    # Mixed policies compute in 16 bits but keep float32 variables.
    if dtype.startswith("mixed_"):
        return 4
    return {"float16": 2, "bfloat16": 2, "float64": 8, "float32": 4}.get(dtype, 4)
