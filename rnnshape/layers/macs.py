"""MAC rules: the multiply-accumulates of a layer's matrix products, one sample, one forward pass.

The convention (docs/cost.md, ``rnnshape layers``): one MAC is one multiply and one
add of a matrix product ``(m, k) @ (k, n)``, which costs m·k·n. Element-wise work
(bias adds, activations, gate products, normalisation) is not a MAC. Each rule reads
the shapes the entry's ``infer`` built, so its count is exact whenever the
dimensions are known, and ``None`` (formula kept symbolic) when one is not.

A layer entry names its rule in ``LayerDef.macs``; a layer without matrix products
states why instead (a string), which is a zero.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from ..spec import Shape
from .base import Built, CostTerm, LayerDef, MacRule, Macs

# Stated zeros, shared by the entries they describe.
ZERO_LOOKUP = "a table lookup: no matrix products"
ZERO_ELEMENTWISE = "element-wise work only: no matrix products (counted in FLOPs, not MACs)"
ZERO_SHAPE = "moves or copies values: no arithmetic"
ZERO_INPUT = "the model input: no computation"
ZERO_POOL = "pooling: comparisons or sums, no matrix products"
ZERO_ENCODING = "counts or flags token ids (one-hot, multi-hot): no matrix products"


def _product(values: Sequence[int | None]) -> int | None:
    return None if any(v is None for v in values) else math.prod(v for v in values if v is not None)


def dense(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """(product of the non-batch leading axes)·D·K, plus the LoRA factors r(D+K) per row."""
    x = inputs[0]
    d, k = x[-1], cfg["units"]
    terms = {"D": CostTerm(d, "in"), "K": CostTerm(k, "units")}
    per_row = "{D}·{K}"
    row_value = (d or 0) * k
    if cfg["lora_rank"] is not None:
        terms["r"] = CostTerm(cfg["lora_rank"], "fixed", "r")
        per_row = "({D}·{K} + {r}({D}+{K}))"
        row_value += cfg["lora_rank"] * ((d or 0) + k)
    lead = x[1:-1]
    if not lead:
        return Macs(row_value, per_row, terms)
    rows = _product(lead)
    if len(lead) == 1:
        terms["T"] = CostTerm(lead[0], "time")
        template = "{T}·" + per_row
    else:
        terms["L"] = CostTerm(rows, "fixed", "L")
        template = "{L}·" + per_row
    return Macs(None if rows is None else rows * row_value, template, terms)


def _gates(built: Built) -> int:
    kernel = next(w for w in built.weights if w.name == "recurrent_kernel")
    return kernel.shape[-1] // kernel.shape[0]


def recurrent(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """T·g·M(D+M): every step multiplies x_t by the kernel and h_(t-1) by the recurrent kernel."""
    seq = inputs[0]
    t, d, m = seq[1], seq[-1], cfg["units"]
    g = _gates(built)
    step = g * m * ((d or 0) + m)
    lead = "" if g == 1 else f"{g}·"
    terms = {"T": CostTerm(t, "time"), "D": CostTerm(d, "in"), "U": CostTerm(m, "units")}
    return Macs(None if t is None else t * step, "{T}·" + lead + "{U}({D}+{U})", terms)


def cell_step(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """One step of a cell: g·M(D+M); RNN(cell) multiplies it by T."""
    d, m = inputs[0][-1], cfg["units"]
    g = _gates(built)
    lead = "" if g == 1 else f"{g}·"
    terms = {"D": CostTerm(d, "in"), "U": CostTerm(m, "units")}
    return Macs(g * m * ((d or 0) + m), lead + "{U}({D}+{U})", terms)


def conv(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """S·F·k·C/g: each of the S output positions is a (k·C/g)-long dot product per filter.

    For Conv1D, S is T_out; k is the kernel's size (the product of kernel_size).
    """
    out = built.outputs[0]
    first = cfg["data_format"] == "channels_first"
    spatial = out[2:] if first else out[1:-1]
    positions = _product(spatial)
    kernel = built.weights[0].shape  # (*kernel_size, C/g, F)
    symbol = "T_out" if len(spatial) == 1 else "S"
    terms = {"S": CostTerm(positions, "fixed", symbol), "F": CostTerm(cfg["filters"], "units"),
             "k": CostTerm(math.prod(kernel[:-2]), "fixed", "k"), "C": CostTerm(inputs[0][1 if first else -1], "in")}
    per = "{k}·{C}"
    if cfg["groups"] != 1:
        terms["g"] = CostTerm(cfg["groups"], "fixed", "g")
        per = "{k}·{C}/{g}"
    value = None if positions is None else positions * math.prod(kernel)
    return Macs(value, "{S}·{F}·" + per, terms)


def conv_lstm(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """T·S·4F(k·C + k·F): per step and output position, the input and the recurrent convolution of 4 gates."""
    x = inputs[0]
    first = cfg["data_format"] == "channels_first"
    state = built.outputs[1] if cfg["return_state"] else _state_of(built.outputs[0], cfg)
    spatial = state[2:] if first else state[1:-1]
    kernel, recurrent_kernel = built.weights[0], built.weights[1]
    k = math.prod(kernel.shape[:-2])
    c, f = kernel.shape[-2], cfg["filters"]
    positions = _product(spatial)
    t = x[1]
    terms = {"T": CostTerm(t, "time"), "S": CostTerm(positions, "fixed", "S"), "F": CostTerm(f, "units"),
             "k": CostTerm(k, "fixed", "k"), "C": CostTerm(c, "in")}
    per_position = kernel.size + recurrent_kernel.size
    value = None if t is None or positions is None else t * positions * per_position
    return Macs(value, "{T}·{S}·4·{F}({k}·{C}+{k}·{F})", terms)


def _state_of(out: Shape, cfg: Mapping[str, Any]) -> Shape:
    """The state's shape from the output (which has a time axis when return_sequences)."""
    return (out[0], *out[2:]) if cfg["return_sequences"] else out


