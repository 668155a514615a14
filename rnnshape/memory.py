"""Memory estimates: parameters, one inference's activations, and a training step's footprint.

The rules (docs/cost.md states them with examples):

- A tensor's bytes for one sample: the product of its non-batch axes times its item
  size: the dtype of the layer that makes it (float32 unless the layer's dtype or
  policy says otherwise; a ``mixed_*`` policy computes in 16 bits), a model input's
  declared dtype. Unknown when an axis it needs is unknown (timesteps None) or the
  tensor holds strings.
- Inference: the largest set of tensors alive at once along the graph's topological
  order (``graph.steps``). A tensor lives from the call that makes it until its last
  reader has run; inputs from the start; the model's outputs to the end. While a call
  runs, its inputs, its outputs and its working tensors are alive together: a recurrent
  layer's working tensors are one step's states and gates (``step_elements``); a nested
  model's call holds its own peak with its inputs already counted outside.
- Training, per sample: backpropagation keeps every tensor the forward pass made
  (inputs included), plus, for a recurrent layer, every step's states and gates: T
  times its ``step_elements``. Per model: the weights, their gradients (the trainable
  weights' bytes) and the optimizer's state (``OPTIMIZER_SLOTS``).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, Iterable, Mapping

from .graph import Step, TensorTable, edges, input_ref, last_reads, nested_model, steps
from .layers import find_layer_def
from .layers.base import resolve_args
from .records import record
from .report import LayerReport, ModelReport
from .spec import LayerSpec, ModelSpec, NamedLayer, Shape, TensorRef

# Slots per trainable weight that each optimizer keeps (Keras 3 defaults): Adam its first
# and second moments, SGD with momentum and RMSprop one average each, plain SGD none.
OPTIMIZER_SLOTS = {"adam": 2, "sgd": 0, "sgd-momentum": 1, "rmsprop": 1, "none": 0}
OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "sgd-momentum": "SGD with momentum", "rmsprop": "RMSprop",
                   "none": "no optimizer"}
# Every Keras optimizer also keeps two scalars: its iteration count (int64) and learning rate (float32).
OPTIMIZER_SCALAR_BYTES = 8 + 4

# Bytes per value of the dtypes a tensor may have; strings have no fixed size (absent).
_ITEM_BYTES = {
    "float16": 2, "bfloat16": 2, "float32": 4, "float64": 8, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2,
    "int32": 4, "uint32": 4, "int64": 8, "uint64": 8, "bool": 1,
}


@record
class MemoryEstimate:
    """A model's memory figures in bytes; None where a needed dimension is unknown."""

    batch_size: int
    optimizer: str
    # None (all three) when a layer's weights cannot be counted (a custom class, --assume).
    param_bytes: int | None  # the weights at their own dtypes
    gradient_bytes: int | None  # one gradient per trainable weight
    optimizer_state_bytes: int | None
    activation_bytes_per_sample: int | None  # the inference peak
    training_bytes_per_sample: int | None  # what backpropagation keeps for one sample
    unknown: tuple[str, ...] = ()  # the layers (or inputs) whose tensor sizes are unknown
    strings: tuple[str, ...] = ()  # the inputs among them that hold strings (no fixed size)

    @property
    def inference_bytes(self) -> int | None:
        """Weights plus the activations of a batch."""
        per_sample = self.activation_bytes_per_sample
        return _add(self.param_bytes, None if per_sample is None else self.batch_size * per_sample)

    @property
    def training_fixed_bytes(self) -> int | None:
        """What training holds whatever the batch: weights, gradients, optimizer state."""
        return _total([self.param_bytes, self.gradient_bytes, self.optimizer_state_bytes])

    @property
    def training_bytes(self) -> int | None:
        per_sample = self.training_bytes_per_sample
        return _add(self.training_fixed_bytes, None if per_sample is None else self.batch_size * per_sample)


def estimate(report: ModelReport, *, batch_size: int = 1, optimizer: str = "adam") -> MemoryEstimate:
    """The memory figures of an inferred model (``report.model`` is the graph it walked)."""
    # Unknown too where the count is a formula in an unbuilt model's unknown input size (rnnshape.symbolic).
    known = not report.unknown_params and report.params_poly.constant is not None
    weights = report.param_bytes if known else None
    trainable = report.trainable_bytes if known else None
    slots = 0 if optimizer == "none" else OPTIMIZER_SLOTS[optimizer] * report.trainable_bytes + OPTIMIZER_SCALAR_BYTES
    state = slots if known else None
    model = report.model
    if model is None:  # a report made without its graph: activations cannot be walked
        return MemoryEstimate(batch_size, optimizer, weights, trainable, state, None, None, ())
    walk = _Walk(report, model)
    peak, training = walk.peak(count_inputs=True), walk.training()
    return MemoryEstimate(
        batch_size, optimizer, weights, trainable, state, peak, training, tuple(walk.unknown_layers()),
        tuple(walk.strings),
    )


