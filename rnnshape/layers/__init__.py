"""The layer registry: an explicit dict from Keras class name to its entry."""

from __future__ import annotations

from ..errors import Position, UnknownLayer
from .base import LayerDef, did_you_mean
from .core import DENSE, DROPOUT, INPUT_LAYER
from .recurrent import GRU, LSTM, SIMPLE_RNN

REGISTRY: dict[str, LayerDef] = {
    d.class_name: d
    for d in (
        INPUT_LAYER,
        SIMPLE_RNN,
        LSTM,
        GRU,
        DENSE,
        DROPOUT,
    )
}

# Names that are not classes of their own in Keras 3 but mean one of ours.
ALIASES: dict[str, str] = {"Input": "InputLayer"}

# Layers that existed once and are gone: the class that replaces each, then how.
REPLACED_BY: dict[str, str] = {"CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}
REMOVED: dict[str, str] = {
    "CuDNNLSTM": "LSTM (Keras 3 picks the cuDNN kernel by itself)",
    "CuDNNGRU": "GRU (Keras 3 picks the cuDNN kernel by itself)",
}


def get_layer_def(class_name: str, *, pos: Position | None = None, name: str | None = None) -> LayerDef:
    """The registry entry for ``class_name``, or a SpecError that says what to do."""
    found = REGISTRY.get(ALIASES.get(class_name, class_name))
    if found is not None:
        return found
    if class_name in REMOVED:
        raise UnknownLayer(
            f"{class_name} was removed in Keras 3",
            class_name=class_name,
            removed=True,
            pos=pos,
            layer=name,
            hint=f"use {REMOVED[class_name]}",
        )
    hint = did_you_mean(class_name, list(REGISTRY) + list(ALIASES))
    raise UnknownLayer(
        f"unknown layer class '{class_name}'",
        class_name=class_name,
        pos=pos,
        layer=name,
        hint=hint or "run `rnnshape layers` to list the supported layers",
    )
