"""Keras 2 arguments that Keras 3 rejects on every layer, found in every layer call of a
source file, whether rnnshape reads the model around it or not.

A model rnnshape reads keeps them on its layers, and lint flags them there (RS201). But a
model may be skipped (a value from data, a loop rnnshape cannot unroll, a function whose
result it cannot know), and Keras 3 still raises on ``Embedding(..., batch_input_shape=...)``
before any of that matters. So every call of a Keras layer class is looked at as written,
and an argument no read model holds becomes an ``errors.RejectedArgument`` warning (lint's
RS201 error). Nothing here evaluates an argument.
"""

from __future__ import annotations

import ast
from typing import Callable, Iterable, Iterator

from ..errors import Position, RejectedArgument
from ..graph import all_layers
from ..spec import ModelSpec
from .python_keras import LAYER_NAMESPACES, keras_symbol
from .python_values import Path

# Rejected by every Keras 3 layer but InputLayer: "Unrecognized keyword arguments passed to ...".
REJECTED_ON_LAYERS = ("batch_input_shape", "batch_size")
_INPUTS = frozenset({"Input", "InputLayer"})


def rejected_calls(
    stmts: Iterable[ast.stmt], static_path: Callable[[ast.expr], Path | None], pos: Callable[[ast.AST], Position]
) -> Iterator[tuple[Position, str, str]]:
    """``(where the value is, layer class, argument)`` for each rejected argument in ``stmts``."""
    for stmt in stmts:
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call) or not any(kw.arg in REJECTED_ON_LAYERS for kw in node.keywords):
                continue
            path = static_path(node.func)
            sym = keras_symbol(path) if path is not None else None
            if sym is None or sym[0] not in LAYER_NAMESPACES or not sym[1][:1].isupper() or sym[1] in _INPUTS:
                continue
            for kw in node.keywords:
                if kw.arg in REJECTED_ON_LAYERS:
                    yield pos(kw.value), sym[1], kw.arg


def unread(found: dict[Position, tuple[str, str]], models: Iterable[ModelSpec]) -> list[RejectedArgument]:
    """The warnings for the arguments found that no read model holds (lint flags those it holds)."""
    held = {layer.arg_pos.get(key) for model in models for layer in all_layers(model) for key in REJECTED_ON_LAYERS}
    return [
        RejectedArgument(
            f"{class_name}({key}=...) is in code rnnshape does not read as a model, and Keras 3 rejects it: "
            f"Unrecognized keyword arguments passed to {class_name}",
            class_name=class_name, key=key, pos=where,
        )
        for where, (class_name, key) in found.items()
        if where not in held
    ]
