"""The model graph: the one walk over a model's calls and tensors, and over nested layers.

Inference, the NumPy generator and the Keras builder all interpret a ``ModelSpec`` by
walking its calls in order and keeping a table of the tensors made so far. This module
is that walk, written once, so node indices (a shared layer's second call is node 1),
initial states, keyword tensors (``mask=``, ``key=``) and nested models mean the same to
every interpreter. Each interpreter stores what it needs per tensor (a shape, a variable
name, a Keras tensor) in a ``TensorTable`` of its own type.

It also holds the one walk over layers nested in a layer's arguments (a wrapper's
``layer``/``backward_layer``, an RNN's ``cell`` or ``cells``).
"""

from __future__ import annotations

import heapq
from typing import Any, Callable, Collection, Generic, Iterable, Iterator, Mapping, NamedTuple, Sequence, TypeVar

from .errors import SpecError
from .spec import Call, LayerSpec, ModelSpec, NamedLayer, TensorRef
from .records import record

T = TypeVar("T")

# Class names of whole models used as a layer: ``LayerSpec(cls, {"model": ModelSpec})``.
MODEL_CLASSES = frozenset({"Sequential", "Functional", "Model"})


class Step(NamedTuple):
    """One call of the model, in topological order.

    ``node`` is the call's index among the calls of the same layer, as Keras numbers a
    layer's inbound nodes: 0 for its first call, 1 for the next call of a shared layer.
    (A NamedTuple: one is made per call, and a tuple is the cheapest record to make.)
    """

    call: Call
    position: int  # among the model's calls
    node: int

    @property
    def name(self) -> str:
        return self.call.layer.name

    @property
    def first(self) -> bool:
        """Whether this call builds the layer (later calls share its weights)."""
        return self.node == 0

    def output(self, index: int) -> TensorRef:
        """The reference to this call's ``index``-th output tensor."""
        return TensorRef(self.name, self.node, index)


def steps(model: ModelSpec) -> Iterator[Step]:
    """Every call of ``model`` in order, with its node index (linear in the number of calls)."""
    seen: dict[str, int] = {}
    for index, call in enumerate(model.calls):
        name = call.layer.name
        node = seen.get(name, 0)
        seen[name] = node + 1
        yield Step(call, index, node)


def first_calls(model: ModelSpec) -> dict[str, Call]:
    """Each layer's first call, by layer name, in the order layers are first called."""
    found: dict[str, Call] = {}
    for call in model.calls:
        found.setdefault(call.layer.name, call)
    return found


def input_ref(spec: NamedLayer) -> TensorRef:
    """The tensor a model input stands for."""
    return TensorRef(spec.name)


def edges(call: Call) -> tuple[TensorRef, ...]:
    """All tensors a call reads: positional inputs, then initial states, then keyword tensors."""
    return (*call.inputs, *call.initial_state, *(ref for _, ref in call.kwarg_inputs))


def consumer_classes(model: ModelSpec, inp: NamedLayer) -> set[str]:
    """The classes of the layers that read model input ``inp``."""
    ref = input_ref(inp)
    return {call.layer.class_name for call in model.calls if ref in edges(call)}


def nested_model(spec: LayerSpec) -> ModelSpec | None:
    """The inner model when ``spec`` is a Sequential/Functional used as a layer."""
    inner = spec.args.get("model")
    return inner if spec.class_name in MODEL_CLASSES and isinstance(inner, ModelSpec) else None


def topological_order(
    listed: Sequence[tuple[int, Call]], input_names: Collection[str], layer_names: Collection[str]
) -> list[Call]:
    """Calls as a file lists them (layer by layer, each with its node index), reordered so
    every tensor is made before it is read.

    Kahn's algorithm, keeping the listed order among ready calls and node order per layer.
    """
    key_of = {(call.layer.name, node): i for i, (node, call) in enumerate(listed)}
    waiting_on: list[int] = [0] * len(listed)
    users: dict[int, list[int]] = {}
    for i, (node, call) in enumerate(listed):
        needs = set()
        for ref in edges(call):
            if ref.layer in input_names and ref.node == 0:
                continue
            producer = key_of.get((ref.layer, ref.node))
            if producer is None:
                what = "no layer of this model" if ref.layer not in layer_names else f"a node {ref.layer} does not have"
                raise SpecError(
                    f"uses tensor {ref.layer}[{ref.node}][{ref.tensor}], which is {what}",
                    pos=call.layer.pos,
                    layer=call.layer.name,
                )
            needs.add(producer)
        if node > 0:
            needs.add(key_of[(call.layer.name, node - 1)])
        needs.discard(i)
        waiting_on[i] = len(needs)
        for producer in needs:
            users.setdefault(producer, []).append(i)
    ready = [i for i, n in enumerate(waiting_on) if n == 0]
    heapq.heapify(ready)
    ordered: list[Call] = []
    while ready:
        i = heapq.heappop(ready)
        ordered.append(listed[i][1])
        for user in users.get(i, ()):
            waiting_on[user] -= 1
            if waiting_on[user] == 0:
                heapq.heappush(ready, user)
    if len(ordered) != len(listed):
        stuck = next(listed[i][1].layer for i, n in enumerate(waiting_on) if n > 0)
        raise SpecError("the layer graph has a cycle", pos=stuck.pos, layer=stuck.name)
    return ordered


