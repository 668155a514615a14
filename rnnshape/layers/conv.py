"""Conv1D/2D/3D and ConvLSTM1D/2D/3D, with the convolution length rule they share.

Along each spatial axis of length ``L`` with kernel ``k``, stride ``s`` and dilation ``d``:
``valid``: ``floor((L - d(k-1) - 1)/s) + 1``; ``same``/``causal``: ``floor((L-1)/s) + 1``.
An unknown length stays unknown.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from ..errors import ArgumentError, ShapeError
from ..spec import Dim, Shape
from ..text import shown
from . import flops, macs
from .base import (
    KERNEL_BIAS_ARGS,
    Arg,
    Built,
    Context,
    Formula,
    Infer,
    LayerDef,
    REQUIRED,
    Term,
    WeightSpec,
    activation,
    boolean,
    format_shape,
    integer,
    need_rank,
    one_of,
    positive_int,
    rate,
)


def int_tuple_check(n: int) -> Any:
    """An int, or a list of ``n`` positive ints (Keras's ``standardize_tuple``)."""

    def check(value: Any) -> str | None:
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                return f"must be an integer or a list of {n} integers"
            return next((p for p in map(positive_int, value) if p), None)
        return positive_int(value)

    return check


def int_tuple(value: Any, n: int) -> tuple[int, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n


def data_format(value: Any) -> str | None:
    return None if value in (None, "channels_last", "channels_first") else (
        "must be 'channels_last' or 'channels_first'"
    )


def channels_first(cfg: Mapping[str, Any]) -> bool:
    # None means keras.config.image_data_format(), which is channels_last unless configured.
    return cfg.get("data_format") == "channels_first"


def conv_length(length: Dim, kernel: int, stride: int, dilation: int, padding: str) -> Dim:
    if length is None:
        return None
    if padding == "valid":
        return (length - dilation * (kernel - 1) - 1) // stride + 1
    return (length - 1) // stride + 1


def conv_spatial(shape: Shape, spatial: Sequence[Dim], cfg: Mapping[str, Any], n: int) -> tuple[Dim, ...]:
    kernel = int_tuple(cfg["kernel_size"], n)
    strides = int_tuple(cfg["strides"], n)
    dilation = int_tuple(cfg["dilation_rate"], n)
    if max(strides) > 1 and max(dilation) > 1:
        raise ArgumentError(
            f"strides={shown(cfg['strides'])} > 1 cannot be combined with dilation_rate={shown(cfg['dilation_rate'])} > 1",
            arg="dilation_rate",
            kind="invalid",
            hint="Keras refuses this combination; use one or the other",
        )
    out = tuple(conv_length(length, k, s, d, cfg["padding"]) for length, k, s, d in zip(spatial, kernel, strides, dilation))
    if any(o is not None and o <= 0 for o in out):
        raise ShapeError(
            f"output size would be zero or negative: input {format_shape(shape)} with kernel_size={kernel}, "
            f"strides={strides}, dilation_rate={dilation}, padding={shown(cfg['padding'])}",
            hint="use padding='same', a smaller kernel_size, or a longer input",
        )
    return out


def _channels(shape: Shape, cfg: Mapping[str, Any]) -> int:
    c = shape[1] if channels_first(cfg) else shape[-1]
    if c is None:
        raise ShapeError(
            f"the channel axis of its input {format_shape(shape)} is unknown (None), but the kernel is built on it",
            hint="give the input's feature size explicitly",
        )
    return c


def _conv(n: int) -> Infer:
    """Conv1D/2D/3D: (N, *spatial, C) -> (N, *spatial', F), kernel (*k, C/groups, F)."""

    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        need_rank(x, (n + 2,))
        first = channels_first(cfg)
        if cfg["padding"] == "causal" and first:
            raise ArgumentError("padding='causal' works only with data_format='channels_last'", arg="padding", kind="invalid")
        c, f, g = _channels(x, cfg), cfg["filters"], cfg["groups"]
        if c % g or f % g:
            raise ShapeError(
                f"groups={g} must divide both the input channels ({c}) and filters ({f})",
                hint="pick groups as a common divisor of the two",
            )
        kernel = int_tuple(cfg["kernel_size"], n)
        spatial = conv_spatial(x, x[2:] if first else x[1:-1], cfg, n)
        out: Shape = (x[0], f, *spatial) if first else (x[0], *spatial, f)
        weights = [WeightSpec("kernel", (*kernel, c // g, f))]
        if cfg["use_bias"]:
            weights.append(WeightSpec("bias", (f,)))
        terms = {"F": Term(f, "units"), "k": Term(math.prod(kernel), "fixed", "k"), "C": Term(c, "in")}
        per = "{k}·{C}" if g == 1 else "{k}·{C}/{g}"
        if g != 1:
            terms["g"] = Term(g, "fixed", "g")
        template = f"{{F}}({per}+1)" if cfg["use_bias"] else f"{{F}}·{per}"
        return Built(outputs=(out,), weights=tuple(weights), formula=Formula(template, terms))

    return infer


def _padding(*allowed: str) -> Any:
    return one_of(*allowed)


# The generator writes only the 1-D (time-axis) convolution; images and video are out of its scope.
_NO_CONV_NUMPY = "the generator writes only Conv1D; 2-D/3-D convolutions are not written yet"


def _conv_def(n: int) -> LayerDef:
    paddings = ("valid", "same", "causal") if n == 1 else ("valid", "same")
    summary = {
        1: "1-D convolution over time: (N, T, D) -> (N, T', F), T' by padding/strides/dilation",
        2: "2-D convolution: (N, H, W, C) -> (N, H', W', F), each size by padding/strides/dilation",
        3: "3-D convolution: (N, D1, D2, D3, C) -> (N, D1', D2', D3', F), each size by padding/strides/dilation",
    }[n]
    product = "" if n == 1 else ", k = product of kernel_size"
    return LayerDef(
        class_name=f"Conv{n}D",
        macs=macs.conv,
        flops=flops.conv,
        numpy="feature:conv1d_template" if n == 1 else None,
        no_numpy=None if n == 1 else _NO_CONV_NUMPY,
        args=(
            Arg("filters", REQUIRED, positive_int),
            Arg("kernel_size", REQUIRED, int_tuple_check(n)),
            Arg("strides", 1 if n == 1 else (1,) * n, int_tuple_check(n)),
            Arg("padding", "valid", _padding(*paddings)),
            Arg("data_format", None, data_format),
            Arg("dilation_rate", 1 if n == 1 else (1,) * n, int_tuple_check(n)),
            Arg("groups", 1, positive_int),
            Arg("activation", None, activation),
            Arg("use_bias", True, boolean),
            *KERNEL_BIAS_ARGS,
        ),
        infer=_conv(n),
        summary=summary,
        formula_text=f"F(k·D/groups+1){product}; without bias F·k·D/groups",
        units_symbol="F",
        category="convolution",
    )


CONV1D = _conv_def(1)
CONV2D = _conv_def(2)
CONV3D = _conv_def(3)


def _conv_lstm_args(n: int) -> tuple[Arg, ...]:
    return (
        Arg("filters", REQUIRED, positive_int),
        Arg("kernel_size", REQUIRED, int_tuple_check(n)),
        Arg("strides", 1, int_tuple_check(n)),
        Arg("padding", "valid", _padding("valid", "same")),
        Arg("data_format", None, data_format),
        Arg("dilation_rate", 1, int_tuple_check(n)),
        Arg("activation", "tanh", activation),
        Arg("recurrent_activation", "sigmoid", activation),
        Arg("use_bias", True, boolean),
        Arg("kernel_initializer", "glorot_uniform"),
        Arg("recurrent_initializer", "orthogonal"),
        Arg("bias_initializer", "zeros"),
        Arg("unit_forget_bias", True, boolean),
        Arg("kernel_regularizer", None),
        Arg("recurrent_regularizer", None),
        Arg("bias_regularizer", None),
        Arg("activity_regularizer", None),
        Arg("kernel_constraint", None),
        Arg("recurrent_constraint", None),
        Arg("bias_constraint", None),
        Arg("dropout", 0.0, rate),
        Arg("recurrent_dropout", 0.0, rate),
        Arg("seed", None, integer),
        Arg("return_sequences", False, boolean),
        Arg("return_state", False, boolean),
        Arg("go_backwards", False, boolean),
        Arg("stateful", False, boolean),
    )


def _conv_lstm(n: int) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        need_rank(x, (n + 3,))
        if cfg["stateful"] and x[0] is None:
            raise ShapeError(
                f"stateful=True needs a fixed batch size, but the input is {format_shape(x)}",
                hint="give the batch size, e.g. keras.Input(shape, batch_size=B)",
            )
        first = channels_first(cfg)
        step = (x[0], *x[2:])  # one timestep: (N, *spatial, C) or (N, C, *spatial)
        c, f = _channels(step, cfg), cfg["filters"]
        spatial_in = step[2:] if first else step[1:-1]
        spatial = conv_spatial(x, spatial_in, cfg, n)
        kernel = int_tuple(cfg["kernel_size"], n)
        state: Shape = (x[0], f, *spatial) if first else (x[0], *spatial, f)
        out: Shape = (x[0], x[1], *state[1:]) if cfg["return_sequences"] else state
        outputs = (out, state, state) if cfg["return_state"] else (out,)
        weights = [WeightSpec("kernel", (*kernel, c, 4 * f)), WeightSpec("recurrent_kernel", (*kernel, f, 4 * f))]
        if cfg["use_bias"]:
            weights.append(WeightSpec("bias", (4 * f,)))
        terms = {"F": Term(f, "units"), "k": Term(math.prod(kernel), "fixed", "k"), "C": Term(c, "in")}
        bias = "+1" if cfg["use_bias"] else ""
        return Built(outputs=outputs, weights=tuple(weights), formula=Formula(f"4·{{F}}({{k}}·{{C}}+{{k}}·{{F}}{bias})", terms))

    return infer


def _conv_lstm_def(n: int) -> LayerDef:
    return LayerDef(
        class_name=f"ConvLSTM{n}D",
        macs=macs.conv_lstm,
        flops=flops.conv_lstm,
        states=("h", "c"), gates=("i", "f", "c", "o"), initial_state=True,
        no_numpy="its gates are convolutions, which the generator does not write yet",
        args=_conv_lstm_args(n),
        infer=_conv_lstm(n),
        summary=f"LSTM whose gates are {n}-D convolutions: (N, T, *{n} spatial, C) -> (N, *spatial', F); states [h, c]",
        formula_text="4F(k·C+k·F+1), k = product of kernel_size; without bias 4F(k·C+k·F)",
        units_symbol="F",
        category="recurrent",
    )


CONV_LSTM1D = _conv_lstm_def(1)
CONV_LSTM2D = _conv_lstm_def(2)
CONV_LSTM3D = _conv_lstm_def(3)
