"""1-D pooling over time and global pooling (channels_last unless data_format says otherwise)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from . import macs
from .base import REQUIRED, Arg, Built, Context, LayerDef, boolean, format_shape, need_rank, one_of
from .conv import channels_first, data_format, int_tuple, int_tuple_check


def _optional_stride(value: Any) -> str | None:
    return None if value is None else int_tuple_check(1)(value)


def _pool(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    (p,) = int_tuple(cfg["pool_size"], 1)
    (s,) = int_tuple(cfg["strides"] if cfg["strides"] is not None else p, 1)
    first = channels_first(cfg)
    length = x[2] if first else x[1]
    if length is None:
        out_len = None
    elif cfg["padding"] == "valid":
        out_len = (length - p) // s + 1
    else:
        out_len = (length - 1) // s + 1
    if out_len is not None and out_len <= 0:
        raise ShapeError(
            f"pool_size={p} is longer than the time axis of its input {format_shape(x)}",
            hint="use padding='same' or a smaller pool_size",
        )
    out: Shape = (x[0], x[1], out_len) if first else (x[0], out_len, x[2])
    return Built(outputs=(out,))


def _pool_def(class_name: str, pool_default: Any, what: str) -> LayerDef:
    return LayerDef(
        macs=macs.ZERO_POOL,
        class_name=class_name,
        numpy="templates:pooling_template",
        args=(
            Arg("pool_size", pool_default, int_tuple_check(1)),
            Arg("strides", None, _optional_stride),
            Arg("padding", "valid", one_of("valid", "same")),
            Arg("data_format", None, data_format),
        ),
        infer=_pool,
        summary=f"{what} over windows of pool_size steps: (N, T, D) -> (N, T', D), "
        "T' = floor((T-p)/s)+1 (valid) or ceil(T/s) (same)",
        category="pooling",
    )


MAX_POOLING1D = _pool_def("MaxPooling1D", 2, "maximum")
# Keras 3 gives AveragePooling1D no default pool_size (MaxPooling1D has 2).
AVERAGE_POOLING1D = _pool_def("AveragePooling1D", REQUIRED, "mean")


def _global_pool(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    first = channels_first(cfg)
    channels = x[1] if first else x[2]
    if cfg["keepdims"]:
        out: Shape = (x[0], channels, 1) if first else (x[0], 1, channels)
    else:
        out = (x[0], channels)
    return Built(outputs=(out,))


def _global_def(class_name: str, what: str) -> LayerDef:
    return LayerDef(
        macs=macs.ZERO_POOL,
        class_name=class_name,
        numpy="templates:global_pooling_template",
        args=(Arg("data_format", None, data_format), Arg("keepdims", False, boolean)),
        infer=_global_pool,
        summary=f"{what} over all timesteps: (N, T, D) -> (N, D), or (N, 1, D) with keepdims",
        category="pooling",
    )


GLOBAL_AVERAGE_POOLING1D = _global_def("GlobalAveragePooling1D", "mean")
GLOBAL_MAX_POOLING1D = _global_def("GlobalMaxPooling1D", "maximum")
