"""Operations on symbolic tensors: ``keras.ops`` calls and Python operators on Keras tensors.

Keras 3 records ``keras.ops.reshape(x, ...)``, ``x + y`` or ``x[:, -1]`` in a Functional
model as an *operation*: a row of ``model.summary()`` with 0 params (``reshape (Reshape)``),
listed in ``model.operations`` but not in ``model.layers``, and an entry of ``to_json()``.
rnnshape shows them as those rows. This module is the one place that knows each one:

- the spellings the Python reader accepts (``keras.ops.X``, ``ops.X`` after ``from keras
  import ops``, ``keras.ops.numpy.X``, and the ``tf.X`` function of tf.keras 2 code that
  computes the same shape; Keras 3 raises on those, so the model says so in a note);
- its arguments, checked like layer arguments (``LayerDef.args``);
- its shape rule, with Keras's own error text when shapes do not fit;
- the ``keras.ops`` function ``check`` calls to rebuild it.

Registry keys are ``ops.<function>`` (``ops.reshape``): several Keras operation classes
share their name with a layer class (``Reshape``, ``Concatenate``, ``Add``) but not its
arguments or rule. ``LayerDef.keras_class`` is the name Keras shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Dim, Shape
from . import macs
from .base import REQUIRED, Arg, Built, Context, LayerDef, MacRule, Macs, boolean, positive_int

OP_CATEGORY = "op"
NO_NUMPY = "a tensor operation: the NumPy generator writes layers only (use keras.ops in Keras, or check)"
# A constant operand of an operator (``x * 2``): a number, broadcast as a scalar.
_NUMBER = (int, float)


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


def _one_hot(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape, axis, n = list(inputs[0]), cfg["axis"], cfg["num_classes"]
    if axis == -1:
        shape.append(n)
    elif 0 <= axis < len(shape):
        shape.insert(axis, n)
    else:
        raise keras_error(f"axis must be -1 or between [0, {len(shape)}), but received {axis}.")
    return Built((tuple(shape),))


def _concatenate(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    first = inputs[0]
    axis = _axis(cfg["axis"], len(first))
    total: int | None = 0
    for shape in inputs:
        if not _same(shape, first, axis):
            raise keras_error(
                "Every value in `xs` must have the same shape except on the `axis` dim. But found element "
                f"of shape {_py(shape)}, which is different from the first element's shape {_py(first)}."
            )
        total = None if total is None or shape[axis] is None else total + shape[axis]
    out = list(first)
    out[axis] = total
    return Built((tuple(out),))


def _stack(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _expand_dims(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    shape = inputs[0]
    axes = _axes(cfg["axis"])
    rank = len(axes) + len(shape)
    wanted = {_axis(a, rank) for a in axes}
    rest = iter(shape)
    return Built((tuple(1 if i in wanted else next(rest) for i in range(rank)),))


def _squeeze(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _reshape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _transpose(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _reduce(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    """``reduce_shape``: the reduced axes drop out (or become 1 with ``keepdims``)."""
    shape = inputs[0]
    if cfg["axis"] is None:
        return Built(((1,) * len(shape) if cfg["keepdims"] else (),))
    axes = {_axis(a, len(shape)) for a in _axes(cfg["axis"])}
    if cfg["keepdims"]:
        return Built((tuple(1 if i in axes else d for i, d in enumerate(shape)),))
    return Built((tuple(d for i, d in enumerate(shape) if i not in axes),))


def _same_shape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    return Built((inputs[0],))


def operands(cfg: Mapping[str, Any], inputs: Sequence[Any], params: Sequence[str] = ("x1", "x2")) -> list[Any]:
    """The operands in order: the tensors, with a constant (``2`` in ``x * 2``) in its place."""
    tensors = iter(inputs)
    return [cfg[p] if cfg.get(p) is not None else next(tensors) for p in params]


def _binary(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    first, second = (() if isinstance(v, _NUMBER) else v for v in operands(cfg, inputs))
    return Built((broadcast(first, second),))


def _matmul(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _matmul_macs(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """One MAC per output element (batch axis left out) and per step of the inner axis."""
    inner = inputs[0][-1]
    dims = [*built.outputs[0][1:], inner]
    if any(d is None for d in dims):
        return Macs(None, "outputs·inner axis (unknown)")
    value = math.prod(d for d in dims if d is not None)
    return Macs(value, f"outputs·inner axis = {value:,}")


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


def _get_item(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
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


def _int(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"


def _ints(value: Any) -> str | None:
    if isinstance(value, (list, tuple)) and all(_int(v) is None for v in value):
        return None
    return "must be a list of integers"


def _axis_or_axes(value: Any) -> str | None:
    return None if _int(value) is None or _ints(value) is None else "must be an integer or a list of integers"


def _dtype(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a dtype name such as 'float32'"


def _number(value: Any) -> str | None:
    ok = isinstance(value, _NUMBER) and not isinstance(value, bool)
    return None if ok else "must be a tensor or a number"


def _key(value: Any) -> str | None:
    for part in value if isinstance(value, list) else [value]:
        plain = part is None or part == ELLIPSIS or _int(part) is None
        sliced = isinstance(part, list) and len(part) == 4 and part[0] == "slice"
        if not (plain or sliced) or sliced and any(v is not None and _int(v) for v in part[1:]):
            return "must be integers, slices of integers, None or ..."
    return None


# ---------------------------------------------------------------- the entries


@dataclass(frozen=True)
class TfSpelling:
    """A TensorFlow function of tf.keras 2 code that computes the same shape as the op.

    ``params`` are its parameters in its own positional order, each with the op's name for
    it, or None where the parameter changes no shape (``name``, ``on_value``): dropped.
    """

    names: tuple[str, ...]  # under ``tensorflow.``: "reduce_max", "math.reduce_max"
    params: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class TensorOp:
    """One operation: its ``keras.ops`` function, parameters and registry entry."""

    function: str
    params: tuple[str, ...]  # Keras's positional order
    tensors: tuple[str, ...]  # the parameters that are tensors
    layer: LayerDef
    tf: TfSpelling | None = None
    as_list: bool = False  # its one tensor parameter is a list of tensors (concatenate, stack)

    @property
    def key(self) -> str:
        return self.layer.class_name


def _op(
    function: str,
    keras_class: str,
    params: tuple[str, ...],
    tensors: tuple[str, ...],
    args: tuple[Arg, ...],
    infer: Callable[[Mapping[str, Any], Sequence[Shape], Context], Built],
    summary: str,
    tf: TfSpelling | None = None,
    cost: str | MacRule = macs.ZERO_SHAPE,
    as_list: bool = False,
) -> TensorOp:
    many = as_list or len(tensors) > 1
    layer = LayerDef(
        class_name=f"ops.{function}",
        keras_class=keras_class,
        args=args,
        infer=infer,
        summary=f"keras.ops.{function}: {summary}; a Keras operation row, 0 params",
        arity="many" if many else 1,
        category=OP_CATEGORY,
        no_numpy=NO_NUMPY,
        macs=cost,
    )
    return TensorOp(function, params, tensors, layer, tf, as_list)


def _tf(names: str, *params: tuple[str, str | None]) -> TfSpelling:
    return TfSpelling(tuple(names.split()), (*params, ("name", None)))


_AXIS_KEEPDIMS = (Arg("axis", None, _axis_or_axes), Arg("keepdims", False, boolean))


def _reduction(function: str, keras_class: str, what: str, extra: tuple[Arg, ...] = ()) -> TensorOp:
    names = f"reduce_{function} math.reduce_{function}"
    return _op(
        function, keras_class, ("x", "axis", "keepdims", *(a.name for a in extra)), ("x",),
        (*_AXIS_KEEPDIMS, *extra), _reduce, f"{what} over axis (keepdims keeps it as 1)",
        _tf(names, ("input_tensor", "x"), ("axis", "axis"), ("keepdims", "keepdims")), macs.ZERO_POOL,
    )


def _arithmetic(function: str, keras_class: str, symbol: str) -> TensorOp:
    return _op(
        function, keras_class, ("x1", "x2"), ("x1", "x2"),
        (Arg("x1", None, _number), Arg("x2", None, _number)), _binary,
        f"x1 {symbol} x2 with broadcasting (also the operator {symbol})", cost=macs.ZERO_ELEMENTWISE,
    )


TENSOR_OPS: tuple[TensorOp, ...] = (
    _op(
        "one_hot", "OneHot", ("x", "num_classes", "axis", "dtype", "sparse"), ("x",),
        (Arg("num_classes", REQUIRED, positive_int), Arg("axis", -1, _int), Arg("dtype", None, _dtype),
         Arg("sparse", False, boolean)),
        _one_hot, "a new axis of num_classes at axis",
        _tf("one_hot", ("indices", "x"), ("depth", "num_classes"), ("on_value", None), ("off_value", None),
            ("axis", "axis"), ("dtype", "dtype")),
        macs.ZERO_ENCODING,
    ),
    _op(
        "concatenate", "Concatenate", ("xs", "axis"), ("xs",), (Arg("axis", 0, _int),), _concatenate,
        "joins tensors along axis", _tf("concat", ("values", "xs"), ("axis", "axis")), as_list=True,
    ),
    _op(
        "stack", "Stack", ("x", "axis"), ("x",), (Arg("axis", 0, _int),), _stack,
        "stacks same-shape tensors on a new axis", _tf("stack", ("values", "x"), ("axis", "axis")), as_list=True,
    ),
    _op(
        "expand_dims", "ExpandDims", ("x", "axis"), ("x",), (Arg("axis", REQUIRED, _axis_or_axes),), _expand_dims,
        "a new axis of size 1", _tf("expand_dims", ("input", "x"), ("axis", "axis")),
    ),
    _op(
        "squeeze", "Squeeze", ("x", "axis"), ("x",), (Arg("axis", None, _axis_or_axes),), _squeeze,
        "drops axes of size 1", _tf("squeeze", ("input", "x"), ("axis", "axis")),
    ),
    _op(
        "reshape", "Reshape", ("x", "newshape"), ("x",), (Arg("newshape", REQUIRED, _ints),), _reshape,
        "a new shape, batch axis included (-1: inferred)", _tf("reshape", ("tensor", "x"), ("shape", "newshape")),
    ),
    _op(
        "transpose", "Transpose", ("x", "axes"), ("x",), (Arg("axes", None, _ints),), _transpose,
        "permutes the axes (all of them, batch included)",
        _tf("transpose", ("a", "x"), ("perm", "axes"), ("conjugate", None)),
    ),
    _reduction("sum", "Sum", "sum"),
    _reduction("mean", "Mean", "mean"),
    _reduction("max", "Max", "maximum", (Arg("initial", None, _number),)),
    _reduction("min", "Min", "minimum", (Arg("initial", None, _number),)),
    _reduction("prod", "Prod", "product", (Arg("dtype", None, _dtype),)),
    _op(
        "matmul", "Matmul", ("x1", "x2"), ("x1", "x2"), (), _matmul,
        "matrix product over the last two axes, leading axes broadcast (also the operator @)",
        _tf("matmul linalg.matmul", ("a", "x1"), ("b", "x2")), _matmul_macs,
    ),
    _op(
        "cast", "Cast", ("x", "dtype"), ("x",), (Arg("dtype", REQUIRED, _dtype),), _same_shape,
        "the same shape in another dtype", _tf("cast", ("x", "x"), ("dtype", "dtype")), macs.ZERO_SHAPE,
    ),
    _arithmetic("add", "Add", "+"),
    _arithmetic("subtract", "Subtract", "-"),
    _arithmetic("multiply", "Multiply", "*"),
    _arithmetic("true_divide", "TrueDivide", "/"),
    _op(
        "negative", "Negative", ("x",), ("x",), (), _same_shape, "-x (also the operator -)", cost=macs.ZERO_ELEMENTWISE,
    ),
    _op(
        "get_item", "GetItem", ("x", "key"), ("x",), (Arg("key", REQUIRED, _key),), _get_item,
        "x[key]: an index drops an axis, a slice keeps it, None adds one",
    ),
)

BY_FUNCTION: dict[str, TensorOp] = {op.function: op for op in TENSOR_OPS}
# keras.ops.divide builds the same TrueDivide operation as ``/``.
BY_FUNCTION["divide"] = BY_FUNCTION["true_divide"]
BY_TF_NAME: dict[str, TensorOp] = {name: op for op in TENSOR_OPS if op.tf for name in op.tf.names}
BY_KEY: dict[str, TensorOp] = {op.key: op for op in TENSOR_OPS}
# Python operators on Keras tensors (``KerasTensor.__add__`` calls ``keras.ops.add``), by ``ast`` class name.
OPERATORS: dict[str, TensorOp] = {
    "Add": BY_FUNCTION["add"],
    "Sub": BY_FUNCTION["subtract"],
    "Mult": BY_FUNCTION["multiply"],
    "Div": BY_FUNCTION["true_divide"],
    "MatMult": BY_FUNCTION["matmul"],
    "USub": BY_FUNCTION["negative"],
}
