"""The Keras objects a static reading of Python source records, turned into ``ModelSpec``s.

The builder (``python_builder``) appends graph nodes as it meets ``Input(...)`` and layer
calls, and records every model definition; this module cuts each model's subgraph out
of the shared graph, names layers the way Keras would, and builds the spec.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace

from ..errors import FormatError, ModelSkipped, NoModel, NothingRead, Position, RnnshapeError, Skipped, SpecError, UsageError
from ..layers import find_layer_def, shown_class
from ..spec import Call, LayerSpec, ModelSpec, NamedLayer, Namer, TensorRef, named
from .common import INPUT_KWARGS, build_sequential
from .python_values import Tensor, Unknown
from ..unbuilt import mark, mark_tokens, symbolic_input, token_input


@dataclass
class Extraction:
    """Every model definition found, by name, plus warnings about parts that were skipped."""

    models: list[tuple[str, ModelSpec | RnnshapeError]] = field(default_factory=list)
    warnings: list[RnnshapeError] = field(default_factory=list)


@dataclass(frozen=True)
class InputNode:
    """``Input(shape=...)``: a graph input."""

    spec: LayerSpec


@dataclass(frozen=True)
class CallNode:
    """``layer(inputs)``: one call of layer object ``layer`` (its uid)."""

    layer: int
    spec: LayerSpec
    inputs: tuple[Tensor, ...]
    as_list: bool
    initial_state: tuple[Tensor, ...]
    pos: Position


GraphNode = InputNode | CallNode


@dataclass
class SequentialDef:
    """``Sequential([...])`` plus later ``.add(...)``/``.pop()``/``.build(...)`` calls."""

    pos: Position
    keras_name: str | None
    layers: list[LayerSpec] = field(default_factory=list)
    build_shape: list[int | None] | None = None
    broken: Unknown | None = None


@dataclass
class FunctionalDef:
    """``Model(inputs, outputs)``: the tensors are resolved when it is created."""

    pos: Position
    keras_name: str | None
    inputs: list[Tensor] | Unknown
    outputs: list[Tensor] | Unknown


@dataclass
class BuiltLayerDef:
    """A bare layer built by hand: ``layer.build(input_shape=(None, None, 5))``."""

    pos: Position
    spec: LayerSpec
    batch_shape: list[int | None]
    keyword: bool = False  # written build(input_shape=...), which Keras 3's RNN.build refuses


ModelDef = SequentialDef | FunctionalDef | BuiltLayerDef


@dataclass
class Found:
    """One model definition, named by the variable it was first assigned to."""

    model: ModelDef
    var: str | None = None
    depth: int = 0  # how many function calls deep ``var`` was bound: the outermost name wins


def skipped(name: str, why: Unknown, fallback: Position, hint: str | None = None) -> RnnshapeError:
    """The entry for a model that cannot be read: a warning, or the real error behind it."""
    if why.error is not None:
        return why.error
    setting = why.setting if why.argument else None
    if setting is not None:
        given = shlex.quote(f"{setting}=VALUE")
        hint = f"if you know its value, give it: --set {given} ({setting} at {why.setting_at})"
    return ModelSkipped(
        f"model '{name}' ({describe(fallback)})",
        why.reason,
        pos=why.pos or fallback,
        hint=hint or SKIP_HINT,
        model=name,
        setting=setting,
    )


SKIP_HINT = "rnnshape reads source files without running them; the other models in the file still work"


def describe(pos: Position) -> str:
    """``line 12`` or ``cell 3, line 2``: where a model is defined, for messages."""
    return pos.where()


def has_input_shape(layers: list[LayerSpec]) -> bool:
    if not layers:
        return False
    first = layers[0]
    # Embedding's own input_dim is its vocabulary size, not an input shape.
    kwargs = [k for k in INPUT_KWARGS if not (k == "input_dim" and first.class_name == "Embedding")]
    return first.class_name == "InputLayer" or any(k in first.args for k in kwargs)


def sequential_spec(
    name: str, found: SequentialDef, source: str, given: LayerSpec | None = None
) -> ModelSpec | RnnshapeError:
    """``given`` is the input from --input-shape, used when the code gives none."""
    if found.broken is not None:
        return with_known_part(skipped(name, found.broken, found.pos), name, found, source)
    input_layer = None
    notes: tuple[str, ...] = ()
    symbolic = None
    tokens = False  # read on an Embedding's token ids, which no code declares
    if found.build_shape is not None:
        input_layer = LayerSpec("InputLayer", {"batch_shape": found.build_shape}, None, found.pos)
    elif found.layers and not has_input_shape(found.layers):
        input_layer, notes = unbuilt_input(name, found, given)
        tokens = given is None and input_layer is not None
        symbolic = symbolic_input(found.layers[0], name, found.pos) if input_layer is None else None
        if symbolic is not None:
            input_layer, notes = symbolic[0], (symbolic[1],)
        if input_layer is None:
            return skipped(
                name,
                Unknown(
                    "it has no input shape (Keras builds it on the first call or fit); "
                    "start it with keras.Input(shape=...) or call model.build(...)",
                    found.pos,
                ),
                found.pos,
                f"pass the per-sample input shape, e.g. --input-shape 10,8 (--model {name} picks this model)",
            )
    try:
        spec = build_sequential(name, input_layer, found.layers, source=source, input_pos=found.pos)
    except RnnshapeError as err:
        return err
    spec = replace(spec, notes=(*spec.notes, *notes)) if notes else spec
    return mark(spec) if symbolic is not None else mark_tokens(spec) if tokens else spec


def with_known_part(entry: RnnshapeError, name: str, found: SequentialDef, source: str) -> RnnshapeError:
    """A skipped Sequential model that carries the layers read before the unknown value.

    Only when the code itself gives the input on its first layers: Keras 3 then builds
    each ``add``ed layer at once (a list given to Sequential in order), so it raises a
    shape error among them before the unknown value is ever used. A ``build()`` shape
    or --input-shape may come after the unknown, so those models carry nothing.
    """
    if not isinstance(entry, ModelSkipped) or not has_input_shape(found.layers) or len(found.layers) < 2:
        return entry
    try:
        entry.known_part = build_sequential(name, None, found.layers, source=source, input_pos=found.pos)
    except RnnshapeError:
        pass  # the layers as written are wrong in another way; the model stays only skipped
    return entry


def unbuilt_input(name: str, found: SequentialDef, given: LayerSpec | None) -> tuple[LayerSpec | None, tuple[str, ...]]:
    """The input of a Sequential model the code never gives one: --input-shape, or for an
    Embedding first the token ids (rnnshape.unbuilt.token_input)."""
    if given is not None:
        return given, (f"model '{name}' has no input shape in the code; read on --input-shape",)
    tokens = token_input(found.layers[0], name, found.pos)
    return (None, ()) if tokens is None else (tokens[0], (tokens[1],))


def built_layer_spec(name: str, found: BuiltLayerDef, source: str) -> ModelSpec | RnnshapeError:
    input_layer = LayerSpec("InputLayer", {"batch_shape": found.batch_shape}, None, found.pos)
    note = (
        f"'{name}' is a bare {found.spec.class_name} layer built with .build(input_shape=...); "
        "shown as a one-layer model on that input"
    )
    notes = [note]
    facts = find_layer_def(found.spec.class_name)
    if found.keyword and facts is not None and facts.positional_build:
        notes.append(
            f"{name}.build(input_shape=...) is Keras 2 style: Keras 3's {found.spec.class_name}.build() "
            f"takes the shape positionally and raises TypeError on input_shape=; write {name}.build({_shape_text(found.batch_shape)})"
        )
    try:
        spec = build_sequential(name, input_layer, [found.spec], source=source, input_pos=found.pos)
    except RnnshapeError as err:
        return err
    return ModelSpec(spec.name, spec.inputs, spec.calls, spec.outputs, True, None, source, (*spec.notes, *notes))


def _shape_text(shape: list[int | None]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def functional_spec(name: str, found: FunctionalDef, graph: list[GraphNode], source: str) -> ModelSpec | RnnshapeError:
    if isinstance(found.inputs, Unknown):
        return skipped(name, found.inputs, found.pos)
    if isinstance(found.outputs, Unknown):
        return skipped(name, found.outputs, found.pos)
    declared = [t.node for t in found.inputs]
    for t in found.inputs:
        if not isinstance(graph[t.node], InputNode):
            return SpecError(
                f"model '{name}': its inputs must be Input(...) tensors", pos=found.pos
            )
    needed: set[int] = set()
    stack = [t.node for t in found.outputs]
    while stack:
        node_id = stack.pop()
        if node_id in needed:
            continue
        needed.add(node_id)
        node = graph[node_id]
        if isinstance(node, CallNode):
            stack += [t.node for t in (*node.inputs, *node.initial_state)]
        elif node_id not in declared:
            where = node.spec.pos
            return SpecError(
                f"model '{name}': an output depends on the Input at {where}, which is not among the model's inputs",
                pos=found.pos,
            )
    namer = Namer()
    for node_id in sorted(needed):
        node = graph[node_id]
        if node.spec.name is not None:
            namer.taken.add(node.spec.name)
    names: dict[int, str] = {}  # graph input node id or layer uid (negated) -> name
    inputs: list[NamedLayer] = []
    for node_id in declared:
        node = graph[node_id]
        assert isinstance(node, InputNode)
        label = namer.claim(node.spec.name, "InputLayer")
        names[node_id] = label
        spec = node.spec
        inputs.append(named(spec, label))
    calls: list[Call] = []
    node_counts: dict[int, int] = {}
    node_index: dict[int, int] = {}
    for node_id in sorted(needed):
        node = graph[node_id]
        if not isinstance(node, CallNode):
            continue
        key = -1 - node.layer
        if key not in names:
            names[key] = namer.claim(node.spec.name, shown_class(node.spec.class_name))
        node_index[node_id] = node_counts.get(node.layer, 0)
        node_counts[node.layer] = node_index[node_id] + 1
        spec = node.spec
        layer = named(spec, names[key])

        def ref(t: Tensor) -> TensorRef:
            return _ref(t, graph, names, node_index)

        calls.append(
            Call(layer, tuple(ref(t) for t in node.inputs), node.as_list, tuple(ref(t) for t in node.initial_state))
        )
    outputs = tuple(_ref(t, graph, names, node_index) for t in found.outputs)
    return ModelSpec(name, tuple(inputs), tuple(calls), outputs, False, None, source)


def _ref(t: Tensor, graph: list[GraphNode], names: dict[int, str], node_index: dict[int, int]) -> TensorRef:
    node = graph[t.node]
    if isinstance(node, InputNode):
        return TensorRef(names[t.node])
    return TensorRef(names[-1 - node.layer], node_index[t.node], t.index)


def model_specs(
    found: list[Found], graph: list[GraphNode], source: str, given: LayerSpec | None = None
) -> list[tuple[str, ModelSpec | RnnshapeError]]:
    """Every model definition as (name, spec or the error/warning that replaces it);
    ``given`` (--input-shape) is the input of a Sequential model the code gives none."""
    out: list[tuple[str, ModelSpec | RnnshapeError]] = []
    used: dict[str, int] = {}
    for entry in found:
        model = entry.model
        base = entry.var or model_default_name(model)
        used[base] = used.get(base, 0) + 1
        name = base if used[base] == 1 else f"{base}_{used[base]}"
        out.append((name, one_spec(name, model, graph, source, given)))
    return out


def one_spec(
    name: str, model: ModelDef, graph: list[GraphNode], source: str, given: LayerSpec | None = None
) -> ModelSpec | RnnshapeError:
    if isinstance(model, SequentialDef):
        return sequential_spec(name, model, source, given)
    if isinstance(model, FunctionalDef):
        return functional_spec(name, model, graph, source)
    return built_layer_spec(name, model, source)


def model_default_name(model: ModelDef) -> str:
    if isinstance(model, BuiltLayerDef):
        return model.spec.name or "layer"
    if model.keras_name:
        return model.keras_name
    return "sequential" if isinstance(model, SequentialDef) else "model"


def select_entries(
    extraction: Extraction, source: str, model: str | None = None
) -> list[ModelSpec | RnnshapeError]:
    """The loader's view: specs and errors in file order, warnings first; ``model`` picks one by name."""
    names = [name for name, _ in extraction.models]
    if model is not None:
        chosen = [entry for name, entry in extraction.models if name == model]
        if not chosen:
            raise UsageError(
                f"{source}: no model named '{model}'",
                hint=f"models in this file: {', '.join(names)}" if names else "this file defines no Keras model",
            )
        entry = chosen[0]
        if isinstance(entry, ModelSkipped):  # asked for by name, so its absence is a failure
            entry = entry.failure(
                hint=entry.hint if entry.hint != SKIP_HINT else "rnnshape reads source files without running them"
            )
        return [*extraction.warnings, entry]
    entries: list[ModelSpec | RnnshapeError] = [*extraction.warnings, *(entry for _, entry in extraction.models)]
    if not any(isinstance(e, ModelSpec) for e in entries):
        if not any(e.exit_code for e in entries if isinstance(e, RnnshapeError)):
            entries.append(_nothing_read(source, names, bool(extraction.warnings)))
    return entries


def _nothing_read(source: str, names: list[str], warned: bool) -> FormatError:
    """The failure of a file none of whose models could be read: after the warnings that
    say why each was skipped, a short summary; with no model found, where rnnshape looks."""
    if names:
        skipped_models = ", ".join(f"'{name}'" for name in names)
        return NothingRead(f"no Keras model could be read from this file (skipped: {skipped_models})", pos=Position(source))
    where = (
        "rnnshape finds Sequential(...), Model(inputs, outputs) and layer.build(input_shape) "
        "at the top level of a .py file or notebook, and in the functions it calls"
    )
    if warned:
        return NothingRead("no Keras model could be read from this file", pos=Position(source), hint=where)
    return NoModel("no Keras model definition found", pos=Position(source), hint=where)
