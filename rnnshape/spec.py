"""The format-free model description every adapter produces and the core consumes.

A model is a graph of layer *calls*. A Sequential model is the special case of a
chain; Functional files give the general case. Shapes always include the batch axis,
``None`` marks a dynamic dimension.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Mapping, Union

from .errors import Position
from .records import record

Dim = Union[int, None]
Shape = tuple[Dim, ...]


@record
class LayerSpec:
    """One Keras layer as written by the user: class name plus keyword arguments.

    ``args`` holds the arguments exactly as given (Keras names); defaults are filled in
    by the layer registry, so ``args`` stays what the user wrote. Nested layers (the
    ``layer`` of a wrapper) are ``LayerSpec`` values inside ``args``.
    """

    class_name: str
    args: Mapping[str, Any]
    name: str | None = None  # None until named; a layer placed in a model is a NamedLayer
    pos: Position | None = None
    # Positions of individual arguments, for lint messages that point at a key.
    arg_pos: Mapping[str, Position] = field(default_factory=dict)
    # Keras 2 arguments an adapter removed while normalising to Keras 3 (e.g.
    # ``time_major``, ``batch_input_shape``), kept so lint can still flag them.
    legacy: Mapping[str, Any] = field(default_factory=dict)
    # Where the model file defines this layer's class, for a custom class (``class
    # MyCell(layers.Layer)``): its code is never run, so inference stops there unless
    # --assume gives the output. None for a Keras class.
    defined_at: Position | None = None
    # The TensorFlow function of tf.keras 2 code an operation was written as
    # (``tf.reduce_max``), read as its keras.ops equivalent: Keras 3 raises on it when its
    # argument is a Keras tensor, so lint flags it. None for anything else.
    tf_function: str | None = None


@record
class NamedLayer(LayerSpec):
    """A layer placed in a model (an input or a call): its name is settled.

    Readers name layers the way Keras does before they build a model; ``Call`` and
    ``ModelSpec`` turn any ``LayerSpec`` they are given into a ``NamedLayer`` (see
    ``named``), so every consumer reads ``call.layer.name`` as a ``str``.
    """

    name: str


def named(spec: LayerSpec, fallback: str) -> NamedLayer:
    """``spec`` as a ``NamedLayer``; an unnamed one is called ``fallback``."""
    if type(spec) is NamedLayer:
        return spec
    name = spec.name if spec.name is not None else fallback
    return NamedLayer(spec.class_name, spec.args, name, spec.pos, spec.arg_pos, spec.legacy, spec.defined_at, spec.tf_function)


# What an unnamed model input is called (Keras's default name for the first one).
DEFAULT_INPUT_NAME = "input_layer"


@record
class TensorRef:
    """A tensor in the graph: output ``tensor`` of call ``node`` of layer ``layer``."""

    layer: str
    node: int = 0
    tensor: int = 0


@record
class Call:
    """One application of a layer to tensors.

    ``inputs`` are the positional inputs in order; ``as_list`` records whether they were
    passed as one list (``Concatenate()([a, b])``) rather than one tensor.
    ``initial_state`` holds state tensors passed to a recurrent layer.
    ``kwarg_inputs`` holds other keyword tensors (``mask=``, ``key=``) as
    ``(keyword, tensor)`` pairs: graph edges that do not feed the layer's shape rule.
    """

    layer: NamedLayer
    inputs: tuple[TensorRef, ...]
    as_list: bool = False
    initial_state: tuple[TensorRef, ...] = ()
    kwarg_inputs: tuple[tuple[str, TensorRef], ...] = ()

    def __post_init__(self) -> None:
        # An unnamed layer is known by its class name in the tensors that refer to it.
        if type(self.layer) is not NamedLayer:
            object.__setattr__(self, "layer", named(self.layer, self.layer.class_name))


@record
class Expectation:
    """The optional ``expect:`` block of a native config."""

    output_shape: Any = None  # a shape or a list of shapes, without normalisation
    params: int | None = None
    max_params: int | None = None
    pos: Mapping[str, Position] = field(default_factory=dict)
    # A budget of multiply-accumulates for one sample's forward pass (docs/cost.md).
    max_macs: int | None = None
    # A budget of bytes for one sample's inference: the weights plus the activation peak (docs/cost.md).
    max_memory: int | None = None


@record
class ModelSpec:
    """A whole model: its input layers, calls in topological order, and outputs."""

    name: str
    inputs: tuple[NamedLayer, ...]
    calls: tuple[Call, ...]
    outputs: tuple[TensorRef, ...]
    sequential: bool = True
    expect: Expectation | None = None
    source: str = "<model>"
    # Non-fatal remarks from the adapter (e.g. a Keras 2 idiom that was normalised).
    notes: tuple[str, ...] = ()
    # An unbuilt model: the last axis of its (one) input is unknown, explained as a symbol.
    symbolic_input: bool = False
    # The code declares no input at all (Keras 3 builds the model at its first call): an
    # unknown axis of its input is then the data's, not a mistake in the model.
    undeclared_input: bool = False

    def __post_init__(self) -> None:
        if any(type(inp) is not NamedLayer for inp in self.inputs):
            object.__setattr__(self, "inputs", tuple(named(inp, DEFAULT_INPUT_NAME) for inp in self.inputs))


def snake_case(class_name: str) -> str:
    """Keras's default layer-name stem: ``SimpleRNN`` -> ``simple_rnn``, ``ConvLSTM2D`` -> ``conv_lstm2d``."""
    out: list[str] = []
    name = "".join(ch for ch in class_name if ch.isalnum() or ch == "_")
    for i, ch in enumerate(name):
        prev = name[i - 1] if i else ""
        nxt = name[i + 1] if i + 1 < len(name) else ""
        # A capital starts a word after a lower-case letter ("eR" in SimpleRNN) or when
        # a lower-case letter follows it ("MC" in LSTMCell); digits join the word before.
        if i and ch.isupper() and (prev.islower() or nxt.islower()):
            out.append("_")
        out.append(ch)
    return "".join(out).lower()