def tensor_sizes(report: ModelReport) -> Mapping[TensorRef, int | None]:
    """Every tensor's bytes for one sample, keyed like ``report.tensors``."""
    return _Walk(report, _graph(report)).sizes


def activation_peak(report: ModelReport, sizes: Mapping[TensorRef, int | None] | None = None) -> int | None:
    """The inference rule's peak for one sample; ``sizes`` replaces the tensors' sizes (a test
    gives the sizes of the tensors a real forward pass made)."""
    return _Walk(report, _graph(report), sizes).peak(count_inputs=True)


def training_activations(report: ModelReport, sizes: Mapping[TensorRef, int | None] | None = None) -> int | None:
    """What backpropagation keeps for one sample, by the training rule; ``sizes`` as above."""
    return _Walk(report, _graph(report), sizes).training()


def _graph(report: ModelReport) -> ModelSpec:
    if report.model is None:
        raise ValueError("the report was made without its model graph")
    return report.model


def live_peak(
    model: ModelSpec, sizes: Mapping[TensorRef, int | None], held: Callable[[Step], int | None], *, count_inputs: bool
) -> int | None:
    """The most bytes alive at once when ``model``'s calls run in order.

    ``sizes`` gives each tensor's bytes; ``held(step)`` what a call holds while it runs
    beyond its inputs and outputs. Without ``count_inputs`` the inputs are taken as held
    elsewhere (a nested model's inputs are its caller's tensors).
    """
    last_read = last_reads(model)
    alive = _Alive(sizes)
    for inp in model.inputs if count_inputs else ():
        alive.add(input_ref(inp))
    peak = alive.total()
    for step in steps(model):
        outputs = made_by(step, sizes)
        peak = _max(peak, _total([alive.total(), *(sizes[ref] for ref in outputs), held(step)]))
        for ref in outputs:
            if last_read.get(ref, -1) > step.position:
                alive.add(ref)
        for ref in set(edges(step.call)):
            if last_read.get(ref) == step.position:
                alive.remove(ref)
    return peak


def step_elements(layer: LayerReport) -> int | None:
    """Values one step of a recurrent layer keeps: its states and gates, each of the state's size.

    LSTM 2M + 4M, GRU M + 3M, SimpleRNN M (its one activation is its state), from the
    registry's ``states`` and ``gates``; both directions of a Bidirectional; every cell of
    an RNN. 0 for a layer without a recurrence.
    """
    counted = _spec_step_elements(layer.spec)
    if counted is not None:
        return counted
    # No units argument (ConvLSTM): one state is the output's size without batch and time.
    return _per_state(layer) * _state_and_gate_count(layer.spec)


def steps_of(layer: LayerReport, x: Shape) -> int | None:
    """How many recurrent steps a layer runs per sample on input ``x`` (TimeDistributed runs its layer per slice)."""
    if layer.class_name == "TimeDistributed":
        return None if len(x) < 3 or x[1] is None or x[2] is None else x[1] * x[2]
    return x[1] if len(x) > 1 else None


class _Alive:
    """The tensors alive now, with their running total (None while any size is unknown)."""

    def __init__(self, sizes: Mapping[TensorRef, int | None]) -> None:
        self.sizes = sizes
        self.refs: set[TensorRef] = set()
        self.known = 0
        self.unknown = 0

    def add(self, ref: TensorRef) -> None:
        self.refs.add(ref)
        size = self.sizes.get(ref)
        if size is None:
            self.unknown += 1
        else:
            self.known += size

    def remove(self, ref: TensorRef) -> None:
        if ref not in self.refs:
            return
        self.refs.discard(ref)
        size = self.sizes.get(ref)
        if size is None:
            self.unknown -= 1
        else:
            self.known -= size

    def total(self) -> int | None:
        return None if self.unknown else self.known


