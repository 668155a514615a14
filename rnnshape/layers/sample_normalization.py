"""Normalisations computed within each sample: GroupNormalization (mean and variance
per group of channels, then gamma/beta per channel) and UnitNormalization (divide by
the L2 norm, no weights)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from . import flops, macs
from .base import Arg, Built, Context, Formula, LayerDef, Term, boolean, format_shape
from .elementwise import axis_or_axes, check_axes_in_range
from .normalization import SCALE_SHIFT_ARGS, scale_shift


def _groups_check(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or (value <= 0 and value != -1):
        return "must be a positive integer (or -1 for instance normalization)"
    return None


def _int_axis(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer axis"


def _group_norm(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    check_axes_in_range(x, cfg["axis"])
    channels = x[cfg["axis"]]
    if channels is None:
        raise ShapeError(
            f"axis {cfg['axis']} of its input {format_shape(x)} is unknown (None), but gamma and beta are built on it",
            hint="give the input's feature size explicitly",
        )
    groups = channels if cfg["groups"] == -1 else cfg["groups"]
    if channels < groups:
        raise ShapeError(
            f"groups={groups} is more than the {channels} channels of its input {format_shape(x)}",
            hint="pass groups= no larger than the channel count (the default is 32)",
        )
    if channels % groups:
        raise ShapeError(
            f"groups={groups} does not divide the {channels} channels of its input {format_shape(x)}",
            hint="pick groups as a divisor of the channel count",
        )
    weights = scale_shift(cfg, (channels,))
    formula = None
    if weights:
        lead = "" if len(weights) == 1 else f"{len(weights)}·"
        formula = Formula(f"{lead}{{C}}", {"C": Term(channels, "in")})
    return Built(outputs=(x,), weights=tuple(weights), formula=formula)


GROUP_NORMALIZATION = LayerDef(
    class_name="GroupNormalization",
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.group_normalization,
    args=(
        Arg("groups", 32, _groups_check),
        Arg("axis", -1, _int_axis),
        Arg("epsilon", 1e-3),
        *SCALE_SHIFT_ARGS,
    ),
    infer=_group_norm,
    summary="normalises each sample over groups of channels, then scales (gamma) and shifts (beta) per channel",
    formula_text="2C (gamma, beta) on the C channels of axis; C with only one of center/scale",
    category="normalization",
    shape_preserving=True,
    no_numpy="the generator does not write GroupNormalization yet",
)


def _unit_norm(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    check_axes_in_range(x, cfg["axis"])
    return Built(outputs=(x,))


UNIT_NORMALIZATION = LayerDef(
    class_name="UnitNormalization",
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.unit_normalization,
    args=(Arg("axis", -1, axis_or_axes),),
    infer=_unit_norm,
    summary="divides each sample by its L2 norm over axis; shape unchanged, no weights",
    category="normalization",
    shape_preserving=True,
    numpy="elementwise:unit_normalization_template",
)