def attention(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Tq·Tv·Dv for weights @ value, plus Tq·Tv·D for the dot-product scores (score_mode='dot')."""
    q, v = inputs[0], inputs[1]
    tq, tv, d, dv = q[1], v[1], q[-1], v[-1]
    terms = {"Tq": CostTerm(tq, "fixed", "Tq"), "Tv": CostTerm(tv, "fixed", "Tv"),
             "D": CostTerm(d, "in"), "Dv": CostTerm(dv, "fixed", "Dv")}
    # AdditiveAttention and score_mode='concat' score with tanh(q + k): element-wise, no product.
    dot_scores = cfg.get("score_mode") == "dot"
    template = "{Tq}·{Tv}({D}+{Dv})" if dot_scores else "{Tq}·{Tv}·{Dv}"
    pairs, width = _product([tq, tv]), _product([d, dv]) and (d or 0) * dot_scores + (dv or 0)
    return Macs(None if pairs is None or width is None else pairs * width, template, terms)


def multi_head_attention(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Projections (each row of a sequence through its kernel), h·Tq·Tv·(k+v) for scores and context."""
    q, v = inputs[0], inputs[1]
    k_in = inputs[2] if len(inputs) > 2 else v
    tq, tv = _product(q[1:-1]), _product(v[1:-1])
    tk = _product(k_in[1:-1])
    h, kd = cfg["num_heads"], cfg["key_dim"]
    vd = cfg["value_dim"] or kd
    sizes = {w.name: w.size for w in built.weights}
    q_rows = sizes["query/kernel"] + sizes.get("gate/kernel", 0) + sizes["attention_output/kernel"]
    terms = {"Tq": CostTerm(tq, "fixed", "Tq"), "Tv": CostTerm(tv, "fixed", "Tv"), "h": CostTerm(h, "fixed", "h"),
             "k": CostTerm(kd, "fixed", "k"), "v": CostTerm(vd, "fixed", "v"),
             "Pq": CostTerm(q_rows, "fixed", "Pq"), "Pk": CostTerm(sizes["key/kernel"], "fixed", "Pk"),
             "Pv": CostTerm(sizes["value/kernel"], "fixed", "Pv")}
    if None in (tq, tv, tk):
        value = None
    else:
        assert tq is not None and tv is not None and tk is not None
        value = tq * q_rows + tk * sizes["key/kernel"] + tv * sizes["value/kernel"] + h * tq * tv * (kd + vd)
    return Macs(value, "{Tq}·{Pq} + {Tv}·{Pk} + {Tv}·{Pv} + {h}·{Tq}·{Tv}({k}+{v})", terms)


def dot(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Every output element is a dot product along the contracted axis of length L."""
    out = built.outputs[0]
    a = inputs[0]
    axes = cfg["axes"]
    ax = axes[0] if isinstance(axes, (list, tuple)) else axes
    length = a[ax % len(a)]
    cells = _product(out[1:])
    terms = {"O": CostTerm(cells, "fixed", "O"), "L": CostTerm(length, "fixed", "L")}
    return Macs(_product([cells, length]), "{O}·{L}", terms)


def from_children(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Wrappers, RNN(cell) and stacks compose their children's counts in ``infer``."""
    return built.macs if built.macs is not None else Macs(None, "unknown")


def convention(entry: LayerDef) -> str:
    """How an entry counts, for `rnnshape layers`: its rule's formula, or 0 for a stated zero."""
    rule = entry.macs
    if rule is None or isinstance(rule, str):
        return "0"
    if rule in (recurrent, cell_step):
        gates = len(entry.gates) or 1
        step = f"{gates}M(D+M)" if gates > 1 else "M(D+M)"
        return f"T·{step}" if rule is recurrent else f"{step} per step"
    if rule is from_children:
        return _COMPOSED.get(entry.class_name, "the sum of its layers'")
    return _CONVENTIONS.get(rule, "see docs/cost.md")


def summed(parts: Sequence[Macs], symbols: Sequence[tuple[str | None, str | None]] = ()) -> Macs:
    """``[a] + [b]``: keys prefixed per part so equal letters stay apart.

    ``symbols`` optionally renames each part's units and input letters (a stack's
    cell k is built on cell k-1's units), as the parameter formula does.
    """
    templates, terms = [], {}
    for index, part in enumerate(parts):
        prefix = f"p{index}_"
        template = part.template
        units, features = symbols[index] if index < len(symbols) else (None, None)
        for key, term in part.terms.items():
            template = template.replace("{" + key + "}", "{" + prefix + key + "}")
            if term.role == "units" and units:
                term = CostTerm(term.value, "fixed", units)
            elif term.role == "in" and features:
                term = CostTerm(term.value, "fixed", features)
            terms[prefix + key] = term
        templates.append(template)
    values = [p.value for p in parts]
    value = None if any(v is None for v in values) else sum(v for v in values if v is not None)
    if len(parts) == 1:
        return Macs(value, templates[0], terms)
    return Macs(value, " + ".join(t if _scaled_group(t) else f"[{t}]" for t in templates), terms)


def _scaled_group(template: str) -> bool:
    """``2·[...]`` as a whole: already bracketed, so a sum need not bracket it again."""
    head = template.split("·[", 1)[0]
    if not head.isdigit() or not template.endswith("]"):
        return False
    depth = 0
    for index, char in enumerate(template[len(head) + 1:], len(head) + 1):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            return index == len(template) - 1
    return False


def times(t: int | None, inner: Macs, symbol: str = "T") -> Macs:
    """``T·[inner]``: a per-step count repeated over T steps (TimeDistributed, RNN(cell))."""
    value = None if t is None or inner.value is None else t * inner.value
    terms = {**inner.terms, "_T": CostTerm(t, "time", symbol)}
    return Macs(value, "{_T}·[" + inner.template + "]", terms)


def doubled(inner: Macs) -> Macs:
    """``2·[inner]``: Bidirectional's backward copy costs what its forward layer does."""
    if not inner.terms:
        return Macs(None if inner.value is None else 2 * inner.value, "0" if inner.value == 0 else f"2·[{inner.template}]")
    value = None if inner.value is None else 2 * inner.value
    return Macs(value, "2·[" + inner.template + "]", inner.terms)


# The convention each rule follows, as `rnnshape layers` shows it (T timesteps, D input
# features, M or K units, L the product of a Dense input's non-batch leading axes).
_CONVENTIONS: dict[MacRule, str] = {
    dense: "L·D·K",
    conv: "S·F·k·C/groups; S output positions (T_out in 1-D), k kernel size",
    conv_lstm: "T·S·4F(k·C+k·F); S output positions",
    attention: "Tq·Tv(D+Dv) (dot scores); Tq·Tv·Dv otherwise",
    multi_head_attention: "projections + h·Tq·Tv(k+v)",
    dot: "output size·contracted axis",
}
_COMPOSED = {
    "Bidirectional": "forward + backward",
    "TimeDistributed": "T·inner",
    "RNN": "T·(the cell's step)",
    "StackedRNNCells": "sum over its cells",
}
