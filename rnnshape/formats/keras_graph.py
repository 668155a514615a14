"""The graph of a Functional Keras model: ``inbound_nodes`` of every generation -> calls.

Keras 3 writes a node as ``{"args": [...], "kwargs": {...}}`` with tensors
``{"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}``;
Keras 1/2 wrote a node as a list of ``[layer, node, tensor, kwargs]`` entries, with a
recurrent layer's ``initial_state`` tensors appended after the sequence. The format is
detected per node, as Keras 3's own loader does. Calls come out in an order where every
tensor is produced before it is used (shared layers may be listed before their
later inputs).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..errors import FormatError, SpecError
from ..graph import topological_order
from ..layers import current_class, find_layer_def
from ..spec import Call, LayerSpec, ModelSpec, NamedLayer, TensorRef, named
from .jsonpos import Doc
from .keras_layer import Normaliser

# Keyword arguments that are flags, never graph edges.
_NON_TENSOR_KWARGS = frozenset({"training"})


def parse_ref_triples(value: Any, doc: Doc, holder: Any, key: str) -> tuple[TensorRef, ...]:
    """``input_layers``/``output_layers``: one flat triple (Keras 3, single) or a list of triples."""
    where = doc.key_pos(holder, key)
    if not isinstance(value, list) or not value:
        raise FormatError(f"'{key}' must list the model's {key.split('_')[0]} tensors", pos=where)
    triples = [value] if isinstance(value[0], str) else value
    refs = []
    for item in triples:
        ref = _triple(item)
        if ref is None:
            raise FormatError(f"'{key}' entries must be [layer_name, node_index, tensor_index]", pos=where)
        refs.append(ref)
    return tuple(refs)


def _triple(item: Any) -> TensorRef | None:
    if (
        isinstance(item, list)
        and len(item) in (3, 4)
        and isinstance(item[0], str)
        and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in item[1:3])
    ):
        return TensorRef(item[0], item[1], item[2])
    return None


def _keras3_tensor(value: Any) -> TensorRef | None:
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        cfg = value.get("config")
        history = cfg.get("keras_history") if isinstance(cfg, dict) else None
        return _triple(history)
    return None


def _tensors(value: Any, depth: int = 0) -> Iterator[TensorRef]:
    """Every tensor inside a (nested) argument value, in order."""
    if depth > 8:
        return
    ref = _keras3_tensor(value)
    if ref is not None:
        yield ref
    elif isinstance(value, list):
        as_triple = _triple(value)
        if as_triple is not None and depth > 0:
            yield as_triple  # a Keras 2 tensor inside kwargs
            return
        for item in value:
            yield from _tensors(item, depth + 1)
    elif isinstance(value, dict) and "class_name" not in value:
        for item in value.values():
            yield from _tensors(item, depth + 1)


def parse_node(node: Any, spec: NamedLayer, doc: Doc) -> Call:
    """One call of ``spec`` from either node format."""
    if isinstance(node, dict):
        args = node.get("args", [])
        kwargs = node.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise FormatError("a node's 'args' must be a list and 'kwargs' an object", pos=doc.obj_pos(node))
        inputs: list[TensorRef] = []
        as_list = False
        for arg in args:
            ref = _keras3_tensor(arg)
            if ref is not None:
                inputs.append(ref)
            elif isinstance(arg, list):
                found = list(_tensors(arg, 1))
                if found:
                    as_list = True
                    inputs += found
        return _with_kwargs(spec, tuple(inputs), as_list, kwargs)
    if isinstance(node, list):
        refs = []
        k2_kwargs: dict[str, Any] = {}
        for entry in node:
            ref = _triple(entry)
            if ref is None:
                raise FormatError(
                    f"a node entry of layer '{spec.name}' must be [layer_name, node_index, tensor_index, kwargs]",
                    pos=spec.pos,
                )
            refs.append(ref)
            if len(entry) == 4 and isinstance(entry[3], dict):
                k2_kwargs.update(entry[3])
        if not refs:
            raise FormatError(f"layer '{spec.name}' has an empty node", pos=spec.pos)
        if _takes_initial_state(spec.class_name):
            call = Call(spec, (refs[0],), False, tuple(refs[1:]))
            return _with_kwargs(spec, call.inputs, False, k2_kwargs, call.initial_state)
        return _with_kwargs(spec, tuple(refs), len(refs) > 1, k2_kwargs)
    raise FormatError(f"layer '{spec.name}' has a node that is neither a list nor an object", pos=spec.pos)


def _takes_initial_state(class_name: str) -> bool:
    """Whether a Keras 2 node's extra entries are initial states (a removed CuDNN class: as its replacement)."""
    facts = find_layer_def(current_class(class_name))
    return facts is not None and facts.initial_state


