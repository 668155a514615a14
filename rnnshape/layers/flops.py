"""FLOP rules: the element-wise work of a layer, one sample, one forward pass.

A layer's FLOPs are ``2·MACs`` (a multiply-accumulate is two floating-point
operations, ``rnnshape.layers.macs``) plus the element-wise work counted here, by the
conventions of docs/cost.md:

* one FLOP per output element of an add, subtract, multiply, divide, square root,
  maximum or minimum: a bias add, the sum of an RNN's input and recurrent products,
  the gate products ``f*c``, a merge of n inputs ((n-1) per element);
* an activation function counts 1 per output element, whatever its inside (tanh,
  sigmoid, relu, gelu, ...); ``linear`` counts 0; softmax and log_softmax count 5
  (the maximum, the shift by it, the exponential, the sum and the division, as
  TensorFlow's profiler counts its Softmax);
* a reduction of n values costs n-1 per result (a sum, a maximum); a mean n;
* what yields booleans (comparisons, masks) and what only moves values (reshaping,
  dropout and noise at inference, lookups) is not counted.

A layer entry names its rule in ``LayerDef.flops``, or says why it does no
element-wise arithmetic (a string, a zero). Each rule reads the shapes ``infer``
built, so its count is exact when the dimensions are known and ``None`` when one is
not, like a MAC rule.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from ..spec import Shape
from .base import Built, CostTerm, ElementwiseRule, LayerDef, Macs

# Stated zeros, shared by the entries they describe.
ZERO_INPUT = "the model input: no computation"
ZERO_SHAPE = "moves or copies values: no arithmetic"
ZERO_INFERENCE = "the identity at inference: it only acts while training"
ZERO_LOOKUP = "a table lookup: no floating-point arithmetic"
ZERO_MASK = "compares values and yields booleans (a mask): not floating-point arithmetic"
ZERO_ENCODING = "counts or flags token ids (one-hot, multi-hot): integer work, not floating-point"


def activation_cost(name: object) -> int:
    """FLOPs per output element of a Keras activation: 0 linear, 5 softmax, 1 any other."""
    if name is None or name == "linear":
        return 0
    return 5 if name in ("softmax", "log_softmax") else 1


def _product(values: Sequence[int | None]) -> int | None:
    return None if any(v is None for v in values) else math.prod(v for v in values if v is not None)


def _times(count: int, template: str) -> str:
    """``3·{T}·{D}``; a count of 1 is left out."""
    return template if count == 1 else f"{count}·{template}"


def _elements(shape: Shape, time: bool = True) -> tuple[str, dict[str, CostTerm], int | None]:
    """A tensor's non-batch elements as a product: ``{T}·{D}`` for (N, T, D), ``{D}`` for (N, D).

    The last axis is the input's features (``in``); with ``time`` the middle axis of a
    3-D tensor is the input's timesteps.
    """
    dims = shape[1:]
    if not dims:
        return "1", {}, 1
    terms = {"D": CostTerm(dims[-1], "in")}
    if len(dims) == 1:
        return "{D}", terms, dims[0]
    if len(dims) == 2 and time:
        terms["T"] = CostTerm(dims[0], "time")
    else:  # positions: T_out of a pooled sequence, S of an image or a volume
        terms["T"] = CostTerm(_product(dims[:-1]), "fixed", "T_out" if len(dims) == 2 else "S")
    return "{T}·{D}", terms, _product(dims)


def per_element(count: int) -> ElementwiseRule:
    """``count`` FLOPs per element of the output (merges, activation layers)."""

    def rule(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
        if count == 0:
            return Macs(0)
        template, terms, value = _elements(built.outputs[0])
        return Macs(None if value is None else count * value, _times(count, template), terms)

    rule.__doc__ = f"{count} per output element"
    return rule


# The activation layers: ReLU, LeakyReLU, PReLU, ELU (1 per element) and Softmax (5).
activation_unit = per_element(1)
softmax_layer = per_element(activation_cost("softmax"))


def activation_layer(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Activation(name): the activation's cost per output element (0 for linear)."""
    return per_element(activation_cost(cfg.get("activation")))(cfg, inputs, built)


