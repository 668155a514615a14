"""Layers that lengthen or shorten the time axis of (N, T, D) without weights:
ZeroPadding1D, Cropping1D and UpSampling1D. An unknown length stays unknown."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .. import limits
from ..errors import ShapeError
from ..spec import Shape
from . import flops, macs
from .base import Arg, Built, Context, LayerDef, format_shape, need_rank, positive_int
from .conv import channels_first, data_format


def _pair_check(value: Any) -> str | None:
    """An int or two ints, each >= 0 (Keras's ``standardize_tuple(..., allow_zero=True)``)."""
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if isinstance(value, (list, tuple)) and len(items) != 2:
        return "must be an integer or a pair of integers"
    for v in items:
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            return "must be non-negative integers"
        if v > limits.value(limits.DIM):
            return f"is absurdly large (limit {limits.value(limits.DIM):,}; set {limits.DIM.env} to raise it)"
    return None


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def _zero_padding(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    before, after = _pair(cfg["padding"])
    axis = 2 if channels_first(cfg) else 1
    out = list(x)
    length = x[axis]
    if length is not None:
        out[axis] = length + before + after
    return Built(outputs=(tuple(out),))


ZERO_PADDING1D = LayerDef(
    class_name="ZeroPadding1D",
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    args=(Arg("padding", 1, _pair_check), Arg("data_format", None, data_format)),
    infer=_zero_padding,
    summary="zeros added before and after the time axis: (N, T, D) -> (N, T+a+b, D)",
    category="reshaping",
    numpy="elementwise:zero_padding1d_template",
)


def _cropping(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    start, end = _pair(cfg["cropping"])
    length = x[1]
    if length is not None:
        length -= start + end
        if length <= 0:
            raise ShapeError(
                f"cropping=({start}, {end}) removes all {x[1]} timesteps of its input {format_shape(x)}",
                hint="the cropping must be smaller than the input length",
            )
    return Built(outputs=((x[0], length, x[2]),))


CROPPING1D = LayerDef(
    class_name="Cropping1D",
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    args=(Arg("cropping", (1, 1), _pair_check),),
    infer=_cropping,
    summary="drops steps from the start and end of the time axis: (N, T, D) -> (N, T-a-b, D)",
    category="reshaping",
    numpy="elementwise:cropping1d_template",
)


def _up_sampling(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    length = None if x[1] is None else x[1] * cfg["size"]
    return Built(outputs=((x[0], length, x[2]),))


UP_SAMPLING1D = LayerDef(
    class_name="UpSampling1D",
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    args=(Arg("size", 2, positive_int),),
    infer=_up_sampling,
    summary="repeats each timestep size times: (N, T, D) -> (N, size·T, D)",
    category="reshaping",
    numpy="elementwise:up_sampling1d_template",
)