class Namer:
    """Hands out Keras default names (``lstm``, ``lstm_1``, ...) unique within a model."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.counters: dict[str, int] = {}

    def claim(self, wanted: str | None, class_name: str) -> str:
        if wanted is not None:
            self.taken.add(wanted)
            return wanted
        stem = snake_case(class_name)
        while True:
            n = self.counters.get(stem, 0)
            self.counters[stem] = n + 1
            name = stem if n == 0 else f"{stem}_{n}"
            if name not in self.taken:
                self.taken.add(name)
                return name


def sequential_model(
    name: str,
    input_layer: LayerSpec,
    layers: list[LayerSpec],
    *,
    expect: Expectation | None = None,
    source: str = "<model>",
    notes: tuple[str, ...] = (),
) -> ModelSpec:
    """Chain layers one after another, naming unnamed ones the way Keras would."""
    namer = Namer()
    for spec in [input_layer, *layers]:
        if spec.name is not None:
            namer.taken.add(spec.name)
    named_input = named(input_layer, namer.claim(input_layer.name, "InputLayer"))
    calls: list[Call] = []
    prev = TensorRef(named_input.name)
    for spec in layers:
        layer = named(spec, namer.claim(spec.name, spec.class_name))
        calls.append(Call(layer, (prev,)))
        prev = TensorRef(layer.name)
    return ModelSpec(name, (named_input,), tuple(calls), (prev,), True, expect, source, notes)


# Arguments whose value is itself a layer (or a list of cells), not plain data.
NESTED_LAYER_ARGS = frozenset({"layer", "backward_layer", "cell"})
NESTED_LAYER_LIST_ARGS = frozenset({"cells"})