class _Walk:
    """One model's tensors and calls, with the reasons any size is unknown."""

    def __init__(
        self, report: ModelReport, model: ModelSpec, sizes: Mapping[TensorRef, int | None] | None = None
    ) -> None:
        self.report, self.model = report, model
        self.layers = {layer.name: layer for layer in report.layers}
        self.unknown: list[str] = []
        self.calls = {(s.name, s.node): s for s in steps(model)}
        # Per tensor: its item size (an output's dtype may be its input's) and its bytes.
        table: TensorTable[tuple[int | None, int | None]] = TensorTable()
        self.strings = []
        for inp in model.inputs:
            item = _input_item(inp)
            if item is None:
                self.strings.append(inp.name)
            table.add_input(inp, (item, self._bytes(input_ref(inp), item)))
        for step in self.calls.values():
            item = _output_item(self.layers.get(step.name), [i for i, _ in table.inputs(step.call)])
            table.add_outputs(step, ((item, self._bytes(ref, item)) for ref in made_by(step, report.tensors)))
        self.sizes = {**{ref: size for ref, (_, size) in table.values.items()}, **(sizes or {})}
        self._inner: dict[tuple[str, int], _Walk] = {}
        self._step_bytes: dict[str, int | None] = {}

    def _bytes(self, ref: TensorRef, item: int | None) -> int | None:
        size = _tensor_bytes(self.report.tensors[ref][0], item)
        if size is None:
            self.unknown.append(ref.layer)
        return size

    def unknown_layers(self) -> list[str]:
        """Whose sizes are unknown: this model's layers and inputs, and nested models with any."""
        nested = [name for (name, _), walk in self._inner.items() if walk.unknown_layers()]
        return list(dict.fromkeys(self.unknown + nested))

    def step_bytes(self, layer: LayerReport) -> int | None:
        """One recurrent step's states and gates in bytes (once per layer: shared calls are alike)."""
        if layer.name not in self._step_bytes:
            elements = step_elements(layer)
            self._step_bytes[layer.name] = None if elements is None else elements * _layer_item(layer)
        return self._step_bytes[layer.name]

    def peak(self, *, count_inputs: bool) -> int | None:
        return live_peak(self.model, self.sizes, self.held, count_inputs=count_inputs)

    def held(self, step: Step) -> int | None:
        """Beyond its outputs: a recurrent step's states and gates, or a nested model's inner peak."""
        inner = self.inner(step)
        if inner is not None:
            own = [self.sizes[ref] for ref in made_by(step, self.sizes)]
            inner_peak, outputs = inner.peak(count_inputs=False), _total(own)
            return None if inner_peak is None or outputs is None else max(0, inner_peak - outputs)
        layer = self.layers[step.name]
        one_step = self.step_bytes(layer)
        if layer.class_name != "TimeDistributed" or not one_step:
            return one_step
        # Keras runs the wrapped layer on all T slices at once, as a batch of N·T.
        slices = self.report.tensors[step.call.inputs[0]][0][1]
        return None if slices is None or one_step is None else slices * one_step

    def training(self) -> int | None:
        """Every tensor made (inputs included) plus every recurrent step's states and gates."""
        total = _total(self.sizes.values())
        for step in self.calls.values():
            inner = self.inner(step)
            if inner is not None:  # its inputs and outputs are this model's tensors, counted above
                ends = [*(input_ref(inp) for inp in inner.model.inputs), *inner.model.outputs]
                bounds = _total(inner.sizes.get(ref) for ref in ends)
                inner_total = inner.training()
                total = _add(total, None if inner_total is None or bounds is None else inner_total - bounds)
                continue
            layer = self.layers[step.name]
            per_step = self.step_bytes(layer)
            if per_step == 0:
                continue
            t = steps_of(layer, self.report.tensors[step.call.inputs[0]][0])  # this call's input
            if per_step is None or t is None:
                self.unknown.append(layer.name)
            total = _add(total, None if per_step is None or t is None else t * per_step)
        return total

    def inner(self, step: Step) -> _Walk | None:
        """A nested model's own walk, inferred on the shapes this call feeds it."""
        inner_model = nested_model(step.call.layer)
        if inner_model is None:
            return None
        key = (step.name, step.node)
        if key not in self._inner:
            from .infer import infer_model  # memory is computed after inference; no cycle at import

            fed_shapes = [self.report.tensors[ref][0] for ref in step.call.inputs]
            fed = tuple(
                NamedLayer("InputLayer", {"batch_shape": list(shape), **_dtype_arg(old)}, old.name, old.pos)
                for old, shape in zip(inner_model.inputs, fed_shapes)
            )
            inner_model = replace(inner_model, inputs=fed)
            walk = _Walk(infer_model(inner_model), inner_model)
            self._inner[key] = walk
        return self._inner[key]


