"""Layers applied value by value, whose output shape is their input shape: the
activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), the noise layers active only
in training (GaussianNoise, GaussianDropout) and Identity. Only PReLU has a weight."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ArgumentError, ShapeError
from ..spec import Shape
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, Formula, LayerDef, Term, WeightSpec, format_shape, integer


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def non_negative(value: Any) -> str | None:
    """A number >= 0; Keras refuses None or a negative value for these slopes and limits."""
    return None if _number(value) and value >= 0 else "must be a number >= 0"


def _number_check(value: Any) -> str | None:
    return None if _number(value) else "must be a number"


def _unit_interval(value: Any) -> str | None:
    # GaussianNoise's stddev and GaussianDropout's rate: Keras wants 0 <= value <= 1.
    return None if _number(value) and 0 <= value <= 1 else "must be a number in [0, 1]"


def axis_or_axes(value: Any) -> str | None:
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return "must be an integer axis or a list of axes"
    return None


def check_axes_in_range(shape: Shape, axis: Any) -> None:
    """Every axis (negative ones count from the end) must exist in the input."""
    rank = len(shape)
    for a in axis if isinstance(axis, (list, tuple)) else [axis]:
        if not -rank <= a < rank:
            raise ShapeError(f"axis {a} is out of range for its {rank}-D input {format_shape(shape)}")


def _same_shape(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    return Built(outputs=(x,))


def _softmax(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    check_axes_in_range(x, cfg["axis"])
    return Built(outputs=(x,))


def _elementwise(
    class_name: str, args: tuple[Arg, ...], summary: str, numpy: str, category: str = "activation"
) -> LayerDef:
    return LayerDef(
        class_name=class_name,
        macs=macs.ZERO_ELEMENTWISE,
        flops=flops.ZERO_INFERENCE if category == "regularization" or class_name == "Identity" else flops.activation_unit,
        args=args,
        infer=_same_shape,
        summary=summary,
        category=category,
        shape_preserving=True,
        numpy=numpy,
    )


RELU = _elementwise(
    "ReLU",
    (Arg("max_value", None, non_negative), Arg("negative_slope", 0.0, non_negative), Arg("threshold", 0.0, non_negative)),
    "max(x, 0) with optional cap, leak and threshold; shape unchanged",
    "elementwise:relu_template",
)
LEAKY_RELU = _elementwise(
    "LeakyReLU",
    (
        Arg("negative_slope", 0.3, non_negative),
        # The Keras 2 name, still popped (with a deprecation warning) as negative_slope.
        Arg("alpha", None, non_negative),
    ),
    "x if x > 0 else negative_slope·x; shape unchanged",
    "elementwise:leaky_relu_template",
)
ELU = _elementwise("ELU", (Arg("alpha", 1.0, _number_check),), "x if x > 0 else alpha·(exp(x)-1); shape unchanged",
    "elementwise:elu_template",
)
SOFTMAX = LayerDef(
    class_name="Softmax",
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.softmax_layer,
    args=(Arg("axis", -1, axis_or_axes),),
    infer=_softmax,
    summary="softmax over axis (default last); shape unchanged",
    category="activation",
    shape_preserving=True,
    numpy="elementwise:softmax_template",
)
GAUSSIAN_NOISE = _elementwise(
    "GaussianNoise",
    (Arg("stddev", REQUIRED, _unit_interval), Arg("seed", None, integer)),
    "adds N(0, stddev²) noise in training only; shape unchanged",
    "elementwise:inference_identity_template",
    "regularization",
)
GAUSSIAN_DROPOUT = _elementwise(
    "GaussianDropout",
    (Arg("rate", REQUIRED, _unit_interval), Arg("seed", None, integer)),
    "multiplies by N(1, rate/(1-rate)) noise in training only; shape unchanged",
    "elementwise:inference_identity_template",
    "regularization",
)
IDENTITY = _elementwise("Identity", (), "returns its input unchanged", "elementwise:inference_identity_template", "core")


def _shared_axes_check(value: Any) -> str | None:
    items = value if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return "must be an axis or a list of axes"
    return None


def _prelu(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    shared = cfg["shared_axes"]
    shared = [] if shared is None else list(shared) if isinstance(shared, (list, tuple)) else [shared]
    for axis in shared:
        if not 1 <= axis < len(x):
            raise ArgumentError(
                f"shared_axes={cfg['shared_axes']!r}: axis {axis} is not an axis of its input {format_shape(x)} "
                "(counted from 1, the batch axis 0 excluded)",
                arg="shared_axes",
                kind="invalid",
            )
    # One alpha per value of a sample, except along the shared axes (size 1 there).
    alpha = tuple(1 if i in shared else d for i, d in enumerate(x) if i > 0)
    if any(d is None for d in alpha):
        raise ShapeError(
            f"alpha is built on every axis of its input {format_shape(x)} that is not shared, "
            "and one of them is unknown (None)",
            hint="give that axis's size, or list it in shared_axes (e.g. shared_axes=[1] for time)",
        )
    known = tuple(d for d in alpha if d is not None)
    return Built(outputs=(x,), weights=(WeightSpec("alpha", known),), formula=_prelu_formula(known, shared))


def _prelu_formula(alpha: tuple[int, ...], shared: Sequence[int]) -> Formula:
    """The product of the unshared axes: T·D on (N, T, D), D with shared_axes=[1]."""
    terms: dict[str, Term] = {}
    for axis, size in enumerate(alpha, start=1):
        if axis in shared:
            continue
        if axis == len(alpha):
            terms["D"] = Term(size, "in")
        else:
            terms[f"a{axis}"] = Term(size, "fixed", "T" if axis == 1 else f"S{axis}")
    if not terms:
        return Formula("1", {})
    return Formula("·".join(f"{{{k}}}" for k in terms), terms)


PRELU = LayerDef(
    class_name="PReLU",
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.activation_unit,
    args=(
        Arg("alpha_initializer", "Zeros"),
        Arg("alpha_regularizer", None),
        Arg("alpha_constraint", None),
        Arg("shared_axes", None, _shared_axes_check),
    ),
    infer=_prelu,
    summary="x if x > 0 else alpha·x with a learned alpha per value; shape unchanged",
    formula_text="one alpha per value of a sample, shared along shared_axes: (N, T, D) -> T·D, shared_axes=[1] -> D",
    category="activation",
    shape_preserving=True,
    numpy="elementwise:prelu_template",
)

ELEMENTWISE = (RELU, LEAKY_RELU, PRELU, ELU, SOFTMAX, GAUSSIAN_NOISE, GAUSSIAN_DROPOUT, IDENTITY)