def merge(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """(n-1) per output element for n inputs; Average adds one division per element."""
    return per_element(len(inputs) - 1)(cfg, inputs, built)


def average(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """n per output element: n-1 adds and one division."""
    return per_element(len(inputs))(cfg, inputs, built)


def dense(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """L·(b + a)·K: the bias add (b = 1) and the activation (a) of every output, per row.

    With LoRA the low-rank product is scaled and added to the output: 2 more per output.
    """
    x = inputs[0]
    per_output = int(bool(cfg["use_bias"])) + activation_cost(cfg["activation"]) + 2 * (cfg["lora_rank"] is not None)
    if per_output == 0:
        return Macs(0)
    terms = {"K": CostTerm(cfg["units"], "units")}
    row = _times(per_output, "{K}")
    lead = x[1:-1]
    rows = _product(lead)
    if not lead:
        return Macs(per_output * cfg["units"], row, terms)
    if len(lead) == 1:
        terms["T"] = CostTerm(lead[0], "time")
        template = "{T}·" + row
    else:
        terms["L"] = CostTerm(rows, "fixed", "L")
        template = "{L}·" + row
    return Macs(None if rows is None else rows * per_output * cfg["units"], template, terms)


def step_cost(gates: int, cfg: Mapping[str, Any]) -> int:
    """FLOPs per unit of one recurrent step with 1 (SimpleRNN), 3 (GRU) or 4 (LSTM) gate
    blocks (docs/cost.md has the breakdown).

    SimpleRNN: x·W + h·U (1), bias (1), activation (a).
    LSTM: the products' sum (4), bias (4), 3 gate activations, the candidate's (a),
    c = f*c + i*g (3), h = o*a(c) (1 + a).
    GRU: bias (3, or 6 with reset_after's two), the sums of z and r (2), r times the
    recurrent part and its sum (2), 2 gate activations, the candidate's (a),
    h = z*h + (1-z)*hh (4).
    """
    bias = bool(cfg["use_bias"])
    act, rec = activation_cost(cfg["activation"]), activation_cost(cfg.get("recurrent_activation"))
    if gates == 1:
        return 1 + bias + act
    if gates == 3:
        return (6 if cfg["reset_after"] else 3) * bias + 4 + 2 * rec + act + 4
    # LSTM, LSTMCell and the ConvLSTM layers (whose recurrent convolution has no bias).
    return 4 + 4 * bias + 3 * rec + 2 * act + 4


def recurrent(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """T·c·M: c FLOPs per unit and step (``step_cost``)."""
    t, m = inputs[0][1], cfg["units"]
    c = step_cost(_gates(built), cfg)
    terms = {"T": CostTerm(t, "time"), "U": CostTerm(m, "units")}
    return Macs(None if t is None else t * c * m, "{T}·" + _times(c, "{U}"), terms)


def cell_step(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """One step of a cell: c·M; RNN(cell) multiplies it by T."""
    c = step_cost(_gates(built), cfg)
    return Macs(c * cfg["units"], _times(c, "{U}"), {"U": CostTerm(cfg["units"], "units")})


def _gates(built: Built) -> int:
    """The gate blocks side by side in the recurrent kernel: 1, 3 or 4."""
    kernel = next(w for w in built.weights if w.name == "recurrent_kernel")
    return kernel.shape[-1] // kernel.shape[0]


def conv(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """S·(b + a)·F: the bias add and the activation of every output position and filter."""
    out = built.outputs[0]
    spatial = out[2:] if cfg["data_format"] == "channels_first" else out[1:-1]
    positions = _product(spatial)
    c = int(bool(cfg["use_bias"])) + activation_cost(cfg["activation"])
    terms = {"S": CostTerm(positions, "fixed", "T_out" if len(spatial) == 1 else "S"),
             "F": CostTerm(cfg["filters"], "units")}
    return Macs(None if positions is None else positions * c * cfg["filters"], "{S}·" + _times(c, "{F}"), terms)


def conv_lstm(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """T·S·c·F: an LSTM step (``step_cost``) at every output position."""
    first = cfg["data_format"] == "channels_first"
    state = built.outputs[1] if cfg["return_state"] else built.outputs[0]
    if cfg["return_sequences"] and not cfg["return_state"]:
        state = (state[0], *state[2:])
    spatial = state[2:] if first else state[1:-1]
    positions, t = _product(spatial), inputs[0][1]
    c = step_cost(4, cfg)
    terms = {"T": CostTerm(t, "time"), "S": CostTerm(positions, "fixed", "S"), "F": CostTerm(cfg["filters"], "units")}
    value = None if t is None or positions is None else t * positions * c * cfg["filters"]
    return Macs(value, "{T}·{S}·" + _times(c, "{F}"), terms)


def _pool_window(cfg: Mapping[str, Any]) -> int:
    size = cfg["pool_size"]
    return math.prod(size) if isinstance(size, (list, tuple)) else int(size)


def _pooling(per_window: str) -> ElementwiseRule:
    """Per output: ``p-1`` comparisons (max) or p-1 adds and a division (``p``, average)."""

    def rule(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
        size, out = cfg["pool_size"], built.outputs[0]
        p = math.prod(size) if isinstance(size, (list, tuple)) else int(size) ** (len(out) - 2)
        template, terms, value = _elements(out, time=False)
        terms["p"] = CostTerm(p, "fixed", "p")
        per_output = p - 1 if per_window == "max" else p
        text = "({p}-1)" if per_window == "max" else "{p}"
        return Macs(None if value is None else value * per_output, template + "·" + text, terms)

    rule.__doc__ = f"{'p-1' if per_window == 'max' else 'p'} per output, p the window's size"
    return rule


max_pooling = _pooling("max")
average_pooling = _pooling("average")


def _global_pooling(per_window: str) -> ElementwiseRule:
    """C·(S-1) for a maximum over the S positions of each channel, C·S for a mean."""

    def rule(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
        x = inputs[0]
        first = cfg["data_format"] == "channels_first"
        spatial = x[2:] if first else x[1:-1]
        s, c = _product(spatial), x[1] if first else x[-1]
        one_d = len(spatial) == 1 and not first
        terms = {"S": CostTerm(s, "time" if one_d else "fixed", "S"), "C": CostTerm(c, "fixed" if first else "in", "C")}
        is_max = per_window == "max"
        value = None if s is None or c is None else c * (s - 1 if is_max else s)
        return Macs(value, "{C}·({S}-1)" if is_max else "{C}·{S}", terms)

    rule.__doc__ = "C(S-1) per sample, S positions, C channels" if per_window == "max" else "C·S per sample"
    return rule


global_max_pooling = _global_pooling("max")
global_average_pooling = _global_pooling("average")


def layer_normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """c·E + 2·G: per element the mean (1), variance (3), centring and division (2),
    scale (1) and shift (1); per normalised group ε and the square root (2)."""
    x = inputs[0]
    axes = cfg["axis"] if isinstance(cfg["axis"], (list, tuple)) else [cfg["axis"]]
    kept = {a % len(x) for a in axes}
    groups = [d for i, d in enumerate(x) if i and i not in kept]
    c = 6 + bool(cfg["scale"]) + bool(cfg["center"])
    if cfg.get("rms_scaling"):
        c = 3 + bool(cfg["scale"])  # x², their mean, the multiplication by 1/rms, the scale
    return _normalised(x, c, groups)


def group_normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """As LayerNormalization, with the statistics of each of the G groups of channels."""
    c = 6 + bool(cfg["scale"]) + bool(cfg["center"])
    channels = inputs[0][cfg["axis"]]
    groups = channels if cfg["groups"] == -1 else cfg["groups"]
    return _normalised(inputs[0], c, [groups])


def _normalised(x: Shape, c: int, groups: Sequence[int | None]) -> Macs:
    template, terms, value = _elements(x)
    g = _product(groups)
    terms["G"] = CostTerm(g, "fixed", "G")
    total = None if value is None or g is None else c * value + 2 * g
    return Macs(total, _times(c, template) + " + 2·{G}", terms)


def batch_normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """c·E + 2·C at inference: (x - mean) / sqrt(var + ε) (2 per element, 2 per channel),
    then the scale and the shift (1 each)."""
    x = inputs[0]
    c = 2 + bool(cfg["scale"]) + bool(cfg["center"])
    template, terms, value = _elements(x)
    channels = x[cfg["axis"]]
    terms["C"] = CostTerm(channels, "fixed", "C")
    total = None if value is None or channels is None else c * value + 2 * channels
    return Macs(total, _times(c, template) + " + 2·{C}", terms)


def normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """2·E + 2·V: (x - mean) / std per element; std = max(sqrt(var), ε) per statistic."""
    x = inputs[0]
    stats = sum(w.size for w in built.weights if w.name == "variance") or 1
    template, terms, value = _elements(x)
    terms["V"] = CostTerm(stats, "fixed", "V")
    return Macs(None if value is None else 2 * value + 2 * stats, "2·" + template + " + 2·{V}", terms)


def unit_normalization(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """3·E + G: x² (1), its sum (about 1), the division (1) per element; floor and root per group."""
    x = inputs[0]
    axes = cfg["axis"] if isinstance(cfg["axis"], (list, tuple)) else [cfg["axis"]]
    kept = {a % len(x) for a in axes}
    groups = [d for i, d in enumerate(x) if i and i not in kept]
    template, terms, value = _elements(x)
    g = _product(groups)
    terms["G"] = CostTerm(g, "fixed", "G")
    return Macs(None if value is None or g is None else 3 * value + g, "3·" + template + " + {G}", terms)


def dot(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """0, or with normalize=True the L2 normalisation of both inputs (3 per element + 1 per vector)."""
    if not cfg["normalize"]:
        return Macs(0)
    axes = cfg["axes"]
    pair = axes if isinstance(axes, (list, tuple)) else (axes, axes)
    sizes = [_product(x[1:]) for x in inputs]
    lengths = [x[a % len(x)] for x, a in zip(inputs, pair)]
    if None in sizes or None in lengths:
        return Macs(None, "3·E + E/L (unknown)")
    value = sum(3 * (s or 0) + (s or 0) // (n or 1) for s, n in zip(sizes, lengths))
    return Macs(value, f"{value:,}", {})


def attention(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Tq·Tv·c: the scores' element-wise work and their softmax (5), per query-value pair.

    Dot scores: the optional scale (1). Concat and AdditiveAttention scores
    sum(tanh(q + k)) over D: the add and tanh (2D), the optional scale (D), the sum (D-1),
    and concat's score weight (1).
    """
    q, v = inputs[0], inputs[1]
    tq, tv, d = q[1], v[1], q[-1]
    scaled = bool(cfg["use_scale"])
    terms = {"Tq": CostTerm(tq, "fixed", "Tq"), "Tv": CostTerm(tv, "fixed", "Tv"), "D": CostTerm(d, "in")}
    pairs = _product([tq, tv])
    if cfg.get("score_mode") == "dot":
        c = 5 + scaled
        return Macs(None if pairs is None else pairs * c, "{Tq}·{Tv}·" + str(c), terms)
    concat = cfg.get("score_mode") == "concat"
    per_d = 3 + scaled  # add, tanh, the sum's add (D-1 of them), the scale
    const = 5 + concat - 1
    template = "{Tq}·{Tv}(" + (f"{per_d}·" if per_d > 1 else "") + "{D}+" + str(const) + ")"
    value = None if pairs is None or d is None else pairs * (per_d * d + const)
    return Macs(value, template, terms)


def multi_head_attention(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """The projections' bias adds, the query's scaling by 1/sqrt(k), and 5·h·Tq·Tv for the softmax."""
    q, v = inputs[0], inputs[1]
    k_in = inputs[2] if len(inputs) > 2 else v
    tq, tv, tk = _product(q[1:-1]), _product(v[1:-1]), _product(k_in[1:-1])
    h = cfg["num_heads"]
    sizes = {w.name: w.size for w in built.weights}
    per_query = sizes.get("query/bias", 0) + h * cfg["key_dim"] + sizes.get("attention_output/bias", 0)
    per_key, per_value = sizes.get("key/bias", 0), sizes.get("value/bias", 0)
    terms = {"Tq": CostTerm(tq, "fixed", "Tq"), "Tv": CostTerm(tv, "fixed", "Tv"), "h": CostTerm(h, "fixed", "h"),
             "Bq": CostTerm(per_query, "fixed", "Bq"), "Bk": CostTerm(per_key, "fixed", "Bk"),
             "Bv": CostTerm(per_value, "fixed", "Bv")}
    template = "{Tq}·{Bq} + {Tv}·{Bk} + {Tv}·{Bv} + 5·{h}·{Tq}·{Tv}"
    if tq is None or tv is None or tk is None:
        return Macs(None, template, terms)
    return Macs(tq * per_query + tk * per_key + tv * per_value + 5 * h * tq * tv, template, terms)


def from_children(cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Macs:
    """Wrappers, RNN(cell) and stacks compose their children's counts in ``infer``."""
    return built.elementwise if built.elementwise is not None else Macs(None, "unknown")


def bidirectional_merge(mode: object, out: Shape) -> Macs:
    """What Bidirectional's merge_mode adds per output element: sum/mul 1, ave 2, concat/None 0."""
    per = {"sum": 1, "mul": 1, "ave": 2}.get(str(mode), 0)
    if not per:
        return Macs(0)
    terms = {"U": CostTerm(out[-1], "units")}
    template = "{U}"
    if len(out) == 3:
        terms["T"] = CostTerm(out[1], "time")
        template = "{T}·{U}"
    value = _product(out[1:])
    return Macs(None if value is None else per * value, _times(per, template), terms)


def convention(entry: LayerDef) -> str:
    """How an entry counts its element-wise work, for `rnnshape layers`."""
    rule = entry.flops
    if rule is None or isinstance(rule, str):
        return "0"
    if rule in (recurrent, cell_step):
        defaults = {a.name: a.default for a in entry.args}
        gates = len(entry.gates) or 1
        step = f"{step_cost(gates, defaults)}M"
        if "reset_after" in defaults:
            step += f" ({step_cost(gates, {**defaults, 'reset_after': False})}M with reset_after=False)"
        return f"T·{step}" if rule is recurrent else f"{step} per step"
    if rule is from_children:
        return _COMPOSED.get(entry.class_name, "the sum of its layers'")
    return _CONVENTIONS.get(rule, (rule.__doc__ or "see docs/cost.md").split("\n")[0].rstrip("."))


_CONVENTIONS: dict[ElementwiseRule, str] = {
    dense: "L·(bias + activation)·K",
    conv: "S·(bias + activation)·F",
    conv_lstm: "T·S·17F: an LSTM step per position",
    max_pooling: "(p-1) per output, p the window's size",
    average_pooling: "p per output, p the window's size",
    global_max_pooling: "C(S-1): S positions, C channels",
    global_average_pooling: "C·S: S positions, C channels",
    layer_normalization: "8 per element + 2 per group",
    group_normalization: "8 per element + 2 per group",
    batch_normalization: "4 per element + 2 per channel",
    normalization: "2 per element + 2 per statistic",
    unit_normalization: "3 per element + 1 per vector",
    attention: "Tq·Tv·(scores + softmax 5)",
    multi_head_attention: "bias adds + query scaling + 5·h·Tq·Tv",
    merge: "(n-1) per element",
    average: "n per element",
    activation_layer: "1 per element (softmax 5, linear 0)",
    activation_unit: "1 per element (an activation)",
    softmax_layer: "5 per element (max, shift, exp, sum, divide)",
    dot: "0 (normalize=True: 3 per element + 1 per vector)",
}
_COMPOSED = {
    "Bidirectional": "forward + backward + the merge",
    "TimeDistributed": "T·inner",
    "RNN": "T·(the cell's step)",
    "StackedRNNCells": "sum over its cells",
}
