"""Shape-only layers: Flatten, Reshape, RepeatVector, Permute, and the identities
SpatialDropout1D and Activation. None of them has weights."""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from ..errors import RankError, ShapeError
from ..spec import Shape
from ..text import shown
from .. import limits
from . import flops, macs
from .base import Arg, Built, Context, LayerDef, REQUIRED, activation, format_shape, integer, need_rank, rate
from .conv import data_format


def _flatten(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    rest = x[1:]
    # Any unknown axis makes the flattened size unknown (Keras: (N, None)).
    size = None if any(d is None for d in rest) else math.prod(d for d in rest if d is not None)
    return Built(outputs=((x[0], size),))


FLATTEN = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="Flatten",
    numpy="templates:flatten_template",
    args=(Arg("data_format", None, data_format),),
    infer=_flatten,
    summary="(N, T, D) -> (N, T·D); unknown T gives (N, None)",
    category="reshaping",
)


def _target_check(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (list, tuple)) or len(value) > 32:
        return "must be a list of dimensions"
    if sum(1 for v in value if v == -1) > 1:
        return "may contain -1 only once"
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int) or (v <= 0 and v != -1) or v > limits.value(limits.DIM):
            return f"has an invalid dimension {shown(v)} (positive integers, one -1 allowed)"
    return None


def _reshape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    target = cfg["target_shape"]
    target = (target,) if isinstance(target, int) else tuple(target)
    rest = x[1:]
    known = None if any(d is None for d in rest) else math.prod(d for d in rest if d is not None)
    fixed = math.prod(t for t in target if t != -1)
    if -1 in target:
        if known is None:
            out = tuple(None if t == -1 else t for t in target)
        elif known % fixed:
            raise ShapeError(
                f"cannot reshape {format_shape(x)} to {target}: {known} values do not divide into "
                f"groups of {fixed}",
                hint="the product of the known target dimensions must divide the input size",
            )
        else:
            out = tuple(known // fixed if t == -1 else t for t in target)
    else:
        if known is not None and known != fixed:
            raise ShapeError(
                f"cannot reshape {format_shape(x)} ({known} values per sample) to {target} ({fixed} values)",
                hint="the total size must be unchanged; use -1 for the axis to infer",
            )
        out = target
    return Built(outputs=((x[0], *out),))


RESHAPE = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="Reshape",
    numpy="templates:reshape_template",
    args=(Arg("target_shape", REQUIRED, _target_check),),
    infer=_reshape,
    summary="(N, *S) -> (N, *target_shape); one -1 is inferred",
    category="reshaping",
)


def _repeat(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    try:
        need_rank(x, (2,))
    except RankError as err:
        hint = (
            "RepeatVector repeats one vector per sample: end the layer before with "
            "return_sequences=False, or add GlobalAveragePooling1D / Flatten first"
        )
        raise err.amended(hint=hint).with_traceback(err.__traceback__) from None
    return Built(outputs=((x[0], cfg["n"], x[1]),))


def _positive(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > limits.value(limits.DIM):
        return "must be a positive integer"
    return None


REPEAT_VECTOR = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="RepeatVector",
    numpy="templates:repeat_vector_template",
    args=(Arg("n", REQUIRED, _positive),),
    infer=_repeat,
    summary="(N, D) -> (N, n, D): feeds one vector to every step of a decoder",
    category="reshaping",
)


def _dims_check(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)) or not value or len(value) > 32:
        return "must be a list of axis numbers such as (2, 1)"
    if sorted(value) != list(range(1, len(value) + 1)):
        return f"must be a permutation of 1..{len(value)} (axis 0 is the batch); got {tuple(value)}"
    return None


def _permute(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    dims = tuple(cfg["dims"])
    need_rank(x, (len(dims) + 1,))
    return Built(outputs=((x[0], *(x[d] for d in dims)),))


PERMUTE = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_SHAPE,
    class_name="Permute",
    numpy="templates:permute_template",
    args=(Arg("dims", REQUIRED, _dims_check),),
    infer=_permute,
    summary="reorders the non-batch axes, 1-based: Permute((2, 1)) turns (N, T, D) into (N, D, T)",
    category="reshaping",
)


def _spatial_dropout(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (3,))
    return Built(outputs=(x,))



SPATIAL_DROPOUT1D = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_INFERENCE,
    class_name="SpatialDropout1D",
    shape_preserving=True, numpy="templates:identity_template",
    args=(Arg("rate", REQUIRED, rate), Arg("seed", None, integer)),
    infer=_spatial_dropout,
    summary="drops whole feature channels for all timesteps while training; identity shape",
    category="regularization",
)


def _identity(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    return Built(outputs=(x,))


def _required_activation(value: Any) -> str | None:
    return "is required" if value is None else activation(value)


ACTIVATION = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.activation_layer,
    class_name="Activation",
    shape_preserving=True, numpy="templates:activation_template",
    args=(Arg("activation", REQUIRED, _required_activation),),
    infer=_identity,
    summary="applies an activation function elementwise; identity shape",
    category="core",
)
