"""LayerNormalization and BatchNormalization: per-feature scale and offset.

BatchNormalization also keeps ``moving_mean`` and ``moving_variance``: they are
weights (counted in ``count_params()``) but non-trainable, so ``BatchNormalization()``
on D features reports 4D parameters, 2D of them non-trainable.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ArgumentError, ShapeError
from ..spec import Shape
from . import flops, macs
from .base import Arg, Built, Context, Formula, LayerDef, Term, WeightSpec, boolean, format_shape


def _axis_check(value: Any) -> str | None:
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return "must be an integer axis or a list of axes"
    return None


def _int_axis(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer axis"


def _axes(shape: Shape, axis: Any) -> list[int]:
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    rank = len(shape)
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ShapeError(f"axis {a} is out of range for its {rank}-D input {format_shape(shape)}")
        out.append(a % rank)
    if 0 in out:
        raise ArgumentError("cannot normalise over the batch axis (axis 0)", arg="axis", kind="invalid")
    return sorted(set(out))


def _param_shape(shape: Shape, axes: list[int]) -> tuple[int, ...]:
    dims = tuple(shape[a] for a in axes)
    if any(d is None for d in dims):
        raise ShapeError(
            f"normalises over axes {axes} of {format_shape(shape)}, but they must be known",
            hint="give the input's feature size explicitly",
        )
    return tuple(d for d in dims if d is not None)


def _layer_norm(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    shape = _param_shape(x, _axes(x, cfg["axis"]))
    weights = scale_shift(cfg, shape)
    return Built(outputs=(x,), weights=tuple(weights), formula=_per_feature(len(weights), shape))


def scale_shift(cfg: Mapping[str, Any], shape: tuple[int, ...]) -> list[WeightSpec]:
    """gamma (scale) then beta (center), in Keras's weight order, each as its flag says."""
    names = (["gamma"] if cfg["scale"] else []) + (["beta"] if cfg["center"] else [])
    return [WeightSpec(name, shape) for name in names]


def _per_feature(count: int, shape: tuple[int, ...]) -> Formula | None:
    size = 1
    for d in shape:
        size *= d
    if count == 0:
        return None
    lead = "" if count == 1 else f"{count}·"
    return Formula(f"{lead}{{D}}", {"D": Term(size, "in")})


# The optional gamma (scale) and beta (shift) of the per-sample normalizations, as Keras declares them.
SCALE_SHIFT_ARGS = (
        Arg("center", True, boolean),
        Arg("scale", True, boolean),
        Arg("beta_initializer", "zeros"),
        Arg("gamma_initializer", "ones"),
        Arg("beta_regularizer", None),
        Arg("gamma_regularizer", None),
        Arg("beta_constraint", None),
        Arg("gamma_constraint", None),
)


LAYER_NORMALIZATION = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.layer_normalization,
    class_name="LayerNormalization",
    shape_preserving=True, numpy="feature:layer_norm_template",
    args=(
        Arg("axis", -1, _axis_check),
        Arg("epsilon", 1e-3),
        *SCALE_SHIFT_ARGS,
        # Deprecated in Keras 3 (popped from **kwargs with a warning); no effect on weights.
        Arg("rms_scaling", False, boolean),
    ),
    infer=_layer_norm,
    summary="normalises each sample over its features, then scales (gamma) and shifts (beta)",
    formula_text="2D (gamma, beta); D with only one of center/scale",
    category="normalization",
)


def _batch_norm(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    shape = _param_shape(x, _axes(x, cfg["axis"]))
    weights = scale_shift(cfg, shape)
    stats = ["moving_mean", "moving_variance"]
    if cfg["renorm"]:
        stats += ["moving_stddev", "renorm_mean", "renorm_stddev"]
    weights += [WeightSpec(name, shape, trainable=False) for name in stats]
    trainable = len(weights) - len(stats)
    size = shape[0]
    template = (f"{trainable}·{{D}} + " if trainable else "") + f"{len(stats)}·{{D}}"
    return Built(outputs=(x,), weights=tuple(weights), formula=Formula(template, {"D": Term(size, "in")}))


BATCH_NORMALIZATION = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.batch_normalization,
    class_name="BatchNormalization",
    shape_preserving=True, numpy="feature:batch_norm_template",
    args=(
        Arg("axis", -1, _int_axis),
        Arg("momentum", 0.99),
        Arg("epsilon", 1e-3),
        Arg("center", True, boolean),
        Arg("scale", True, boolean),
        Arg("beta_initializer", "zeros"),
        Arg("gamma_initializer", "ones"),
        Arg("moving_mean_initializer", "zeros"),
        Arg("moving_variance_initializer", "ones"),
        Arg("beta_regularizer", None),
        Arg("gamma_regularizer", None),
        Arg("beta_constraint", None),
        Arg("gamma_constraint", None),
        Arg("renorm", False, boolean),
        Arg("renorm_clipping", None),
        Arg("renorm_momentum", 0.99),
        Arg("synchronized", False, boolean),
    ),
    infer=_batch_norm,
    summary="normalises each feature over the batch; keeps moving mean/variance (non-trainable)",
    formula_text="2D trainable (gamma, beta) + 2D non-trainable (moving_mean, moving_variance)",
    category="normalization",
)
