"""The shape rules of the tensor operations (``tensor_ops``), as Keras 3 computes them.

Each rule follows the operation's ``compute_output_spec`` in Keras 3 (``keras/src/ops``),
including where Keras checks nothing (``reshape`` of a tensor with an unknown dimension
takes ``-1`` as unknown), and raises with Keras's own ValueError sentence where Keras
raises, so that a message can be compared with Keras's word for word.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Dim, Shape
from .base import Built, Context, Macs

# A constant operand of an operator (``x * 2``): a number, broadcast as a scalar.
NUMBER = (int, float)


def keras_error(message: str) -> ShapeError:
    """Keras's own ValueError text, which the core prefixes with the operation's name."""
    return ShapeError(f"raises ValueError: {message}")


def _py(shape: Sequence[Dim]) -> str:
    """A shape as Keras's message prints it (a Python tuple: ``(None, 40)``, ``(3,)``)."""
    return repr(tuple(shape))


def _axis(axis: int, rank: int) -> int:
    """``canonicalize_axis``: an axis in [-rank, rank) as a non-negative index."""
    if not -rank <= axis < rank:
        raise keras_error(f"axis {axis} is out of bounds for an array with dimension {rank}.")
    return axis % rank


def _same(a: Shape, b: Shape, skip: int | None) -> bool:
    """``shape_equal(..., allow_none=True)``: same rank, equal or unknown dims (but ``skip``)."""
    if len(a) != len(b):
        return False
    return all(i == skip or x is None or y is None or x == y for i, (x, y) in enumerate(zip(a, b)))


def broadcast(first: Shape, second: Shape) -> Shape:
    """Keras's ``broadcast_shapes`` (an unknown dim next to a known one takes the known one)."""
    rank = max(len(first), len(second))
    a = [1] * (rank - len(first)) + list(first)
    b = [1] * (rank - len(second)) + list(second)
    out: list[Dim] = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif x is None:
            out.append(None if y == 1 else y)
        elif y == 1 or y is None or y == x:
            out.append(x)
        else:
            raise keras_error(
                f"Cannot broadcast shape, the failure dim has value {x}, which cannot be broadcasted "
                f"to {y}. Input shapes are: {list(first)} and {list(second)}."
            )
    return tuple(out)


# ---------------------------------------------------------------- shape rules


