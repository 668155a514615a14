"""Attention layers.

``Attention`` and ``AdditiveAttention`` are called on a list ``[query, value]`` or
``[query, value, key]``; ``MultiHeadAttention`` on separate tensors
``mha(query, value)`` or ``mha(query, value, key)``. Either way the entry receives
the input shapes in that order: query, value, then key (which defaults to value).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from . import flops, macs
from .base import (
    KERNEL_BIAS_ARGS,
    Arg,
    Built,
    Context,
    Formula,
    LayerDef,
    REQUIRED,
    Term,
    WeightSpec,
    boolean,
    format_shape,
    integer,
    last_dim,
    need_rank,
    one_of,
    positive_int,
    rate,
)



def _qvk(inputs: Sequence[Shape], layer: str, how: str) -> tuple[Shape, Shape, Shape]:
    if len(inputs) not in (2, 3):
        got = ", ".join(format_shape(s) for s in inputs)
        raise ShapeError(
            f"needs a query and a value (and optionally a key), got {len(inputs)} input(s): {got}",
            hint=f"call it as {how}",
        )
    q, v = inputs[0], inputs[1]
    k = inputs[2] if len(inputs) == 3 else v
    return q, v, k


def _attention_common(inputs: Sequence[Shape], additive: bool) -> tuple[Shape, int]:
    q, v, k = _qvk(inputs, "Attention", "Attention()([query, value]) or ([query, value, key])")
    for s in (q, v, k):
        need_rank(s, (3,))
    if q[-1] is not None and k[-1] is not None and q[-1] != k[-1]:
        raise ShapeError(
            f"scores compare query features with key features, but the query {format_shape(q)} "
            f"has {q[-1]} and the key {format_shape(k)} has {k[-1]}",
            hint="project both to the same size first (e.g. Dense on the query)",
        )
    if k[1] is not None and v[1] is not None and k[1] != v[1]:
        raise ShapeError(f"key {format_shape(k)} and value {format_shape(v)} must have the same number of steps")
    return (q[0], q[1], v[2]), last_dim(q) if additive else 0


def _attention(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    out, _ = _attention_common(inputs, additive=False)
    weights = []
    if cfg["use_scale"]:
        weights.append(WeightSpec("scale", ()))
    if cfg["score_mode"] == "concat":
        weights.append(WeightSpec("concat_score_weight", ()))
    formula = Formula(" + ".join(["1"] * len(weights)), {}) if weights else None
    return Built(outputs=(out,), weights=tuple(weights), formula=formula)


ATTENTION = LayerDef(
    macs=macs.attention,
    flops=flops.attention,
    class_name="Attention",
    no_numpy="the generator does not write attention yet",
    args=(
        Arg("use_scale", False, boolean),
        Arg("score_mode", "dot", one_of("dot", "concat")),
        Arg("dropout", 0.0, rate),
        Arg("seed", None, integer),
    ),
    infer=_attention,
    summary="dot-product attention on [query (N,Tq,D), value (N,Tv,Dv)] -> (N, Tq, Dv)",
    formula_text="0; +1 scalar with use_scale, +1 with score_mode='concat'",
    arity="many",
    category="attention",
)


def _additive(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    out, d = _attention_common(inputs, additive=True)
    if not cfg["use_scale"]:
        return Built(outputs=(out,))
    return Built(outputs=(out,), weights=(WeightSpec("scale", (d,)),), formula=Formula("{D}", {"D": Term(d, "in")}))


ADDITIVE_ATTENTION = LayerDef(
    macs=macs.attention,
    flops=flops.attention,
    class_name="AdditiveAttention",
    no_numpy="the generator does not write attention yet",
    args=(Arg("use_scale", True, boolean), Arg("dropout", 0.0, rate)),
    infer=_additive,
    summary="Bahdanau-style attention on [query, value]; -> (N, Tq, Dv)",
    formula_text="D (scale) with use_scale=True (default); else 0",
    arity="many",
    category="attention",
)


def _optional_positive(value: Any) -> str | None:
    return None if value is None else positive_int(value)


def _output_shape_check(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return next((p for p in map(positive_int, value) if p), None) if value else "must not be empty"
    return positive_int(value)


def _axes_check(value: Any) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return None
    if isinstance(value, (list, tuple)) and all(isinstance(a, int) and not isinstance(a, bool) for a in value):
        return None
    return "must be an axis or a list of axes"


def _mha(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    q, v, k = _qvk(inputs, "MultiHeadAttention", "mha(query, value) or mha(query, value, key)")
    need_rank(q, (3,), at_least=True)
    if v[1:-1] != k[1:-1]:
        raise ShapeError(
            f"value {format_shape(v)} and key {format_shape(k)} must agree on every axis but the last",
        )
    h, kd = cfg["num_heads"], cfg["key_dim"]
    vd = cfg["value_dim"] or kd
    dq, dk, dv = last_dim(q), last_dim(k), last_dim(v)
    target = cfg["output_shape"]
    out_tail = (dq,) if target is None else tuple(target) if isinstance(target, (list, tuple)) else (target,)
    bias = cfg["use_bias"]

    def dense(name: str, kernel: tuple[int, ...], b: tuple[int, ...]) -> list[WeightSpec]:
        return [WeightSpec(f"{name}/kernel", kernel)] + ([WeightSpec(f"{name}/bias", b)] if bias else [])

    weights = dense("query", (dq, h, kd), (h, kd)) + dense("key", (dk, h, kd), (h, kd))
    if cfg["use_gate"]:
        weights += dense("gate", (dq, h, vd), (h, vd))
    weights += dense("value", (dv, h, vd), (h, vd))
    weights += dense("attention_output", (h, vd, *out_tail), out_tail)
    out: Shape = (*q[:-1], *out_tail)
    terms = {
        "h": Term(h, "fixed", "h"), "k": Term(kd, "fixed", "k"), "v": Term(vd, "fixed", "v"),
        "Dq": Term(dq, "in"), "Dk": Term(dk, "fixed", "Dk"), "Dv": Term(dv, "fixed", "Dv"),
    }
    b = "+1" if bias else ""
    parts = ["{h}·{k}({Dq}" + b + ")", "{h}·{k}({Dk}" + b + ")"]
    if cfg["use_gate"]:
        parts.append("{h}·{v}({Dq}" + b + ")")
    parts.append("{h}·{v}({Dv}" + b + ")")
    o_size = 1
    for d in out_tail:
        o_size *= d
    terms["O"] = Term(o_size, "fixed", "O" if target is not None else "Dq")
    parts.append("{O}({h}·{v}" + b + ")")
    return Built(outputs=(out,), weights=tuple(weights), formula=Formula(" + ".join(parts), terms))


MULTI_HEAD_ATTENTION = LayerDef(
    macs=macs.multi_head_attention,
    flops=flops.multi_head_attention,
    class_name="MultiHeadAttention",
    no_numpy="the generator does not write attention yet",
    args=(
        Arg("num_heads", REQUIRED, positive_int),
        Arg("key_dim", REQUIRED, positive_int),
        Arg("value_dim", None, _optional_positive),
        Arg("dropout", 0.0, rate),
        Arg("use_bias", True, boolean),
        Arg("output_shape", None, _output_shape_check),
        Arg("attention_axes", None, _axes_check),
        Arg("sliding_window", None),
        Arg("flash_attention", None),
        *KERNEL_BIAS_ARGS,
        Arg("use_gate", False, boolean),
        Arg("seed", None, integer),
    ),
    infer=_mha,
    summary="h heads of scaled dot-product attention, called mha(query, value[, key]); "
    "-> (N, Tq, Dq) or output_shape",
    formula_text="h·k(Dq+1) + h·k(Dk+1) + h·v(Dv+1) + Dq(h·v+1); without bias drop the +1s",
    arity="many",
    category="attention",
)
