"""Layer expressions in Keras call syntax: ``LSTM(8, return_sequences=True)``.

Parsed with ``ast`` and turned into values by walking literal nodes only; nothing
is ever evaluated. Positional arguments map to the layer's Keras signature order.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import limits
from ..errors import Position, SpecError
from ..layers import get_layer_def
from ..spec import LayerSpec


def parse_layer_expr(text: str, source: str) -> LayerSpec:
    """Parse one expression; ``source`` names it in messages (e.g. ``<arg 2>``)."""
    if len(text) > limits.value(limits.EXPR_CHARS):
        raise SpecError(limits.exceeded(limits.EXPR_CHARS, f"layer expression longer than the limit ({len(text):,} characters)"), pos=Position(source))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise SpecError(
            f"not a layer expression: {limits.number_error_text(SyntaxError(err.msg))}",
            pos=Position(source, 1, err.offset),
            hint="write it in Keras call syntax, e.g. \"LSTM(8, return_sequences=True)\"",
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise SpecError("not a layer expression", pos=Position(source)) from None
    node = tree.body
    # A bare class name is a call without arguments: "Flatten" == "Flatten()".
    if isinstance(node, (ast.Name, ast.Attribute)):
        node = ast.Call(func=node, args=[], keywords=[], lineno=node.lineno, col_offset=node.col_offset)
    if not isinstance(node, ast.Call):
        raise SpecError(
            "a layer expression must be a call such as SimpleRNN(5)",
            pos=Position(source, 1, node.col_offset + 1),
        )
    return _layer_from_call(node, source, 0)


def _class_name(func: ast.expr, source: str) -> str:
    # keras.layers.LSTM, tf.keras.layers.LSTM and layers.LSTM all mean LSTM.
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    raise SpecError("expected a layer class name before '('", pos=_pos(func, source))


def _pos(node: ast.AST, source: str) -> Position:
    return Position(source, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


def _layer_from_call(call: ast.Call, source: str, depth: int) -> LayerSpec:
    if depth > limits.value(limits.LAYER_DEPTH):
        raise SpecError(limits.too_deep(limits.LAYER_DEPTH, "layers"), pos=_pos(call, source))
    class_name = _class_name(call.func, source)
    pos = _pos(call, source)
    layer_def = get_layer_def(class_name, pos=pos)
    names = [a.name for a in layer_def.args]
    args: dict[str, Any] = {}
    arg_pos: dict[str, Position] = {}
    for i, value in enumerate(call.args):
        if isinstance(value, ast.Starred):
            raise SpecError("*args cannot be read statically", pos=_pos(value, source))
        if i >= len(names):
            raise SpecError(
                f"{class_name} takes at most {len(names)} positional arguments", pos=_pos(value, source)
            )
        args[names[i]] = _value(value, source, depth)
        arg_pos[names[i]] = _pos(value, source)
    for kw in call.keywords:
        if kw.arg is None:
            raise SpecError("**kwargs cannot be read statically", pos=_pos(kw.value, source))
        if kw.arg in args:
            raise SpecError(f"{class_name} got the argument '{kw.arg}' twice", pos=_pos(kw.value, source))
        args[kw.arg] = _value(kw.value, source, depth)
        arg_pos[kw.arg] = _pos(kw.value, source)
    name = args.get("name") if isinstance(args.get("name"), str) else None
    return LayerSpec(layer_def.class_name if class_name != "Input" else "InputLayer", args, name, pos, arg_pos)


def _value(node: ast.expr, source: str, depth: int) -> Any:
    """A literal value; a nested call is a nested layer (``Bidirectional(GRU(4))``)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call):
        return _layer_from_call(node, source, depth + 1)
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_value(e, source, depth) for e in node.elts]
    if isinstance(node, ast.Dict):
        keys = [_value(k, source, depth) if k is not None else None for k in node.keys]
        if any(not isinstance(k, (str, int)) for k in keys):
            raise SpecError("dictionary keys must be strings", pos=_pos(node, source))
        return {k: _value(v, source, depth) for k, v in zip(keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _value(node.operand, source, depth)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Name):
        raise SpecError(
            f"'{node.id}' is a name, not a value: only literals are read (nothing is evaluated)",
            pos=_pos(node, source),
            # Only a lower-case word reads like a string left unquoted ('relu'); a capitalised
            # one (M, Units) is a symbol, which must be a number here.
            hint="quote strings, e.g. activation='relu'" if node.id.islower() else "give a number, e.g. units=8",
        )
    raise SpecError("only literal values are allowed in layer expressions", pos=_pos(node, source))
