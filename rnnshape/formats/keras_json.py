"""Keras model JSON of every generation -> ``ModelSpec`` (Keras 3 semantics).

Reads ``model.to_json()`` of Keras 3 (Sequential and Functional), the ``config.json``
of a ``.keras`` archive, the ``model_config`` of a legacy ``.h5``, and Keras 1/2 and
tf.keras JSON (bare layer lists, no InputLayer, ``batch_input_shape`` on the first
layer, list-style ``inbound_nodes``). Layer names are the file's own. Nothing in the
file is ever executed (a ``Lambda`` layer's code stays an opaque string).
"""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SpecError
from ..graph import MODEL_CLASSES
from ..layers import ALIASES, REGISTRY
from ..spec import LayerSpec, ModelSpec, sequential_model
from .. import limits
from .jsonpos import Doc, loads
from .keras_graph import functional_model
from .keras_layer import Normaliser, detect_generation
from ..unbuilt import mark, symbolic_input

# Input ranks a first layer needs when nothing records the input shape, with the
# per-sample shape to suggest. Where the weights do not depend on the feature size
# (Embedding), the model can still be explained with dynamic axes.
_UNBUILT_HINTS = {
    "recurrent": "T,D (timesteps, features), e.g. --input-shape 10,8",
    "core": "D (features), e.g. --input-shape 8",
}
_SHAPE_FREE_FIRST_LAYERS = {"Embedding": (None, None)}


def load_keras_json_text(
    text: str, source: str, *, input_layer: LayerSpec | None = None, keras_version: str | None = None
) -> ModelSpec:
    value, doc = loads(text, source)
    return model_from_json_value(value, doc, input_layer=input_layer, keras_version=keras_version)


def looks_like_keras_json(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("class_name"), str) and "config" in value


def model_from_json_value(
    value: Any, doc: Doc, *, input_layer: LayerSpec | None = None, keras_version: str | None = None
) -> ModelSpec:
    if not looks_like_keras_json(value):
        raise FormatError(
            "not a Keras model config: expected an object with 'class_name' and 'config'",
            pos=doc.obj_pos(value),
            hint="rnnshape reads model.to_json(), .keras, .h5 and its own YAML",
        )
    if value["class_name"] not in MODEL_CLASSES:
        return _single_layer(value, doc, input_layer, keras_version)
    cfg = value["config"]
    layer_objs = cfg if isinstance(cfg, list) else cfg.get("layers") if isinstance(cfg, dict) else None
    if not isinstance(layer_objs, list):
        raise FormatError("the model config has no 'layers' list", pos=doc.obj_pos(cfg))
    generation = detect_generation(value, layer_objs, keras_version)
    norm = Normaliser(doc, generation)
    model = _model(value, norm, input_layer, 0)
    if norm.notes:
        from dataclasses import replace

        model = replace(model, notes=(*model.notes, *norm.notes))
    return model


def _single_layer(
    value: dict[str, Any], doc: Doc, input_layer: LayerSpec | None, keras_version: str | None
) -> ModelSpec:
    """A file holding one layer's config (``layer.get_config()`` wrapped by serialize)."""
    norm = Normaliser(doc, detect_generation(value, [value], keras_version))
    layer = norm.layer(value)
    recorded = _build_shape(value, doc)
    if input_layer is None and recorded is None:
        raise SpecError(
            f"this file holds a single {layer.class_name} layer and records no input shape",
            pos=doc.obj_pos(value),
            hint="pass the input shape, e.g. --input-shape 10,8",
        )
    chosen = input_layer or recorded
    assert chosen is not None
    notes = (f"the file holds a single {layer.class_name} layer; explained as a one-layer model",)
    return sequential_model(layer.name or "layer", chosen, [layer], source=doc.source, notes=(*notes, *norm.notes))


def _model(value: dict[str, Any], norm: Normaliser, input_layer: LayerSpec | None, depth: int) -> ModelSpec:
    doc = norm.doc
    cfg = value["config"]
    layer_objs = cfg if isinstance(cfg, list) else cfg.get("layers")
    if not isinstance(layer_objs, list):
        raise FormatError("the model config has no 'layers' list", pos=doc.obj_pos(cfg))
    if len(layer_objs) > limits.value(limits.LAYERS):
        raise SpecError(limits.exceeded(limits.LAYERS, f"the model has {len(layer_objs):,} layers"), pos=doc.obj_pos(cfg))
    name = cfg.get("name") if isinstance(cfg, dict) else None
    name = name if isinstance(name, str) else "sequential" if value["class_name"] == "Sequential" else "functional"
    graph = isinstance(cfg, dict) and "input_layers" in cfg
    if value["class_name"] != "Sequential" and graph:
        specs = {}
        for obj in layer_objs:
            spec = layer_or_model(obj, norm, depth)
            specs[id(obj)] = spec
        return functional_model(name, cfg, layer_objs, specs, norm, input_layer)
    layers = [layer_or_model(obj, norm, depth) for obj in layer_objs]
    return _sequential(name, value, layers, norm, input_layer)


def layer_or_model(obj: Any, norm: Normaliser, depth: int) -> LayerSpec:
    """A layer entry; a nested Sequential/Functional becomes ``LayerSpec(cls, {"model": ModelSpec})``."""
    class_name = norm.class_name(obj)
    if class_name in MODEL_CLASSES:
        if depth >= 16:
            raise SpecError("models nested more than 16 deep", pos=norm.doc.obj_pos(obj))
        inner = _model(obj, norm, None, depth + 1)
        name = obj.get("name") if isinstance(obj.get("name"), str) else inner.name
        return LayerSpec(class_name, {"model": inner}, name, norm.doc.obj_pos(obj))
    return norm.layer(obj)