def one_hot(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape, axis, n = list(inputs[0]), cfg["axis"], cfg["num_classes"]
    if axis == -1:
        shape.append(n)
    elif 0 <= axis < len(shape):
        shape.insert(axis, n)
    else:
        raise keras_error(f"axis must be -1 or between [0, {len(shape)}), but received {axis}.")
    return Built((tuple(shape),))


def concatenate(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    first = inputs[0]
    axis = _axis(cfg["axis"], len(first))
    total: int | None = 0
    for shape in inputs:
        if not _same(shape, first, axis):
            raise keras_error(
                "Every value in `xs` must have the same shape except on the `axis` dim. But found element "
                f"of shape {_py(shape)}, which is different from the first element's shape {_py(first)}."
            )
        size = shape[axis]
        total = None if total is None or size is None else total + size
    out = list(first)
    out[axis] = total
    return Built((tuple(out),))


def stack(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    first = inputs[0]
    axis = _axis(cfg["axis"], len(first) + 1)
    for shape in inputs:
        if not _same(shape, first, None):
            raise keras_error(
                "Every value in `x` must have the same shape. But found element of shape "
                f"{_py(shape)},  which is different from the first element's shape {_py(first)}."
            )
    out = list(first)
    out.insert(axis, len(inputs))
    return Built((tuple(out),))


def _axes(value: Any) -> list[int]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def expand_dims(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape = inputs[0]
    axes = _axes(cfg["axis"])
    rank = len(axes) + len(shape)
    wanted = {_axis(a, rank) for a in axes}
    rest = iter(shape)
    return Built((tuple(1 if i in wanted else next(rest) for i in range(rank)),))


def squeeze(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape = list(inputs[0])
    if cfg["axis"] is None:
        return Built((tuple(d for d in shape if d != 1),))
    axes = _axes(cfg["axis"])
    for a in axes:
        if shape[_axis(a, len(shape))] != 1:
            raise keras_error(f"Cannot squeeze axis {a}, because the dimension is not 1.")
    for a in sorted((_axis(a, len(shape)) for a in axes), reverse=True):
        del shape[a]
    return Built((tuple(shape),))


def reshape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape, new = inputs[0], tuple(cfg["newshape"])
    if any(d < -1 for d in new):
        raise keras_error(
            "Each dimension in `newshape` must be a non-negative integer, or `-1` for a single "
            f"unknown dimension. Received: newshape={new}."
        )
    if new.count(-1) > 1:
        raise keras_error(f"There must be at most one unknown dimension (-1) in `newshape`. Received: newshape={new}.")
    if None in shape:  # the size is not known: Keras takes -1 as unknown and checks nothing
        return Built((tuple(None if d == -1 else d for d in new),))
    size = math.prod(d for d in shape if d is not None)
    if -1 not in new:
        if size != math.prod(new):
            raise keras_error(
                f"The total size of the tensor must be unchanged. Received: input_shape={_py(shape)}, newshape={new}"
            )
        return Built((new,))
    known = math.prod(d for d in new if d != -1)
    if known == 0 or size % known:
        raise keras_error(
            "The total size of the tensor must be unchanged, however, the input size cannot by divided by "
            f"the specified dimensions in newshape. Received: input_shape={_py(shape)}, newshape={new}"
        )
    return Built((tuple(size // known if d == -1 else d for d in new),))


def transpose(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape, axes = inputs[0], cfg["axes"]
    if axes is None:
        return Built((tuple(reversed(shape)),))
    rank = len(shape)
    if len(axes) != rank:
        raise keras_error(
            f"axis must be a list of the same length as the input shape, expected {rank}, but received {len(axes)}."
        )
    if any(not -rank <= a < rank for a in axes):
        raise keras_error(f"Each axis in `axes` must be an integer in [-{rank}, {rank}). Received: axes={list(axes)}.")
    if len({a % rank for a in axes}) != rank:
        raise keras_error(
            "`axes` must be a valid permutation of the input dimensions (no duplicates). "
            f"Received: axes={list(axes)} for input of rank {rank}."
        )
    return Built((tuple(shape[a % rank] for a in axes),))


def reduce(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    """``reduce_shape``: the reduced axes drop out (or become 1 with ``keepdims``)."""
    shape = inputs[0]
    if cfg["axis"] is None:
        return Built(((1,) * len(shape) if cfg["keepdims"] else (),))
    axes = {_axis(a, len(shape)) for a in _axes(cfg["axis"])}
    if cfg["keepdims"]:
        return Built((tuple(1 if i in axes else d for i, d in enumerate(shape)),))
    return Built((tuple(d for i, d in enumerate(shape) if i not in axes),))


def split(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    """Keras's ``split``: n equal parts, or the parts between the given indices (not clamped)."""
    shape = list(inputs[0])
    axis = _axis(cfg["axis"], len(shape))
    size, sections = shape[axis], cfg["indices_or_sections"]
    if isinstance(sections, int):
        if size is not None and size % sections:
            raise keras_error(
                "`x` size on given `axis` must be divisible by `indices_or_sections` when `indices_or_sections` "
                f"is an int. But received {size} and {sections}."
            )
        sizes: list[int | None] = [None if size is None else size // sections] * sections
    else:
        bounds = [0, *sections, size]
        sizes = [None if end is None else end - start for start, end in zip(bounds, bounds[1:])]
    return Built(tuple(tuple(d if i != axis else part for i, d in enumerate(shape)) for part in sizes))


def sections(value: Any) -> str | None:
    if an_int(value) is None:
        return None if value > 0 else "must be a positive integer or a list of indices"
    return int_list(value)


def same_shape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    return Built((inputs[0],))


def operands(cfg: Mapping[str, Any], inputs: Sequence[Any], params: Sequence[str] = ("x1", "x2")) -> list[Any]:
    """The operands in order: the tensors, with a constant (``2`` in ``x * 2``) in its place."""
    tensors = iter(inputs)
    return [cfg[p] if cfg.get(p) is not None else next(tensors) for p in params]


def binary(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    first, second = (() if isinstance(v, NUMBER) else v for v in operands(cfg, inputs))
    return Built((broadcast(first, second),))


def matmul(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    a, b = inputs
    if not a or not b:
        raise keras_error("matmul needs operands of rank 1 or more")
    left = (1, a[0]) if len(a) == 1 else a
    right = (b[0], 1) if len(b) == 1 else b
    if left[-1] is not None and right[-2] is not None and left[-1] != right[-2]:
        raise keras_error(
            "Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but received "
            f"`x1.shape={_py(left)}` and `x2.shape={_py(right)}`."
        )
    out = [*broadcast(left[:-2], right[:-2]), left[-2], right[-1]]
    if len(a) == 1:
        del out[-2]
    if len(b) == 1:
        del out[-1]
    return Built((tuple(out),))


def matmul_macs(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """One MAC per output element (batch axis left out) and per step of the inner axis."""
    inner = inputs[0][-1]
    dims = [*built.outputs[0][1:], inner]
    if any(d is None for d in dims):
        return Macs(None, "outputs·inner axis (unknown)")
    value = math.prod(d for d in dims if d is not None)
    return Macs(value, f"outputs·inner axis = {value:,}")


def reduction_flops(per_result_extra: int) -> Any:
    """A reduction of n values per result: n-1 operations (sum, max, min, prod), n for a mean
    (``per_result_extra`` = 1, the division); over one sample's elements (docs/cost.md)."""

    def rule(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
        dims_in, dims_out = inputs[0][1:], built.outputs[0][1:]
        if None in dims_in or None in dims_out:
            return Macs(None, "elements in - results (unknown)")
        elements = math.prod(d for d in dims_in if d is not None)
        results = math.prod(d for d in dims_out if d is not None)
        if per_result_extra:
            return Macs(elements, f"elements in = {elements:,}")
        return Macs(elements - results, f"elements in - results = {elements:,} - {results:,} = {elements - results:,}")

    return rule


# ---------------------------------------------------------------- x[key]

# A key is stored as plain data: an int index, None (np.newaxis), "..." (Ellipsis), or a
# slice as ["slice", start, stop, step]. ``decode_key`` turns it back into Python's.
ELLIPSIS = "..."


def decode_key(key: Sequence[Any]) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in key:
        if part == ELLIPSIS:
            out.append(Ellipsis)
        elif isinstance(part, list):
            out.append(slice(*part[1:]))
        else:
            out.append(part)
    return tuple(out)


def get_item(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    """Keras's ``GetItem`` rule: ints drop an axis, slices keep it, None adds one."""
    shape = inputs[0]
    remaining, out = list(shape), []
    key = list(decode_key(cfg["key"]))
    if key.count(Ellipsis) > 1:
        raise keras_error(f"Slice should only have one ellipsis. Received: `{tuple(key)}`")
    if Ellipsis not in key:
        key.append(Ellipsis)
    while key:
        part = key.pop(0)
        if part is Ellipsis:
            keep = len(remaining) - (len(key) - key.count(None))
            out += remaining[:keep]
            remaining = remaining[keep:]
            continue
        if part is None:
            out.append(1)
            continue
        if not remaining:
            raise keras_error(f"Array has shape {_py(shape)} but slice has to many indices. Received: `{_key_text(cfg['key'])}`")
        length = remaining.pop(0)
        if isinstance(part, slice):
            out.append(None if length is None else len(range(*part.indices(length))))
        elif length is not None and not -length <= part < length:
            raise keras_error(f"Array has shape {_py(shape)} but out-of-bounds index {_key_text(cfg['key'])} was requested.")
    return Built((tuple(out),))


def _key_text(key: Sequence[Any]) -> str:
    parts = decode_key(key)
    return repr(parts[0]) if len(parts) == 1 else repr(parts)


# ---------------------------------------------------------------- argument checks


def an_int(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"


def int_list(value: Any) -> str | None:
    if isinstance(value, (list, tuple)) and all(an_int(v) is None for v in value):
        return None
    return "must be a list of integers"


def axis_or_axes(value: Any) -> str | None:
    return None if an_int(value) is None or int_list(value) is None else "must be an integer or a list of integers"


def dtype_name(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a dtype name such as 'float32'"


def number(value: Any) -> str | None:
    ok = isinstance(value, NUMBER) and not isinstance(value, bool)
    return None if ok else "must be a tensor or a number"


def item_key(value: Any) -> str | None:
    for part in value if isinstance(value, list) else [value]:
        plain = part is None or part == ELLIPSIS or an_int(part) is None
        sliced = isinstance(part, list) and len(part) == 4 and part[0] == "slice"
        if not (plain or sliced) or sliced and any(v is not None and an_int(v) for v in part[1:]):
            return "must be integers, slices of integers, None or ..."
    return None