def made_by(step: Step, tensors: Mapping[TensorRef, object]) -> list[TensorRef]:
    """The tensors a call made, as ``tensors`` (keyed like ``report.tensors``) holds them."""
    found: list[TensorRef] = []
    while step.output(len(found)) in tensors:
        found.append(step.output(len(found)))
    return found


def _dtype_arg(inp: NamedLayer) -> dict[str, object]:
    dtype = inp.args.get("dtype")
    return {"dtype": dtype} if isinstance(dtype, str) else {}


def _spec_step_elements(spec: LayerSpec) -> int | None:
    """Per-step values from the units arguments; None where a layer has none (ConvLSTM)."""
    cls = spec.class_name
    if cls == "Bidirectional":
        forward = spec.args.get("layer")
        backward = spec.args.get("backward_layer")
        backward = backward if isinstance(backward, LayerSpec) else forward
        parts = [_spec_step_elements(s) if isinstance(s, LayerSpec) else None for s in (forward, backward)]
        return None if None in parts else sum(p for p in parts if p is not None)
    if cls in ("RNN", "StackedRNNCells", "TimeDistributed"):
        held = spec.args.get({"RNN": "cell", "StackedRNNCells": "cells", "TimeDistributed": "layer"}[cls])
        items = held if isinstance(held, (list, tuple)) else [held]
        parts = [_spec_step_elements(s) if isinstance(s, LayerSpec) else None for s in items]
        return None if None in parts else sum(p for p in parts if p is not None)
    entry = find_layer_def(cls)
    if entry is None or not entry.states:
        return 0
    units = resolve_args(entry, spec).get("units")
    return units * (len(entry.states) + len(entry.gates)) if isinstance(units, int) else None


def _state_and_gate_count(spec: LayerSpec) -> int:
    """States plus gates of the recurrent layer a wrapper holds, times its directions."""
    if spec.class_name == "Bidirectional":
        inner = spec.args.get("layer")
        return 2 * _state_and_gate_count(inner) if isinstance(inner, LayerSpec) else 0
    entry = find_layer_def(spec.class_name)
    return 0 if entry is None else len(entry.states) + len(entry.gates)


def _per_state(layer: LayerReport) -> int:
    """The values of one state of one direction: the first output without batch and time axes."""
    out = layer.outputs[0]
    sequences = bool(layer.config.get("return_sequences", False))
    inner = layer.config.get("layer")
    if isinstance(inner, LayerSpec):
        sequences = bool(inner.args.get("return_sequences", False))
    kept = out[2:] if sequences else out[1:]
    values = math.prod(d for d in kept if d is not None)
    return values // 2 if layer.class_name == "Bidirectional" and layer.config.get("merge_mode") == "concat" else values


def _tensor_bytes(shape: Shape, item: int | None) -> int | None:
    if item is None or any(d is None for d in shape[1:]):
        return None
    return math.prod(d for d in shape[1:] if d is not None) * item


def _input_item(inp: NamedLayer) -> int | None:
    dtype = inp.args.get("dtype")
    return 4 if not isinstance(dtype, str) else _ITEM_BYTES.get(dtype)


def _output_item(layer: LayerReport | None, inputs: list[int | None]) -> int | None:
    """The item size of a layer's outputs: its entry's ``output_dtype``, else its compute dtype."""
    entry = None if layer is None else find_layer_def(layer.class_name)
    wanted = None if entry is None else entry.output_dtype
    if wanted == "input":
        return inputs[0] if inputs else None
    return _ITEM_BYTES[wanted] if wanted is not None else _layer_item(layer)


def _layer_item(layer: LayerReport | None) -> int:
    """The item size a layer computes in: its dtype or policy (``mixed_float16`` computes in 16 bits)."""
    dtype = None if layer is None else layer.config.get("dtype")
    if isinstance(dtype, Mapping):
        config = dtype.get("config")
        dtype = config.get("name") if isinstance(config, Mapping) else None
    if not isinstance(dtype, str):
        return 4
    return _ITEM_BYTES.get(dtype.removeprefix("mixed_"), 4)


def _total(values: Iterable[int | None]) -> int | None:
    listed = list(values)
    return None if None in listed else sum(v for v in listed if v is not None)


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _max(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else max(a, b)
