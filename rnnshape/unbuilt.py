"""The symbolic input of an unbuilt Sequential model (no input shape anywhere).

Keras 3 builds such a model at its first call, on whatever it is given. rnnshape
explains it on ``(None, ..., D)``: the rank is the smallest one the first layer takes
(asked of the layer's own entry, never of a list kept here: Dense 2, LSTM and Conv1D 3,
Conv2D 4), every axis but the last is left dynamic, and the last, on which the first
layer builds its weights, is the unknown ``D`` (rnnshape.symbolic). Where the rank cannot
be decided (a first layer without weights: Dropout, Flatten, ...), or the first layer's
weights do not depend on the last axis (an Embedding, whose input is token ids), there is
no such input.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import Position, RnnshapeError, ShapeError, SpecError
from .infer import build_layer
from .layers.core import input_batch_shape
from .spec import LayerSpec, ModelSpec, named
from .symbolic import PROBES

_RANKS = (2, 3, 4, 5)
# How --input-shape spells the per-sample axes of each rank.
_AXES = {2: "D", 3: "T,D", 4: "H,W,D", 5: "Z,H,W,D"}
_WHAT = {2: "a 2-D input (batch, features)", 3: "a 3-D input (batch, timesteps, features)"}


def symbolic_input(first: LayerSpec, model: str, pos: Position | None) -> tuple[LayerSpec, str] | None:
    """The InputLayer to explain an unbuilt model on, and the note that says so; None when undecidable."""
    rank = _first_rank(first)
    if rank is None:
        return None
    shape: list[int | None] = [None] * rank
    shown = "(" + ", ".join(["None"] * (rank - 1) + ["D"]) + ")"
    what = _WHAT.get(rank, f"a {rank}-D input")
    note = (
        f"model '{model}' has no input shape (Keras builds it at its first call): explained on {shown}, "
        f"since {first.class_name} takes at least {what}; D, its input features, is unknown, and the "
        f"parameters that depend on it are formulas in D; --input-shape {_AXES[rank]} settles them"
    )
    return LayerSpec("InputLayer", {"batch_shape": shape}, None, pos), note


def token_input(first: LayerSpec, model: str, pos: Position | None) -> tuple[LayerSpec, str] | None:
    """The input of an unbuilt Sequential whose first layer is an Embedding (the Keras 2 text
    classifier), and the note that says so; None for any other first layer.

    Its weights do not depend on the token ids' length, so every count is known: read on
    ``(None, input_length)`` as Keras 2 built it when the layer gives one, else on ``(None, None)``.
    """
    if first.class_name != "Embedding":
        return None
    length = first.args.get("input_length", first.legacy.get("input_length"))
    label = first.name or "the Embedding"
    if isinstance(length, int) and not isinstance(length, bool):
        note = (
            f"model '{model}' has no input shape: read on (None, {length}) as Keras 2 built it from "
            f"{label}'s input_length={length}; Keras 3 ignores input_length and builds the model at its first call"
        )
        return LayerSpec("InputLayer", {"batch_shape": [None, length]}, None, pos), note
    note = (
        f"model '{model}' has no input shape: read on token ids of unknown length (None, None), "
        "as Keras builds it at the first call; the parameter counts do not depend on the length; "
        "--input-shape T (the sequence length) settles the output shapes"
    )
    return LayerSpec("InputLayer", {"batch_shape": [None, None]}, None, pos), note


def _first_rank(first: LayerSpec) -> int | None:
    """The smallest input rank the first layer builds weights on; None if it takes none or has none."""
    probe = named(first, first.name or "first")
    for rank in _RANKS:
        try:
            built = [build_layer(probe, [(*([None] * (rank - 1)), size)])[2] for size in PROBES[:2]]
        except ShapeError:  # a rank it does not take (RankError, or a wrapper's own words for it)
            continue
        except RnnshapeError:
            return None  # reported as the model's real problem once given an input shape
        # Weights that do not grow with the last axis (an Embedding's: that axis is the sequence
        # length) make it no feature size: no symbol to explain.
        return rank if built[0].weights and built[0].weights != built[1].weights else None
    return None


def mark(spec: ModelSpec) -> ModelSpec:
    """``spec`` read on a symbolic input: explained with its last input axis as the unknown D."""
    return replace(spec, symbolic_input=True, undeclared_input=True)


def mark_tokens(spec: ModelSpec) -> ModelSpec:
    """``spec`` read on the token ids of ``token_input``: declared by no code, built at its first call."""
    return replace(spec, undeclared_input=True)


def needs_input_shape(model: ModelSpec, doing: str) -> SpecError:
    """The one-line refusal of what needs every size (check, numpy) for a model read on a symbolic input."""
    axes = _AXES.get(len(input_batch_shape(model.inputs[0])), "T,D")
    spaced = axes.replace(",", ", ") + ("," if "," not in axes else "")
    declare = f"declare the input shape: keras.Input(shape=({spaced})) first, or input_shape: [{spaced.rstrip(',')}] in a config"
    return SpecError(
        f"model '{model.name}' has no input shape, and {doing} needs every size: its input features D are unknown",
        pos=model.inputs[0].pos or Position(model.source),
        hint=f"pass the per-sample input shape: --input-shape {axes}, or {declare}",
    )
