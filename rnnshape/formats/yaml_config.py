"""The native YAML config, read with source positions kept for every layer and key.

Parsing stops at ``yaml.compose`` (safe loader: no Python tags, nothing executed);
values are built from the node tree here, with a node budget so an alias bomb
("billion laughs") is refused instead of expanded.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from .. import limits
from ..errors import FormatError, Position, SpecError, UnknownLayer
from ..layers import REMOVED, current_class, get_layer_def
from ..layers.base import did_you_mean
from ..spec import NESTED_LAYER_ARGS, Expectation, LayerSpec, ModelSpec
from .common import build_sequential
from .expr import parse_layer_expr

TOP_KEYS = ("name", "input_shape", "batch_input_shape", "layers", "expect")
EXPECT_KEYS = ("output_shape", "params", "max_params", "max_macs", "max_memory")

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

# libyaml's parser when PyYAML has it (about 10x faster, same nodes and marks); the
# pure-Python one otherwise. Both are safe: composing builds nodes, never objects.
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.limit = limits.value(limits.YAML_EVENTS)
        self.budget = self.limit
        self.max_chars = limits.value(limits.STRING_CHARS)
        self.max_depth = limits.value(limits.YAML_DEPTH)
        self.constructor = yaml.SafeLoader("")

    def pos(self, node: yaml.Node) -> Position:
        return Position(self.source, node.start_mark.line + 1, node.start_mark.column + 1)

    def value(self, node: yaml.Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise FormatError(
                limits.exceeded(limits.YAML_EVENTS, "too many YAML values once aliases are expanded (an alias bomb?)"),
                pos=self.pos(node),
            )
        if depth > self.max_depth:
            raise FormatError(limits.too_deep(limits.YAML_DEPTH, "YAML"), pos=self.pos(node))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            raise FormatError(f"unsupported YAML tag {node.tag}", pos=self.pos(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.value(key_node, depth + 1)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise FormatError("mapping keys must be plain scalars", pos=self.pos(key_node))
                out[key] = self.value(value_node, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.ScalarNode) and len(node.value) > self.max_chars:
            raise FormatError(
                limits.exceeded(limits.STRING_CHARS, f"a value of {len(node.value):,} characters"),
                pos=self.pos(node),
            )
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise FormatError(f"bad YAML value: {_one_line(str(err))}", pos=self.pos(node)) from None
        except (ValueError, OverflowError) as err:  # e.g. an integer of more than 4300 digits
            raise FormatError(f"bad YAML value: {limits.number_error_text(err)}", pos=self.pos(node)) from None

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise SpecError(f"{what} must be a mapping", pos=self.pos(node))
        return list(node.value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _prescan(text: str, source: str) -> None:
    """Stream parser events (no nodes built) and stop at the depth and node limits.

    Composing a 10,000-deep document takes seconds and memory before any check on the
    node tree could run; the event stream is cheap and can be abandoned at the first
    event past a limit.
    """
    max_depth = limits.value(limits.YAML_DEPTH)
    max_events = limits.value(limits.YAML_EVENTS)
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=COMPOSER)):
        if isinstance(event, _OPENERS):
            depth += 1
            if depth > max_depth:
                raise FormatError(
                    limits.too_deep(limits.YAML_DEPTH, "YAML"),
                    pos=_event_pos(event, source),
                )
        elif isinstance(event, _CLOSERS):
            depth -= 1
        if count > max_events:
            raise FormatError(
                limits.exceeded(limits.YAML_EVENTS, "too many YAML nodes"),
                pos=_event_pos(event, source),
            )


def _event_pos(event: yaml.Event, source: str) -> Position:
    mark = event.start_mark
    return Position(source, mark.line + 1, mark.column + 1) if mark is not None else Position(source)


def load_yaml_text(text: str, source: str) -> ModelSpec:
    try:
        _prescan(text, source)
        root = yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        pos = Position(source, mark.line + 1, mark.column + 1) if mark else Position(source)
        raise FormatError(f"invalid YAML: {_one_line(str(err.problem or err.context))}", pos=pos) from None
    except yaml.YAMLError as err:
        raise FormatError(f"invalid YAML: {_yaml_error_text(err)}", pos=_yaml_error_pos(err, text, source)) from None
    except (ValueError, OverflowError, RecursionError) as err:
        raise FormatError(f"invalid YAML: {limits.number_error_text(err)}", pos=Position(source)) from None
    if root is None:
        raise FormatError("the file is empty", pos=Position(source))
    reader = _Reader(source)
    top: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in reader.mapping(root, "a model config"):
        key = reader.value(key_node)
        if key not in TOP_KEYS:
            raise SpecError(
                f"unknown top-level key '{key}'",
                pos=reader.pos(key_node),
                hint=did_you_mean(str(key), TOP_KEYS) or f"valid keys: {', '.join(TOP_KEYS)}",
            )
        top[key] = (key_node, value_node)
    if "layers" not in top:
        raise SpecError("the config has no 'layers:' list", pos=reader.pos(root))
    layers_node = top["layers"][1]
    if not isinstance(layers_node, yaml.SequenceNode):
        raise SpecError("'layers' must be a list", pos=reader.pos(layers_node))
    if len(layers_node.value) > limits.value(limits.LAYERS):
        raise SpecError(
            limits.exceeded(limits.LAYERS, f"the model has {len(layers_node.value):,} layers"), pos=reader.pos(layers_node)
        )
    layers = [_layer(reader, item, 0) for item in layers_node.value]

    name = reader.value(top["name"][1]) if "name" in top else "sequential"
    if not isinstance(name, str):
        raise SpecError("'name' must be a string", pos=reader.pos(top["name"][1]))
    input_layer = None
    for key, arg in (("batch_input_shape", "batch_shape"), ("input_shape", "shape")):
        if key in top:
            if input_layer is not None:
                raise SpecError(
                    "give either input_shape or batch_input_shape, not both", pos=reader.pos(top[key][0])
                )
            node = top[key][1]
            input_layer = LayerSpec("InputLayer", {arg: reader.value(node)}, None, reader.pos(node))
    expect = _expect(reader, top["expect"][1]) if "expect" in top else None
    return build_sequential(name, input_layer, layers, source=source, expect=expect, input_pos=reader.pos(root))


def _yaml_error_text(err: yaml.YAMLError) -> str:
    # A ReaderError (a control character, e.g. from /dev/zero) has a reason, not a mark.
    reason = getattr(err, "reason", None)
    if isinstance(reason, str):
        char = getattr(err, "character", None)
        if isinstance(char, int):
            return f"{reason} (#x{char:04x})"
        return f"{reason} ({char!r})" if char is not None else reason
    return _one_line(str(err))


def _yaml_error_pos(err: yaml.YAMLError, text: str, source: str) -> Position:
    offset = getattr(err, "position", None)
    if isinstance(offset, int) and 0 <= offset <= len(text):
        line = text.count("\n", 0, offset) + 1
        return Position(source, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)
    return Position(source)


def _layer(reader: _Reader, node: yaml.Node, depth: int) -> LayerSpec:
    """``- LSTM: 8``, ``- LSTM: {units: 8}``, ``- Flatten`` or ``- Flatten:``."""
    if depth > limits.value(limits.LAYER_DEPTH):
        raise SpecError(
            limits.too_deep(limits.LAYER_DEPTH, "layers"),
            pos=reader.pos(node),
        )
    key_node: yaml.Node = node
    value_node: yaml.Node | None = None
    if isinstance(node, yaml.ScalarNode):
        class_name = reader.value(node)
        if isinstance(class_name, str) and "(" in class_name:
            return _call_syntax(reader, node, class_name)
    else:
        items = reader.mapping(node, "a layer (like `- LSTM: {units: 8}`)")
        if len(items) != 1:
            raise SpecError(
                "a layer is a mapping with exactly one key, its class name",
                pos=reader.pos(node),
                hint="write `- LSTM: {units: 8, return_sequences: true}`",
            )
        key_node, value_node = items[0]
        class_name = reader.value(key_node)
    if not isinstance(class_name, str):
        raise SpecError("a layer's class name must be a string", pos=reader.pos(key_node))
    pos = reader.pos(key_node)
    try:
        layer_def = get_layer_def(class_name, pos=pos)
    except UnknownLayer:
        # Kept as written: inference raises the same error at the same place, and
        # lint still sees the rest of the file. A scalar shorthand needs a known class.
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag != "tag:yaml.org,2002:null":
            if class_name not in REMOVED:
                raise
            layer_def = get_layer_def(current_class(class_name))
        else:
            layer_def = None
    args: dict[str, Any] = {}
    arg_pos: dict[str, Position] = {}
    if isinstance(value_node, yaml.MappingNode):
        for k_node, v_node in value_node.value:
            key = reader.value(k_node)
            if not isinstance(key, str):
                raise SpecError("argument names must be strings", pos=reader.pos(k_node))
            if key in NESTED_LAYER_ARGS and v_node.tag != "tag:yaml.org,2002:null":
                args[key] = _layer(reader, v_node, depth + 1)
            else:
                args[key] = reader.value(v_node)
            arg_pos[key] = reader.pos(k_node)
    elif value_node is not None and value_node.tag != "tag:yaml.org,2002:null" and layer_def is not None:
        # Scalar shorthand: the first positional argument (units, rate, ...).
        if not layer_def.args:
            raise SpecError(f"{class_name} takes no arguments", pos=reader.pos(value_node))
        first = layer_def.args[0].name
        args[first] = reader.value(value_node)
        arg_pos[first] = reader.pos(value_node)
    name = args.get("name") if isinstance(args.get("name"), str) else None
    canonical = class_name if layer_def is None or class_name in REMOVED else layer_def.class_name
    return LayerSpec(canonical, args, name, pos, arg_pos)


def _call_syntax(reader: _Reader, node: yaml.ScalarNode, text: str) -> LayerSpec:
    """``- LSTM(4, return_sequences=True)``: a layer in Keras call syntax, read by the parser
    of command-line layer expressions; its positions are moved onto the YAML line."""
    start = reader.pos(node)

    def moved(pos: Position | None) -> Position:
        if pos is None or pos.line is None:
            return start
        if pos.line > 1 or start.col is None or pos.col is None:
            return Position(start.source, (start.line or 1) + pos.line - 1, pos.col)
        return Position(start.source, start.line, start.col + pos.col - 1)

    def relocated(spec: LayerSpec) -> LayerSpec:
        args = {k: relocated(v) if isinstance(v, LayerSpec) else v for k, v in spec.args.items()}
        return replace(spec, args=args, pos=moved(spec.pos), arg_pos={k: moved(p) for k, p in spec.arg_pos.items()})

    try:
        return relocated(parse_layer_expr(text, reader.source))
    except SpecError as err:
        raise err.amended(pos=moved(err.pos)) from None


def _expect(reader: _Reader, node: yaml.Node) -> Expectation:
    values: dict[str, Any] = {}
    positions: dict[str, Position] = {}
    for k_node, v_node in reader.mapping(node, "'expect'"):
        key = reader.value(k_node)
        if key not in EXPECT_KEYS:
            raise SpecError(
                f"unknown key '{key}' in expect",
                pos=reader.pos(k_node),
                hint=did_you_mean(str(key), EXPECT_KEYS) or f"valid keys: {', '.join(EXPECT_KEYS)}",
            )
        values[key] = reader.value(v_node)
        positions[key] = reader.pos(v_node)
    for key in ("params", "max_params", "max_macs"):
        value = values.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise SpecError(f"expect.{key} must be a non-negative integer", pos=positions[key])
    max_memory = values.get("max_memory")
    if max_memory is not None:
        max_memory = _byte_budget(max_memory, positions["max_memory"])
    return Expectation(
        values.get("output_shape"), values.get("params"), values.get("max_params"), positions, values.get("max_macs"),
        max_memory,
    )


# Units of expect.max_memory: 1024-based, as Keras's summary writes sizes.
_BYTE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def _byte_budget(value: Any, pos: Position) -> int:
    """A number of bytes, or a size with a unit: ``2048``, ``"512 KB"``, ``"1.5MB"``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = re.fullmatch(r"\s*(\d{1,15}(?:\.\d{1,6})?)\s*([KMG]?B)\s*", value, re.IGNORECASE) if isinstance(value, str) else None
    if match is None:
        raise SpecError(
            f"expect.max_memory must be a number of bytes or a size like \"2 MB\", got {value!r}",
            pos=pos, hint="units: B, KB, MB, GB (1024-based, as Keras's summary)",
        )
    return int(float(match.group(1)) * _BYTE_UNITS[match.group(2).upper()])
