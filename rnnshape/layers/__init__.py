"""The layer registry: an explicit dict from Keras class name to its entry."""

from __future__ import annotations

from ..errors import Position, SpecError
from .base import LayerDef, did_you_mean
from .core import DENSE, DROPOUT, INPUT_LAYER
from .ops import OPS
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
        # Mask operations Keras 3 records in Functional graphs (not layers, but rows).
        *OPS,
    )
}

# Names that are not classes of their own in Keras 3 but mean one of ours.
ALIASES: dict[str, str] = {"Input": "InputLayer"}

# Layers that existed once and are gone, with what replaces them.
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
        raise SpecError(
            f"{class_name} was removed in Keras 3",
            pos=pos,
            layer=name,
            hint=f"use {REMOVED[class_name]}",
        )
    hint = did_you_mean(class_name, list(REGISTRY) + list(ALIASES))
    raise SpecError(
        f"unknown layer class '{class_name}'",
        pos=pos,
        layer=name,
        hint=hint or "run `rnnshape layers` to list the supported layers",
    )
