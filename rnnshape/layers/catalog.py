"""The registry grouped by category, for ``rnnshape layers`` and the README."""

from __future__ import annotations

from . import ALIASES, REGISTRY
from .base import LayerDef

# Display order and titles; a category missing here is listed last under its own name.
CATEGORIES: dict[str, str] = {
    "recurrent": "Recurrent",
    "wrappers": "Wrappers",
    "cells": "RNN cells (inside RNN(...))",
    "core": "Core",
    "embedding": "Embedding and masking",
    "convolution": "Convolution",
    "pooling": "Pooling",
    "reshaping": "Reshaping",
    "activation": "Activation layers",
    "regularization": "Regularization",
    "normalization": "Normalization",
    "preprocessing": "Preprocessing (text, lookup, numbers)",
    "attention": "Attention",
    "merging": "Merging (called on a list of tensors)",
    "op": "Operations on tensors (keras.ops calls and operators; rows of Keras's summary, 0 params)",
}


def layer_groups() -> list[tuple[str, list[LayerDef]]]:
    groups: dict[str, list[LayerDef]] = {}
    for layer_def in REGISTRY.values():
        groups.setdefault(layer_def.category, []).append(layer_def)
    order = list(CATEGORIES) + sorted(set(groups) - set(CATEGORIES))
    return [(CATEGORIES.get(c, c.capitalize()), groups[c]) for c in order if c in groups]


def aliases_of(class_name: str) -> list[str]:
    return sorted(alias for alias, target in ALIASES.items() if target == class_name)
