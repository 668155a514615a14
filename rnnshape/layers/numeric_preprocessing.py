"""Preprocessing of numbers: Normalization (standardise with a mean and variance that
are either given or learned by ``adapt``) and CategoryEncoding (integer ids to
one_hot/multi_hot/count vectors of num_tokens)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .. import limits
from ..errors import ArgumentError, ShapeError
from ..spec import Shape
from . import flops, macs
from .base import Arg, Built, Context, Formula, LayerDef, Term, WeightSpec, boolean, format_shape, one_of, positive_int


def _axis_check(value: Any) -> str | None:
    if value is None:  # no axis kept: one mean and variance for everything
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return "must be an integer axis, a list of axes, or None"
    return None


def nested_shape(value: Any, depth: int = 0) -> tuple[int, ...] | None:
    """The shape of a number or of nested lists of numbers (as NumPy reads it), or None
    when the value is not such data."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    if not isinstance(value, (list, tuple)) or not value or depth > 32 or len(value) > limits.value(limits.DIM):
        return None
    inner = {nested_shape(v, depth + 1) for v in value}
    if len(inner) != 1 or None in inner:
        return None
    (shape,) = inner
    return None if shape is None else (len(value), *shape)


def _statistic_check(value: Any) -> str | None:
    return None if nested_shape(value) is not None else "must be a number or a (nested) list of numbers"


def _kept_axes(x: Shape, axis: Any) -> tuple[int, ...]:
    axes = () if axis is None else tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    rank = len(x)
    for a in axes:
        if not -rank <= a < rank:
            raise ShapeError(f"axis {a} is out of range for its {rank}-D input {format_shape(x)}")
    kept = tuple(sorted({a % rank for a in axes}))
    unknown = [a for a in kept if x[a] is None]
    if unknown:
        raise ShapeError(
            f"keeps a mean and variance per index of axis {unknown[0]}, which is unknown in its input {format_shape(x)}",
            hint="give that axis's size, or normalise over other axes (axis=...)",
        )
    return kept


def _check_given_statistics(cfg: Mapping[str, Any], kept: Sequence[int], x: Shape) -> None:
    mean, variance = cfg["mean"], cfg["variance"]
    if (mean is None) != (variance is None):
        raise ArgumentError("mean and variance must be given together", arg="variance" if mean is not None else "mean", kind="missing")
    if mean is None:
        return
    shape, other = nested_shape(mean), nested_shape(variance)
    if shape != other:
        raise ArgumentError(f"mean {shape} and variance {other} must have the same shape", arg="variance", kind="invalid")
    assert shape is not None
    if len(shape) > len(kept):
        raise ArgumentError(
            f"mean has rank {len(shape)}, more than the {len(kept)} axes kept (axis={cfg['axis']!r})", arg="mean", kind="invalid"
        )
    target = [x[a] for a in kept]
    for got, want in zip(reversed(shape), reversed(target)):
        if got not in (1, want):
            raise ShapeError(
                f"mean/variance of shape {shape} do not broadcast to the kept axes {tuple(target)} of {format_shape(x)}"
            )


def _normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    kept = _kept_axes(x, cfg["axis"])
    _check_given_statistics(cfg, kept, x)
    if cfg["mean"] is not None:
        return Built(outputs=(x,))  # given statistics are constants, not weights
    stats = tuple(d for a in kept if (d := x[a]) is not None)
    size = 1
    for d in stats:
        size *= d
    weights = (
        WeightSpec("mean", stats, trainable=False),
        WeightSpec("variance", stats, trainable=False),
        WeightSpec("count", (), trainable=False),
    )
    return Built(outputs=(x,), weights=weights, formula=Formula("2·{D} + 1", {"D": Term(size, "in")}))


NORMALIZATION = LayerDef(
    class_name="Normalization",
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.normalization,
    args=(
        Arg("axis", -1, _axis_check),
        Arg("mean", None, _statistic_check),
        Arg("variance", None, _statistic_check),
        Arg("invert", False, boolean),
    ),
    infer=_normalization,
    summary="(x - mean) / sqrt(variance) per feature; shape unchanged. Learned by adapt(): "
    "non-trainable mean, variance and count; given as mean=/variance=: no weights",
    formula_text="2D + 1 non-trainable (mean, variance per kept index, count); 0 with mean= and variance=",
    category="preprocessing",
    shape_preserving=True,
    numpy="elementwise:normalization_template",
)


def _category_encoding(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    depth = cfg["num_tokens"]
    if depth is None:
        raise ArgumentError(
            "CategoryEncoding needs num_tokens",
            arg="num_tokens",
            kind="missing",
            hint="the number of distinct ids; if it is not known beforehand, use IntegerLookup",
        )
    mode = "multi_hot" if cfg["output_mode"] == "binary" else cfg["output_mode"]
    if mode == "one_hot" and (x[-1] != 1 or len(x) == 1):
        return Built(outputs=((*x, depth),))
    return Built(outputs=((*x[:-1], depth),))


CATEGORY_ENCODING = LayerDef(
    class_name="CategoryEncoding",
    macs=macs.ZERO_ENCODING,
    flops=flops.ZERO_ENCODING,
    args=(
        Arg("num_tokens", None, positive_int),
        Arg("output_mode", "multi_hot", one_of("multi_hot", "one_hot", "count", "binary")),
        Arg("sparse", False, boolean),
    ),
    infer=_category_encoding,
    summary="integer ids -> vectors of num_tokens: multi_hot/count (N, T) -> (N, num_tokens); "
    "one_hot (N, T) -> (N, T, num_tokens), (N, 1) -> (N, num_tokens)",
    category="preprocessing",
    no_numpy="the generator does not write CategoryEncoding yet",
)
