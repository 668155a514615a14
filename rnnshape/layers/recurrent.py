"""SimpleRNN, LSTM and GRU: one rule, parametrised by the number of gates.

Keras stores every gate side by side along the last axis of ``kernel`` (D, g·U),
``recurrent_kernel`` (U, g·U) and ``bias`` (g·U,), in the order
LSTM ``i, f, c, o`` and GRU ``z, r, h``. GRU with ``reset_after=True`` (the Keras 3
default) keeps a second bias row for the recurrent side: ``bias`` is (2, 3U).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ShapeError
from ..spec import Shape
from . import flops, macs
from .base import (
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
    last_dim,
    need_rank,
    one_of,
    positive_int,
    rate,
)



def _use_cudnn(value: Any) -> str | None:
    return None if value == "auto" or isinstance(value, bool) else "must be 'auto', true or false"


def _rnn_args(*, gated: bool, reset_after: bool = False) -> tuple[Arg, ...]:
    """The constructor arguments in Keras 3 signature order (positional order too)."""
    args = [Arg("units", REQUIRED, positive_int), Arg("activation", "tanh", activation)]
    if gated:
        args.append(Arg("recurrent_activation", "sigmoid", activation))
    args += [
        Arg("use_bias", True, boolean),
        Arg("kernel_initializer", "glorot_uniform"),
        Arg("recurrent_initializer", "orthogonal"),
        Arg("bias_initializer", "zeros"),
    ]
    if gated and not reset_after:  # LSTM only
        args.append(Arg("unit_forget_bias", True, boolean))
    args += [
        Arg("kernel_regularizer", None),
        Arg("recurrent_regularizer", None),
        Arg("bias_regularizer", None),
        Arg("activity_regularizer", None),
        Arg("kernel_constraint", None),
        Arg("recurrent_constraint", None),
        Arg("bias_constraint", None),
        Arg("dropout", 0.0, rate),
        Arg("recurrent_dropout", 0.0, rate),
    ]
    flags = [
        Arg("return_sequences", False, boolean),
        Arg("return_state", False, boolean),
        Arg("go_backwards", False, boolean),
        Arg("stateful", False, boolean),
        Arg("unroll", False, boolean),
    ]
    if gated:  # LSTM and GRU take seed before the flags, SimpleRNN after
        args += [Arg("seed", None, integer), *flags]
    else:
        args += [*flags, Arg("seed", None, integer)]
    if reset_after:
        args.append(Arg("reset_after", True, boolean))
    if gated:
        args += [Arg("use_cudnn", "auto", _use_cudnn), Arg("implementation", 2, one_of(1, 2))]
    # Accepted by keras.layers.RNN.__init__ through **kwargs, and serialized.
    args.append(Arg("zero_output_for_mask", False, boolean))
    return tuple(args)


def recurrent_outputs(cfg: Mapping[str, Any], seq: Shape, units: int, n_states: int) -> tuple[Shape, ...]:
    """Output shapes of any recurrent layer: the output, then its states if asked."""
    batch, time = seq[0], seq[1]
    out: Shape = (batch, time, units) if cfg["return_sequences"] else (batch, units)
    states: tuple[Shape, ...] = tuple((batch, units) for _ in range(n_states))
    return (out, *states) if cfg["return_state"] else (out,)


def check_sequence_input(cfg: Mapping[str, Any], shape: Shape) -> None:
    need_rank(shape, (3,))
    if cfg.get("stateful") and shape[0] is None:
        raise ShapeError(
            f"stateful=True needs a fixed batch size, but the input is {format_shape(shape)}",
            hint="give the batch size in the model (batch_input_shape: [B, T, D] in YAML, "
            "keras.Input(shape, batch_size=B)), or --batch-input-shape B,T,D",
        )


def _gated_rnn(gates: int, n_states: int, reset_after_key: bool) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (seq,) = inputs
        check_sequence_input(cfg, seq)
        d, u = last_dim(seq), cfg["units"]
        two_biases = reset_after_key and cfg["reset_after"] and cfg["use_bias"]
        weights = gate_weights(d, u, gates, use_bias=cfg["use_bias"], two_biases=two_biases)
        return Built(
            outputs=recurrent_outputs(cfg, seq, u, n_states),
            weights=weights,
            formula=rnn_formula(gates, d, u, use_bias=cfg["use_bias"], two_biases=two_biases),
        )

    return infer


def gate_weights(d: int, u: int, gates: int, *, use_bias: bool, two_biases: bool) -> tuple[WeightSpec, ...]:
    """kernel (D, gU), recurrent_kernel (U, gU), bias (gU,) or (2, gU): every gate side by side."""
    gu = "{U}" if gates == 1 else f"{gates}·{{U}}"
    weights = [
        WeightSpec("kernel", (d, gates * u), axes=("{D}", gu)),
        WeightSpec("recurrent_kernel", (u, gates * u), axes=("{U}", gu)),
    ]
    if use_bias:
        if two_biases:
            weights.append(WeightSpec("bias", (2, gates * u), axes=("2", gu)))
        else:
            weights.append(WeightSpec("bias", (gates * u,), axes=(gu,)))
    return tuple(weights)


def rnn_formula(gates: int, d: int, u: int, *, use_bias: bool, two_biases: bool = False) -> Formula:
    bias = "" if not use_bias else "+2" if two_biases else "+1"
    lead = "" if gates == 1 else f"{gates}·"
    return Formula(f"{lead}{{U}}({{D}}+{{U}}{bias})", {"D": Term(d, "in"), "U": Term(u, "units")})


# Shared with the cells (cells.py): a cell counts exactly what its layer counts.
SIMPLE_RNN_FORMULA = "M(D+M+1); without bias M(D+M)"
LSTM_FORMULA = "4M(D+M+1); without bias 4M(D+M)"
GRU_FORMULA = "3M(D+M+2) with reset_after=True (default); 3M(D+M+1) with reset_after=False; 3M(D+M) without bias"

SIMPLE_RNN = LayerDef(
    macs=macs.recurrent,
    flops=flops.recurrent,
    class_name="SimpleRNN",
    states=("h",), initial_state=True, positional_build=True, numpy="recurrent:rnn_template",
    args=_rnn_args(gated=False),
    infer=_gated_rnn(1, 1, False),
    summary="fully-connected RNN: h_t = tanh(x_t·Wx + h_{t-1}·Wh + b)",
    formula_text=SIMPLE_RNN_FORMULA,
    units_symbol="M",
    category="recurrent",
)

LSTM = LayerDef(
    macs=macs.recurrent,
    flops=flops.recurrent,
    class_name="LSTM",
    states=("h", "c"), gates=("i", "f", "c", "o"), initial_state=True, positional_build=True, numpy="recurrent:rnn_template",
    args=_rnn_args(gated=True),
    infer=_gated_rnn(4, 2, False),
    summary="long short-term memory, gates i, f, c, o; states [h, c]",
    formula_text=LSTM_FORMULA,
    units_symbol="M",
    category="recurrent",
)

GRU = LayerDef(
    macs=macs.recurrent,
    flops=flops.recurrent,
    class_name="GRU",
    states=("h",), gates=("z", "r", "h"), initial_state=True, positional_build=True, numpy="recurrent:rnn_template",
    args=_rnn_args(gated=True, reset_after=True),
    infer=_gated_rnn(3, 1, True),
    summary="gated recurrent unit, gates z, r, h; h = z·h_prev + (1-z)·hh",
    formula_text=GRU_FORMULA,
    units_symbol="M",
    category="recurrent",
)
