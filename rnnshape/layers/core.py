"""InputLayer, Dense and Dropout."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import SpecError
from ..spec import LayerSpec, Shape
from ..text import shown
from . import flops, macs
from .base import (
    KERNEL_BIAS_ARGS,
    REQUIRED,
    Arg,
    Built,
    Context,
    Formula,
    LayerDef,
    Term,
    WeightSpec,
    activation,
    boolean,
    last_dim,
    need_rank,
    positive_int,
    rate,
)


def check_dim(value: Any) -> str | None:
    """One axis of a declared shape: a positive integer or None (dynamic)."""
    if value is None:
        return None
    problem = positive_int(value)
    return None if problem is None else f"dimension {shown(value)} {problem}"


def shape_value(value: Any, *, what: str) -> Shape:
    """Validate a declared shape (list/tuple of dims; a bare int means ``(int,)``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"{what} must be a list of dimensions, got {shown(value)}")
    if len(value) > 32:
        raise SpecError(f"{what} has {len(value)} axes; at most 32 are supported")
    for dim in value:
        problem = check_dim(dim)
        if problem:
            raise SpecError(f"{what}: {problem}")
    return tuple(value)


def _shape_check(value: Any) -> str | None:
    try:
        shape_value(value, what="shape")
    except SpecError as err:
        return err.message.removeprefix("shape").lstrip(": ") or "is not a shape"
    return None


def input_batch_shape(spec: LayerSpec) -> Shape:
    """The full batch shape an InputLayer declares (``batch_shape`` or ``shape`` + ``batch_size``)."""
    args = spec.args
    for key in ("batch_shape", "batch_input_shape"):
        if args.get(key) is not None:
            return shape_value(args[key], what=key)
    if args.get("shape") is not None:
        batch = args.get("batch_size")
        if batch is not None and check_dim(batch):
            raise SpecError(f"batch_size {check_dim(batch)}", pos=spec.pos, layer=spec.name)
        return (batch, *shape_value(args["shape"], what="shape"))
    raise SpecError(
        "the input layer has no shape",
        pos=spec.pos,
        layer=spec.name,
        hint="give shape=(T, D) or batch_shape=(B, T, D)",
    )


def _input_infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    raise AssertionError("input layers are resolved by the core, not inferred")  # pragma: no cover


INPUT_LAYER = LayerDef(
    macs=macs.ZERO_INPUT,
    flops=flops.ZERO_INPUT,
    class_name="InputLayer",
    no_numpy="the model input: forward(x) receives it",
    args=(
        Arg("shape", None, _shape_check),
        Arg("batch_size", None, check_dim),
        Arg("dtype", None),
        Arg("sparse", None),
        Arg("ragged", None),
        Arg("batch_shape", None, _shape_check),
        Arg("input_tensor", None),
        Arg("optional", False, boolean),
        # Keras 2's spelling; Keras 3 still accepts it silently.
        Arg("batch_input_shape", None, _shape_check),
    ),
    infer=_input_infer,
    summary="the model's input: declares (batch, *shape)",
    arity=0,
)


def _dense_infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    need_rank(x, (2,), at_least=True)
    d, k = last_dim(x), cfg["units"]
    rank = cfg["lora_rank"]
    # With LoRA the full kernel is frozen and two low-rank factors train instead.
    weights = [WeightSpec("kernel", (d, k), trainable=rank is None, axes=("{D}", "{K}"))]
    if cfg["use_bias"]:
        weights.append(WeightSpec("bias", (k,), axes=("{K}",)))
    terms = {"D": Term(d, "in"), "K": Term(k, "units")}
    template = "{K}({D}+1)" if cfg["use_bias"] else "{K}·{D}"
    if rank is not None:
        weights += [
            WeightSpec("lora_kernel_a", (d, rank), axes=("{D}", "{r}")),
            WeightSpec("lora_kernel_b", (rank, k), axes=("{r}", "{K}")),
        ]
        terms["r"] = Term(rank, "fixed", "r")
        template += " + {r}({D}+{K})"
    return Built(outputs=(x[:-1] + (k,),), weights=tuple(weights), formula=Formula(template, terms))


def _optional_positive(value: Any) -> str | None:
    return None if value is None else positive_int(value)


DENSE = LayerDef(
    macs=macs.dense,
    flops=flops.dense,
    class_name="Dense",
    numpy="templates:dense_template",
    args=(
        Arg("units", REQUIRED, positive_int),
        Arg("activation", None, activation),
        Arg("use_bias", True, boolean),
        *KERNEL_BIAS_ARGS,
        Arg("lora_rank", None, _optional_positive),
        Arg("lora_alpha", None),
        Arg("quantization_config", None),
    ),
    infer=_dense_infer,
    summary="y = x·W + b on the last axis (any rank >= 2: (N, T, D) -> (N, T, K))",
    formula_text="K(D+1); without bias K·D",
    units_symbol="K",
)


def _identity(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    return Built(outputs=(x,))


def _noise_shape(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) > 32:
        return "must be a list of dimensions"
    return next((p for p in map(check_dim, value) if p), None)


DROPOUT = LayerDef(
    macs=macs.ZERO_SHAPE,
    flops=flops.ZERO_INFERENCE,
    class_name="Dropout",
    shape_preserving=True, numpy="templates:identity_template",
    args=(Arg("rate", REQUIRED, rate), Arg("noise_shape", None, _noise_shape), Arg("seed", None)),
    infer=_identity,
    summary="randomly zeroes inputs while training; the identity at inference",
)