def _with_kwargs(
    spec: NamedLayer,
    inputs: tuple[TensorRef, ...],
    as_list: bool,
    kwargs: dict[str, Any],
    initial_state: tuple[TensorRef, ...] = (),
) -> Call:
    states = list(initial_state)
    extra: list[tuple[str, TensorRef]] = []
    for key, value in kwargs.items():
        if key in _NON_TENSOR_KWARGS:
            continue
        found = list(_tensors(value, 1)) if isinstance(value, list) else list(_tensors(value))
        if key == "initial_state":
            states += found
        else:
            extra += [(key, ref) for ref in found]
    if not inputs:
        raise SpecError("is called without any input tensor", pos=spec.pos, layer=spec.name)
    return Call(spec, inputs, as_list, tuple(states), tuple(extra))


def functional_model(
    name: str,
    cfg: dict[str, Any],
    layer_objs: list[Any],
    specs: dict[int, LayerSpec],
    norm: Normaliser,
    override: LayerSpec | None,
) -> ModelSpec:
    doc = norm.doc
    by_name: dict[str, NamedLayer] = {}
    placed: dict[int, NamedLayer] = {}
    for obj in layer_objs:
        spec = specs[id(obj)]
        if spec.name is None:
            raise FormatError(f"a {spec.class_name} entry of a Functional model has no name", pos=spec.pos)
        if spec.name in by_name:
            raise FormatError(f"two layers are named '{spec.name}'", pos=spec.pos)
        by_name[spec.name] = placed[id(obj)] = named(spec, spec.name)
    input_refs = parse_ref_triples(cfg.get("input_layers"), doc, cfg, "input_layers")
    output_refs = parse_ref_triples(cfg.get("output_layers"), doc, cfg, "output_layers")
    inputs = []
    for ref in input_refs:
        found = by_name.get(ref.layer)
        if found is None or found.class_name != "InputLayer":
            raise FormatError(f"input '{ref.layer}' is not an InputLayer of this model", pos=doc.key_pos(cfg, "input_layers"))
        inputs.append(found)
    notes: list[str] = []
    if override is not None:
        if len(inputs) != 1:
            raise SpecError(
                f"--input-shape/--batch-input-shape set one input, but this model has {len(inputs)}",
                pos=override.pos,
                hint="edit the InputLayer shapes in the file instead",
            )
        notes.append(f"input '{inputs[0].name}' replaced by {override.pos}")
        inputs[0] = NamedLayer("InputLayer", override.args, inputs[0].name, override.pos)
    calls: list[tuple[int, Call]] = []
    for obj in layer_objs:
        spec = placed[id(obj)]
        if spec.class_name == "InputLayer":
            continue
        nodes = obj.get("inbound_nodes") if isinstance(obj, dict) else None
        if not isinstance(nodes, list):
            raise FormatError(f"layer '{spec.name}' has no 'inbound_nodes' list", pos=spec.pos)
        for index, node in enumerate(nodes):
            calls.append((index, parse_node(node, spec, doc)))
    ordered = topological_order(calls, {s.name for s in inputs}, set(by_name))
    return ModelSpec(name, tuple(inputs), tuple(ordered), output_refs, False, None, doc.source, tuple(notes))