def _sequential(
    name: str, value: dict[str, Any], layers: list[LayerSpec], norm: Normaliser, override: LayerSpec | None
) -> ModelSpec:
    doc = norm.doc
    if not layers:
        raise SpecError("the model has no layers", pos=doc.obj_pos(value))
    recorded: LayerSpec | None = None
    if layers[0].class_name == "InputLayer":
        recorded, layers = layers[0], layers[1:]
        if not layers:
            raise SpecError("the model has no layers after its input", pos=recorded.pos)
    first = layers[0]
    first, implied = _input_from_first_layer(first, norm)
    layers = [first, *layers[1:]]
    recorded = recorded or implied or _build_shape(value, doc)
    notes: list[str] = []
    if override is not None:
        if recorded is not None:
            notes.append(f"input shape {_shape_text(recorded)} from the file replaced by {override.pos}")
        chosen = override
    elif recorded is not None:
        chosen = recorded
    else:
        unbuilt = _unbuilt_input(first, doc, value, notes, name)
        if unbuilt is None:  # read on a symbolic input: its unknown feature size is the symbol D
            symbolic = symbolic_input(first, name, first.pos)
            assert symbolic is not None
            notes.append(symbolic[1])
            return mark(sequential_model(name, symbolic[0], layers, source=doc.source, notes=tuple(notes)))
        chosen = unbuilt
    return sequential_model(name, chosen, layers, source=doc.source, notes=tuple(notes))


def _input_from_first_layer(first: LayerSpec, norm: Normaliser) -> tuple[LayerSpec, LayerSpec | None]:
    """Keras 2 ``batch_input_shape`` / Keras 1 ``input_dim`` on the first layer -> an input."""
    legacy = dict(first.legacy)
    args = dict(first.args)
    pos = first.pos
    shape: Any = None
    if legacy.get("batch_input_shape") is not None:
        shape = legacy["batch_input_shape"]
        pos = first.arg_pos.get("batch_input_shape", first.pos)
    elif args.get("input_shape") is not None:
        shape = [args.get("batch_size"), *_as_list(args["input_shape"])]
    elif args.get("input_dim") is not None and first.class_name not in ("Embedding",):
        dim = args["input_dim"]
        length = legacy.get("input_length", args.get("input_length"))
        recurrent = _category(first.class_name) == "recurrent"
        shape = [None, length, dim] if recurrent else [None, dim]
    elif first.class_name == "Embedding" and legacy.get("input_length", args.get("input_length")) is not None:
        shape = [None, legacy.get("input_length", args.get("input_length"))]
    if shape is None:
        return first, None
    for key in ("input_shape", "batch_size") + (("input_dim",) if first.class_name != "Embedding" else ()):
        if key in args:
            legacy[key] = args.pop(key)
    cleaned = LayerSpec(first.class_name, args, first.name, first.pos, first.arg_pos, legacy)
    return cleaned, LayerSpec("InputLayer", {"batch_shape": shape}, None, pos)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _build_shape(value: dict[str, Any], doc: Doc) -> LayerSpec | None:
    """Keras 3 / Keras 2.2 ``build_input_shape`` or ``build_config.input_shape``."""
    cfg = value.get("config")
    candidates = []
    if isinstance(cfg, dict):
        candidates.append((cfg, "build_input_shape"))
    build = value.get("build_config")
    if isinstance(build, dict):
        candidates.append((build, "input_shape"))
    for holder, key in candidates:
        shape = holder.get(key)
        if isinstance(shape, list) and shape and all(d is None or isinstance(d, int) for d in shape):
            return LayerSpec("InputLayer", {"batch_shape": shape}, None, doc.key_pos(holder, key))
    return None


def _unbuilt_input(first: LayerSpec, doc: Doc, value: dict[str, Any], notes: list[str], name: str) -> LayerSpec | None:
    """The input of a model saved unbuilt; None when it is read on a symbolic input (rnnshape.unbuilt)."""
    shape = _SHAPE_FREE_FIRST_LAYERS.get(first.class_name)
    if shape is not None:
        notes.append(
            f"the file records no input shape (an unbuilt model); assumed {_shape_text_of(shape)} for "
            f"{first.class_name}: pass --input-shape to fix the sequence length"
        )
        return LayerSpec("InputLayer", {"batch_shape": list(shape)}, None, first.pos)
    if symbolic_input(first, name, first.pos) is not None:
        return None
    example = _UNBUILT_HINTS.get(_category(first.class_name), "the per-sample shape, e.g. --input-shape 10,8")
    raise SpecError(
        f"the model was saved unbuilt: the file records no input shape, and the first layer "
        f"'{first.name or first.class_name}' ({first.class_name}) needs one to build its weights",
        pos=doc.obj_pos(value),
        hint=f"pass the input shape: --input-shape {example}",
    )


def _category(class_name: str) -> str:
    found = REGISTRY.get(ALIASES.get(class_name, class_name))
    return found.category if found is not None else "core"


def _shape_text(spec: LayerSpec) -> str:
    shape = spec.args.get("batch_shape") or [spec.args.get("batch_size"), *_as_list(spec.args.get("shape"))]
    return _shape_text_of(shape)


def _shape_text_of(shape: Any) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"