def _no_tensor(ref: TensorRef, call: Call | None) -> Exception:
    return KeyError(f"no earlier call produces tensor {ref.layer}[{ref.node}][{ref.tensor}]")


class TensorTable(Generic[T]):
    """The tensors made so far, each holding what one interpreter stores for it.

    ``missing`` makes the error raised for a reference no earlier call produces; it gets
    the reference and the call that reads it (None for the model's outputs).
    """

    def __init__(self, missing: Callable[[TensorRef, Call | None], Exception] = _no_tensor) -> None:
        self.values: dict[TensorRef, T] = {}
        self._missing = missing

    def add_input(self, spec: NamedLayer, value: T) -> None:
        self.values[input_ref(spec)] = value

    def add_outputs(self, step: Step, values: Iterable[T]) -> None:
        name, node = step.call.layer.name, step.node
        for index, value in enumerate(values):
            self.values[TensorRef(name, node, index)] = value

    def get(self, ref: TensorRef, call: Call | None = None) -> T:
        return self._resolve((ref,), call)[0]

    def inputs(self, call: Call) -> list[T]:
        return self._resolve(call.inputs, call)

    def initial_state(self, call: Call) -> list[T]:
        return self._resolve(call.initial_state, call)

    def edges(self, call: Call) -> list[T]:
        """What ``edges(call)`` refers to, in that order."""
        return self._resolve(edges(call), call)

    def outputs(self, model: ModelSpec) -> list[T]:
        return self._resolve(model.outputs, None)

    def _resolve(self, refs: Sequence[TensorRef], call: Call | None) -> list[T]:
        try:
            return [self.values[ref] for ref in refs]
        except KeyError:
            missing = next(ref for ref in refs if ref not in self.values)
            raise self._missing(missing, call) from None


def last_reads(model: ModelSpec) -> dict[TensorRef, int]:
    """Each tensor's last reader: the position of the last call that reads it, or the
    number of calls for a model output (the caller reads it after the last call)."""
    found: dict[TensorRef, int] = {}
    for step in steps(model):
        for ref in edges(step.call):
            found[ref] = step.position
    for ref in model.outputs:
        found[ref] = len(model.calls)
    return found


# ---- layers nested in a layer's arguments


@record
class Nested:
    """A layer in the tree under a model-level layer; ``parent`` is None for the root."""

    spec: LayerSpec
    parent: LayerSpec | None = None
    arg: str | None = None  # the parent's argument that holds it ("layer", "cells", ...)


def children(spec: LayerSpec) -> Iterator[tuple[str, LayerSpec]]:
    """The layers held directly in ``spec``'s arguments, with the argument holding each.

    Readers put them under ``spec.NESTED_LAYER_ARGS`` (one layer) and
    ``NESTED_LAYER_LIST_ARGS`` (a list), but a layer anywhere in the arguments counts.
    """
    for key, value in spec.args.items():
        if isinstance(value, LayerSpec):
            yield key, value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, LayerSpec):
                    yield key, item


def layer_tree(root: LayerSpec, *, into_models: bool = False) -> Iterator[Nested]:
    """``root`` and every layer nested in it, parents before children, in argument order.

    With ``into_models`` the layers of a nested model (its inputs and calls) are part of
    the tree too, as children of the model's layer.
    """
    stack = [Nested(root)]
    while stack:
        site = stack.pop()
        yield site
        found = [Nested(child, site.spec, arg) for arg, child in children(site.spec)]
        inner = nested_model(site.spec) if into_models else None
        if inner is not None:
            found += [Nested(layer, site.spec, "model") for layer in model_layers(inner)]
        stack += reversed(found)


def model_layers(model: ModelSpec) -> list[NamedLayer]:
    """The model-level layers: inputs, then each call's layer (a shared layer once per call)."""
    return [*model.inputs, *(call.layer for call in model.calls)]


def all_layers(model: ModelSpec, *, into_models: bool = False) -> Iterator[LayerSpec]:
    """Every layer of ``model``, nested ones included."""
    for top in model_layers(model):
        for site in layer_tree(top, into_models=into_models):
            yield site.spec


def map_children(args: Mapping[str, Any], fn: Callable[[LayerSpec], Any]) -> dict[str, Any]:
    """``args`` with each nested layer (alone or in a list) replaced by ``fn(layer)``."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, LayerSpec):
            value = fn(value)
        elif isinstance(value, (list, tuple)) and any(isinstance(v, LayerSpec) for v in value):
            value = type(value)(fn(v) if isinstance(v, LayerSpec) else v for v in value)
        out[key] = value
    return out
