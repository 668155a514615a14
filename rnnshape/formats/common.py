"""Pieces shared by the adapters: where a Sequential model's input shape comes from."""

from __future__ import annotations

from typing import Any

from .. import limits
from ..errors import NoInputShape, Position, SpecError
from ..spec import Expectation, LayerSpec, ModelSpec, sequential_model
from ..unbuilt import mark, mark_tokens, symbolic_input, token_input

# Keyword arguments that declare the model input when put on the first layer.
INPUT_KWARGS = ("batch_input_shape", "input_shape", "input_dim", "batch_size")


def input_from_first_layer(first: LayerSpec) -> tuple[LayerSpec | None, LayerSpec, list[str]]:
    """Split Keras-2 style ``input_shape=``/``batch_input_shape=`` off the first layer.

    Returns the implied InputLayer (or None), the layer without those arguments, and
    notes for the user where the idiom is one Keras 3 rejects or warns about.
    """
    given = {k: first.args[k] for k in INPUT_KWARGS if k in first.args}
    if first.class_name == "Embedding":  # its own input_dim is the vocabulary size, not a shape
        given.pop("input_dim", None)
    if not given:
        return None, first, []
    rest = {k: v for k, v in first.args.items() if k not in given}
    legacy = {**first.legacy, **given}
    layer = LayerSpec(first.class_name, rest, first.name, first.pos, first.arg_pos, legacy)
    pos = next((first.arg_pos[k] for k in INPUT_KWARGS if k in first.arg_pos), first.pos)
    label = f"{first.class_name}(...)"
    notes: list[str] = []
    if "batch_input_shape" in given:
        args: dict[str, Any] = {"batch_shape": given["batch_input_shape"]}
        notes.append(
            f"{label}: batch_input_shape= is Keras 2 syntax that Keras 3 rejects; "
            "use keras.Input(batch_shape=...) (read here as the model's input)"
        )
    elif "input_shape" in given or "input_dim" in given:
        shape = given.get("input_shape")
        if shape is None:
            shape = [given["input_dim"]]
        args = {"shape": shape, "batch_size": given.get("batch_size")}
        notes.append(
            f"{label}: input_shape=/input_dim= on a layer is deprecated in Keras 3; "
            "prefer keras.Input(shape=...) as the first layer"
        )
        if "batch_size" in given:
            notes.append(
                f"{label}: batch_size= on a layer is Keras 2 syntax that Keras 3 rejects; "
                "use keras.Input(shape=..., batch_size=...) (read here as the model's batch size)"
            )
    else:
        raise SpecError("batch_size= on a layer needs input_shape= too", pos=pos, layer=first.name)
    return LayerSpec("InputLayer", args, None, pos), layer, notes


def build_sequential(
    name: str,
    input_layer: LayerSpec | None,
    layers: list[LayerSpec],
    *,
    source: str,
    expect: Expectation | None = None,
    input_pos: Position | None = None,
) -> ModelSpec:
    """A Sequential model whose input comes from the caller or from its first layer."""
    if not layers:
        raise SpecError("the model has no layers", pos=input_pos or Position(source))
    if len(layers) > limits.value(limits.LAYERS):
        raise SpecError(limits.exceeded(limits.LAYERS, f"the model has {len(layers):,} layers"), pos=Position(source))
    if layers[0].class_name == "InputLayer":
        if input_layer is not None:
            raise SpecError(
                "the input shape is given twice: as an Input layer and as the model input",
                pos=layers[0].pos,
                hint="keep one of them",
            )
        input_layer, layers = layers[0], layers[1:]
        if not layers:
            raise SpecError("the model has no layers after its input", pos=input_layer.pos)
    implied, first, notes = input_from_first_layer(layers[0])
    if implied is not None and input_layer is not None:
        raise SpecError(
            "the input shape is given twice: on the first layer and as the model input",
            pos=implied.pos,
            layer=first.name,
            hint="keep one of them",
        )
    chosen = input_layer or implied
    tokens = token_input(first, name, input_pos or Position(source)) if chosen is None else None
    if tokens is not None:  # an Embedding first: every count is known without the length
        chosen, notes = tokens[0], [*notes, tokens[1]]
    symbolic = symbolic_input(first, name, input_pos or Position(source)) if chosen is None else None
    if symbolic is not None:  # valid Keras 3, built at its first call: explained with its input size as D
        model = sequential_model(
            name, symbolic[0], [first, *layers[1:]], expect=expect, source=source, notes=(*notes, symbolic[1])
        )
        return mark(model)
    if chosen is None:
        pos = input_pos or Position(source)
        undeclared = LayerSpec("InputLayer", {}, None, pos)
        raise NoInputShape(
            "no input shape: rnnshape cannot infer shapes without one",
            pos=pos,
            hint="pass --input-shape T,D (or --batch-input-shape B,T,D), or put input_shape: [T, D] in the config",
            model=sequential_model(name, undeclared, [first, *layers[1:]], expect=expect, source=source, notes=tuple(notes)),
        )
    model = sequential_model(name, chosen, [first, *layers[1:]], expect=expect, source=source, notes=tuple(notes))
    return mark_tokens(model) if tokens is not None else model
