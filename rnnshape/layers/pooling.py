"""Pooling over 1, 2 or 3 spatial axes, and global pooling (channels_last unless
data_format says otherwise)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Dim, Shape
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, Infer, LayerDef, boolean, format_shape, need_rank, one_of
from .conv import channels_first, data_format, int_tuple, int_tuple_check


def _optional_stride(n: int) -> Any:
    def check(value: Any) -> str | None:
        return None if value is None else int_tuple_check(n)(value)

    return check


def _pooled(length: Dim, p: int, s: int, padding: str) -> Dim:
    if length is None:
        return None
    if padding == "valid":
        return (length - p) // s + 1
    return (length - 1) // s + 1


def _pool(n: int) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        need_rank(x, (n + 2,))
        pools = int_tuple(cfg["pool_size"], n)
        strides = int_tuple(cfg["strides"] if cfg["strides"] is not None else cfg["pool_size"], n)
        first = channels_first(cfg)
        spatial = x[2:] if first else x[1:-1]
        out = tuple(_pooled(length, p, s, cfg["padding"]) for length, p, s in zip(spatial, pools, strides))
        if any(o is not None and o <= 0 for o in out):
            size = pools[0] if n == 1 else pools
            axis = "time axis" if n == 1 else "spatial axes"
            raise ShapeError(
                f"pool_size={size} is longer than the {axis} of its input {format_shape(x)}",
                hint="use padding='same' or a smaller pool_size",
            )
        shape: Shape = (x[0], x[1], *out) if first else (x[0], *out, x[-1])
        return Built(outputs=(shape,))

    return infer


# The generator writes pooling over the time axis only.
_NO_POOL_NUMPY = "the generator writes only 1-D pooling; 2-D/3-D pooling is not written yet"

_POOL_SHAPES = {1: ("(N, T, D)", "(N, T', D)"), 2: ("(N, H, W, C)", "(N, H', W', C)"), 3: ("(N, D1, D2, D3, C)", "(N, D1', D2', D3', C)")}


def _pool_def(kind: str, n: int) -> LayerDef:
    # Keras 3 gives AveragePooling no default pool_size (MaxPooling has 2 per axis).
    default: Any = REQUIRED if kind == "Average" else (2 if n == 1 else (2,) * n)
    what = "maximum" if kind == "Max" else "mean"
    steps = "pool_size steps" if n == 1 else "pool_size windows"
    size = "T' = floor((T-p)/s)+1 (valid) or ceil(T/s) (same)" if n == 1 else "each axis as in 1-D pooling"
    src, dst = _POOL_SHAPES[n]
    return LayerDef(
        class_name=f"{kind}Pooling{n}D",
        macs=macs.ZERO_POOL,
        flops=flops.max_pooling if kind == "Max" else flops.average_pooling,
        numpy="templates:pooling_template" if n == 1 else None,
        no_numpy=None if n == 1 else _NO_POOL_NUMPY,
        args=(
            Arg("pool_size", default, int_tuple_check(n)),
            Arg("strides", None, _optional_stride(n)),
            Arg("padding", "valid", one_of("valid", "same")),
            Arg("data_format", None, data_format),
        ),
        infer=_pool(n),
        summary=f"{what} over windows of {steps}: {src} -> {dst}, {size}",
        category="pooling",
    )


MAX_POOLING1D = _pool_def("Max", 1)
AVERAGE_POOLING1D = _pool_def("Average", 1)
MAX_POOLING2D = _pool_def("Max", 2)
AVERAGE_POOLING2D = _pool_def("Average", 2)
MAX_POOLING3D = _pool_def("Max", 3)
AVERAGE_POOLING3D = _pool_def("Average", 3)


def _global_pool(n: int) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        need_rank(x, (n + 2,))
        first = channels_first(cfg)
        channels = x[1] if first else x[-1]
        if cfg["keepdims"]:
            ones = (1,) * n
            out: Shape = (x[0], channels, *ones) if first else (x[0], *ones, channels)
        else:
            out = (x[0], channels)
        return Built(outputs=(out,))

    return infer


def _global_def(kind: str, n: int) -> LayerDef:
    what = "mean" if kind == "Average" else "maximum"
    if n == 1:
        summary = f"{what} over all timesteps: (N, T, D) -> (N, D), or (N, 1, D) with keepdims"
    else:
        ones = ", ".join(["1"] * n)
        summary = f"{what} over all {n} spatial axes: {_POOL_SHAPES[n][0]} -> (N, C), or (N, {ones}, C) with keepdims"
    return LayerDef(
        class_name=f"Global{kind}Pooling{n}D",
        macs=macs.ZERO_POOL,
        flops=flops.global_max_pooling if kind == "Max" else flops.global_average_pooling,
        numpy="templates:global_pooling_template" if n == 1 else None,
        no_numpy=None if n == 1 else _NO_POOL_NUMPY,
        args=(Arg("data_format", None, data_format), Arg("keepdims", False, boolean)),
        infer=_global_pool(n),
        summary=summary,
        category="pooling",
    )


GLOBAL_AVERAGE_POOLING1D = _global_def("Average", 1)
GLOBAL_MAX_POOLING1D = _global_def("Max", 1)
GLOBAL_AVERAGE_POOLING2D = _global_def("Average", 2)
GLOBAL_MAX_POOLING2D = _global_def("Max", 2)
GLOBAL_AVERAGE_POOLING3D = _global_def("Average", 3)
GLOBAL_MAX_POOLING3D = _global_def("Max", 3)
