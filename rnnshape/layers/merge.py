"""Merge layers, called on a list of tensors: Concatenate, the elementwise family
(Add, Subtract, Multiply, Average, Maximum, Minimum) and Dot. No weights."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Dim, Shape
from ..text import shown
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, Infer, LayerDef, boolean, format_shape


def _shapes(inputs: Sequence[Shape]) -> str:
    return ", ".join(format_shape(s) for s in inputs)


def _int(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer axis"


def _concatenate(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    if not inputs:
        raise ShapeError("needs at least one input", hint="call it on a list: Concatenate()([a, b])")
    rank = len(inputs[0])
    if any(len(s) != rank for s in inputs):
        raise ShapeError(
            f"needs inputs of the same rank, got {_shapes(inputs)}",
            hint="reshape or RepeatVector the lower-rank input first",
        )
    axis = cfg["axis"]
    if not -rank <= axis < rank:
        raise ShapeError(f"axis={axis} is out of range for {rank}-D inputs {_shapes(inputs)}")
    axis %= rank
    out: list[Dim] = []
    for i in range(rank):
        dims = [s[i] for s in inputs]
        if i == axis:
            out.append(None if any(d is None for d in dims) else sum(d for d in dims if d is not None))
            continue
        known = {d for d in dims if d is not None}
        if len(known) > 1 and i != 0:
            raise ShapeError(
                f"needs matching shapes except on the concatenation axis {cfg['axis']}, got {_shapes(inputs)}: "
                "Keras 3 raises \"A `Concatenate` layer requires inputs with matching shapes except for the "
                f"concatenation axis. Received: input_shape=[{_shapes(inputs)}]\"",
                hint="check the time axes (return_sequences) and the feature sizes of the inputs",
            )
        out.append(known.pop() if len(known) == 1 else None)
    return Built(outputs=(tuple(out),))


CONCATENATE = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="Concatenate",
    numpy="templates:merge_template",
    args=(Arg("axis", -1, _int),),
    infer=_concatenate,
    summary="joins inputs along axis (default last): (N,T,a) + (N,T,b) -> (N,T,a+b)",
    arity="many",
    category="merging",
)


def _broadcast(a: Dim, b: Dim, inputs: Sequence[Shape]) -> Dim:
    if a is None or b is None:
        return None
    if a == 1:
        return b
    if b == 1 or a == b:
        return a
    raise ShapeError(
        f"has inputs with incompatible shapes {_shapes(inputs)}",
        hint="elementwise merges need equal shapes (or 1 to broadcast); use Concatenate to join different sizes",
    )


def _elementwise(n_inputs: int | None) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        if n_inputs is not None and len(inputs) != n_inputs:
            raise ShapeError(f"takes exactly {n_inputs} inputs, got {len(inputs)}: {_shapes(inputs)}")
        if len(inputs) < 2:
            raise ShapeError(
                f"needs at least 2 inputs, got {len(inputs)}", hint="call it on a list: Add()([a, b])"
            )
        # Batch axes merge; the other axes broadcast from the right (numpy rules).
        batch = {s[0] for s in inputs if s and s[0] is not None}
        rest: tuple[Dim, ...] = inputs[0][1:]
        for shape in inputs[1:]:
            other = shape[1:]
            width = max(len(rest), len(other))
            left = (1,) * (width - len(rest)) + rest
            right = (1,) * (width - len(other)) + other
            rest = tuple(_broadcast(a, b, inputs) for a, b in zip(left, right))
        return Built(outputs=((batch.pop() if len(batch) == 1 else None, *rest),))

    return infer


def _elementwise_def(class_name: str, what: str, n_inputs: int | None = None) -> LayerDef:
    return LayerDef(
        macs=macs.ZERO_ELEMENTWISE,
        flops=flops.average if class_name == "Average" else flops.merge,
        class_name=class_name,
        numpy="templates:merge_template",
        args=(),
        infer=_elementwise(n_inputs),
        summary=f"{what} of its inputs, elementwise (shapes must match or broadcast)",
        arity="many",
        category="merging",
    )


ADD = _elementwise_def("Add", "sum")
SUBTRACT = _elementwise_def("Subtract", "difference a - b", 2)
MULTIPLY = _elementwise_def("Multiply", "product")
AVERAGE = _elementwise_def("Average", "mean")
MAXIMUM = _elementwise_def("Maximum", "maximum")
MINIMUM = _elementwise_def("Minimum", "minimum")


def _axes_check(value: Any) -> str | None:
    items = value if isinstance(value, (list, tuple)) else [value]
    if len(items) not in (1, 2) or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return "must be an axis or a pair of axes"
    return None


def _dot(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    if len(inputs) != 2:
        raise ShapeError(f"takes exactly 2 inputs, got {len(inputs)}: {_shapes(inputs)}")
    a, b = inputs
    axes = cfg["axes"]
    ax = tuple(axes) if isinstance(axes, (list, tuple)) else (axes, axes)
    if len(ax) == 1:
        ax = (ax[0], ax[0])
    ia, ib = (x % len(s) if x < 0 else x for x, s in zip(ax, (a, b)))
    for i, s in ((ia, a), (ib, b)):
        if not 0 < i < len(s):
            raise ShapeError(f"axes={shown(axes)} do not fit the input {format_shape(s)}")
    if a[ia] is not None and b[ib] is not None and a[ia] != b[ib]:
        raise ShapeError(
            f"multiplies axis {ia} of {format_shape(a)} ({a[ia]}) with axis {ib} of {format_shape(b)} ({b[ib]}); "
            "they must be equal",
            hint="choose axes of equal length",
        )
    left = [d for i, d in enumerate(a) if i != ia]
    right = [d for i, d in enumerate(b) if i != ib][1:]
    out = left + right
    if len(out) == 1:
        out.append(1)
    return Built(outputs=(tuple(out),))


DOT = LayerDef(
    macs=macs.dot,
    flops=flops.dot,
    class_name="Dot",
    no_numpy="the generator does not write Dot yet",
    args=(Arg("axes", REQUIRED, _axes_check), Arg("normalize", False, boolean)),
    infer=_dot,
    summary="dot product along the given axes: (N,T,D)·(N,S,D) with axes=2 -> (N,T,S)",
    arity="many",
    category="merging",
)
