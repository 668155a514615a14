"""Graph operations Keras 3 records in Functional models when a mask is consumed.

``Embedding(mask_zero=True)`` and ``Masking`` make their masks with ``NotEqual`` (and
``Any``); some layers convert a mask with ``ConvertToTensor``. They are not layers, but
they are entries in ``to_json()`` and rows in ``model.summary()`` (0 params), so the
core treats them like weightless layers with their real output shapes.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from ..text import shown
from . import flops, macs
from .base import Arg, Built, Context, LayerDef, format_shape


def broadcast(shapes: Sequence[Shape]) -> Shape:
    """NumPy broadcasting of several shapes (None broadcasts with anything)."""
    rank = max((len(s) for s in shapes), default=0)
    out: list[int | None] = []
    for axis in range(-rank, 0):
        dims = [s[axis] for s in shapes if len(s) >= -axis]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            shown = ", ".join(format_shape(s) for s in shapes)
            raise ShapeError(f"cannot broadcast the shapes {shown}")
        if known:
            out.append(known.pop())
        elif None in dims:
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def _elementwise(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    # Literal operands (the 0 of ``x != 0``) are scalars and broadcast away.
    return Built(outputs=(broadcast(inputs),))


def _reduce_any(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    axis = cfg.get("axis")
    if axis is None:
        axes = set(range(len(x)))
    else:
        listed = axis if isinstance(axis, (list, tuple)) else [axis]
        axes = set()
        for a in listed:
            if isinstance(a, bool) or not isinstance(a, int) or not -len(x) <= a < len(x):
                raise ShapeError(f"axis {shown(a)} is out of range for an input of rank {len(x)}")
            axes.add(a % len(x))
    if cfg.get("keepdims"):
        return Built(outputs=(tuple(1 if i in axes else d for i, d in enumerate(x)),))
    return Built(outputs=(tuple(d for i, d in enumerate(x) if i not in axes),))


def _identity(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    return Built(outputs=(inputs[0],))


_OP_ARGS = (Arg("sparse", None), Arg("ragged", None))
# Why these rows have no NumPy template of their own.
MASK_OP = "a mask operation: the generator derives masks from the layer that makes them, not from these rows"

NOT_EQUAL = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.ZERO_MASK,
    class_name="NotEqual",
    output_dtype="bool",
    no_numpy=MASK_OP,
    args=_OP_ARGS,
    infer=_elementwise,
    summary="mask operation x != value (recorded by Keras 3 for Embedding(mask_zero)/Masking); 0 params",
    arity="many",
    category="op",
)

ANY = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.ZERO_MASK,
    class_name="Any",
    output_dtype="bool",
    no_numpy=MASK_OP,
    args=(Arg("axis", None), Arg("keepdims", False), *_OP_ARGS),
    infer=_reduce_any,
    summary="mask operation any(x, axis) (recorded by Keras 3 for Masking); 0 params",
    category="op",
)

CONVERT_TO_TENSOR = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="ConvertToTensor",
    output_dtype="input",
    no_numpy=MASK_OP,
    args=_OP_ARGS,
    infer=_identity,
    summary="mask operation convert_to_tensor(x) (recorded by Keras 3 for some mask consumers); 0 params",
    category="op",
)

OPS = (NOT_EQUAL, ANY, CONVERT_TO_TENSOR)
