"""Embedding and Masking: the layers that usually start a sequence model."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, Formula, LayerDef, Term, WeightSpec, boolean, format_shape, positive_int


def _optional_positive(value: Any) -> str | None:
    return None if value is None else positive_int(value)


def _embedding(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    if len(x) < 1:
        raise ShapeError(f"expects integer token ids with a batch axis, got {format_shape(x)}")
    v, e, rank = cfg["input_dim"], cfg["output_dim"], cfg["lora_rank"]
    # With LoRA the table is frozen and two low-rank factors train instead.
    weights = [WeightSpec("embeddings", (v, e), trainable=rank is None)]
    terms = {"V": Term(v, "fixed", "V"), "E": Term(e, "units")}
    template = "{V}·{E}"
    if rank is not None:
        weights += [WeightSpec("lora_embeddings_a", (v, rank)), WeightSpec("lora_embeddings_b", (rank, e))]
        terms["r"] = Term(rank, "fixed", "r")
        template += " + {r}({V}+{E})"
    return Built(outputs=((*x, e),), weights=tuple(weights), formula=Formula(template, terms))


EMBEDDING = LayerDef(
    macs=macs.ZERO_LOOKUP,
    flops=flops.ZERO_LOOKUP,
    class_name="Embedding",
    numpy="templates:embedding_template",
    args=(
        Arg("input_dim", REQUIRED, positive_int),
        Arg("output_dim", REQUIRED, positive_int),
        Arg("embeddings_initializer", "uniform"),
        Arg("embeddings_regularizer", None),
        Arg("embeddings_constraint", None),
        Arg("mask_zero", False, boolean),
        Arg("weights", None),
        Arg("lora_rank", None, _optional_positive),
        Arg("lora_alpha", None),
        Arg("quantization_config", None),
        # Deprecated: Keras 3 pops it with a warning ("Just remove it") and ignores it.
        Arg("input_length", None, _optional_positive),
    ),
    infer=_embedding,
    summary="looks up a vector per token id: (N, T) -> (N, T, E); mask_zero=True masks id 0",
    formula_text="V·E (vocabulary × embedding size)",
    units_symbol="E",
    category="embedding",
)


def _number(value: Any) -> str | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return None if ok else "must be a number"


def _identity(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    return Built(outputs=(x,))


MASKING = LayerDef(
    macs=macs.ZERO_ELEMENTWISE,
    flops=flops.ZERO_MASK,
    class_name="Masking",
    shape_preserving=True, numpy="templates:masking_template",
    args=(Arg("mask_value", 0.0, _number),),
    infer=_identity,
    summary="masks timesteps whose features all equal mask_value; shape unchanged",
    category="embedding",
)
