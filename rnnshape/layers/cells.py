"""The generic ``RNN(cell)`` layer and its cells.

A cell's entry describes one step: given the per-step input ``(N, D)`` it returns
the step output ``(N, U)`` followed by its state shapes (LSTMCell: ``[h, c]``).
``StackedRNNCells`` chains cells, each one's input is the previous one's output, and
lists every cell's states in order. ``RNN`` turns the step into a sequence layer.

Keras nests the states of ``RNN(..., return_state=True)`` per cell
(``[out, [h1, c1], h2]``); rnnshape keeps outputs flat in Keras's flattened order
(``out, h1, c1, h2``), which is also the tensor index a Functional graph uses.
Weights are named by Keras path without the layer's own name:
``lstm_cell/kernel``, and ``stacked_rnn_cells/lstm_cell/kernel`` for a stack.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import ArgumentError
from ..spec import LayerSpec, Namer, Shape
from . import flops, macs
from .base import (
    Macs,
    Arg,
    Built,
    Context,
    Infer,
    LayerDef,
    REQUIRED,
    WeightSpec,
    activation,
    boolean,
    integer,
    last_dim,
    one_of,
    positive_int,
    rate,
)
from .formulas import summed
from .recurrent import GRU_FORMULA, LSTM_FORMULA, SIMPLE_RNN_FORMULA, check_sequence_input, gate_weights, rnn_formula
from .wrappers import prefixed

# Why a cell has no NumPy template of its own.
INSIDE_RNN = "a cell runs only inside RNN(...), whose template writes its step"

CELL_CLASSES = frozenset({"SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells"})



def _cell_args(*, gated: bool, lstm: bool = False, gru: bool = False) -> tuple[Arg, ...]:
    args = [Arg("units", REQUIRED, positive_int), Arg("activation", "tanh", activation)]
    if gated:
        args.append(Arg("recurrent_activation", "sigmoid", activation))
    args += [
        Arg("use_bias", True, boolean),
        Arg("kernel_initializer", "glorot_uniform"),
        Arg("recurrent_initializer", "orthogonal"),
        Arg("bias_initializer", "zeros"),
    ]
    if lstm:
        args.append(Arg("unit_forget_bias", True, boolean))
    args += [
        Arg("kernel_regularizer", None),
        Arg("recurrent_regularizer", None),
        Arg("bias_regularizer", None),
        Arg("kernel_constraint", None),
        Arg("recurrent_constraint", None),
        Arg("bias_constraint", None),
        Arg("dropout", 0.0, rate),
        Arg("recurrent_dropout", 0.0, rate),
    ]
    if gru:
        args.append(Arg("reset_after", True, boolean))
    args.append(Arg("seed", None, integer))
    if gated:  # popped from **kwargs by LSTMCell and GRUCell
        args.append(Arg("implementation", 2, one_of(1, 2)))
    return tuple(args)


def _cell(gates: int, n_states: int, gru: bool) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        d, u = last_dim(x), cfg["units"]
        two_biases = gru and cfg["reset_after"] and cfg["use_bias"]
        weights = gate_weights(d, u, gates, use_bias=cfg["use_bias"], two_biases=two_biases)
        step = (x[0], u)
        return Built(
            outputs=(step,) + (step,) * n_states,
            weights=weights,
            formula=rnn_formula(gates, d, u, use_bias=cfg["use_bias"], two_biases=two_biases),
        )

    return infer


SIMPLE_RNN_CELL = LayerDef(
    macs=macs.cell_step,
    flops=flops.cell_step,
    class_name="SimpleRNNCell",
    states=("h",), step_of="SimpleRNN", no_numpy=INSIDE_RNN,
    args=_cell_args(gated=False),
    infer=_cell(1, 1, False),
    summary="one SimpleRNN step, for RNN(cell); state [h]",
    formula_text=SIMPLE_RNN_FORMULA,
    units_symbol="M",
    category="cells",
)

LSTM_CELL = LayerDef(
    macs=macs.cell_step,
    flops=flops.cell_step,
    class_name="LSTMCell",
    states=("h", "c"), gates=("i", "f", "c", "o"), step_of="LSTM", no_numpy=INSIDE_RNN,
    args=_cell_args(gated=True, lstm=True),
    infer=_cell(4, 2, False),
    summary="one LSTM step, for RNN(cell); states [h, c]",
    formula_text=LSTM_FORMULA,
    units_symbol="M",
    category="cells",
)

GRU_CELL = LayerDef(
    macs=macs.cell_step,
    flops=flops.cell_step,
    class_name="GRUCell",
    states=("h",), gates=("z", "r", "h"), step_of="GRU", no_numpy=INSIDE_RNN,
    args=_cell_args(gated=True, gru=True),
    infer=_cell(3, 1, True),
    summary="one GRU step, for RNN(cell); state [h]",
    formula_text=GRU_FORMULA,
    units_symbol="M",
    category="cells",
)


def _cell_list(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)) or not value:
        return "must be a non-empty list of cells"
    if not all(isinstance(c, LayerSpec) for c in value):
        return "must be a list of cells, e.g. [LSTMCell(8), GRUCell(4)]"
    return None


def _need_cell(spec: LayerSpec) -> None:
    if spec.class_name not in CELL_CLASSES:
        raise ArgumentError(
            f"{spec.class_name} is not an RNN cell",
            arg="cell",
            kind="invalid",
            layer=spec.name,
            hint=f"use a cell ({', '.join(sorted(CELL_CLASSES))}), or the layer {spec.class_name} directly "
            "instead of RNN(...)",
        )


def _stacked(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    cells: list[LayerSpec] = list(cfg["cells"])
    namer = Namer()
    for cell in cells:
        if cell.name is not None:
            namer.taken.add(cell.name)
    out = x
    states: list[Shape] = []
    weights: list[WeightSpec] = []
    parts = []
    step_macs: list[Macs] = []
    step_work: list[Macs] = []
    for index, cell in enumerate(cells):
        _need_cell(cell)
        name = namer.claim(cell.name, cell.class_name)
        built = ctx.build_nested(cell, [out])
        out = built.outputs[0]
        states += built.outputs[1:]
        weights += prefixed(name, built)
        if built.macs is not None:
            step_macs.append(built.macs)
        if built.elementwise is not None:
            step_work.append(built.elementwise)
        if built.formula is not None:
            parts.append((built.formula, f"U{index + 1}", f"U{index}" if index else None))
    return Built(
        outputs=(out, *states),
        weights=tuple(weights),
        formula=summed(parts) if len(parts) == len(cells) else None,
        macs=macs.summed(step_macs, [(p[1], p[2]) for p in parts]) if len(step_macs) == len(cells) else None,
        elementwise=macs.summed(step_work, [(p[1], p[2]) for p in parts]) if len(step_work) == len(cells) else None,
    )


STACKED_RNN_CELLS = LayerDef(
    macs=macs.from_children,
    flops=flops.from_children,
    class_name="StackedRNNCells",
    no_numpy=INSIDE_RNN,
    args=(Arg("cells", REQUIRED, _cell_list),),
    infer=_stacked,
    summary="chains cells in one step; each cell's input is the previous cell's output",
    formula_text="sum over cells, cell k built on cell k-1's units",
    category="cells",
)


def _rnn_cell(value: Any) -> str | None:
    if isinstance(value, LayerSpec):
        return None
    return _cell_list(value)


def _rnn(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (seq,) = inputs
    check_sequence_input(cfg, seq)
    cell = cfg["cell"]
    if not isinstance(cell, LayerSpec):  # RNN([c1, c2]) wraps the list in StackedRNNCells
        cell = LayerSpec("StackedRNNCells", {"cells": list(cell)})
    _need_cell(cell)
    name = cell.name or Namer().claim(None, cell.class_name)
    step = ctx.build_nested(cell, [(seq[0], seq[2])])
    units = step.outputs[0][-1]
    assert units is not None
    out: Shape = (seq[0], seq[1], units) if cfg["return_sequences"] else (seq[0], units)
    outputs = (out, *step.outputs[1:]) if cfg["return_state"] else (out,)
    # The cell's step runs once per timestep.
    loop_macs = macs.times(seq[1], step.macs) if step.macs is not None else None
    loop_work = macs.times(seq[1], step.elementwise) if step.elementwise is not None else None
    return Built(outputs=outputs, weights=prefixed(name, step), formula=step.formula, macs=loop_macs,
                 elementwise=loop_work)


RNN = LayerDef(
    macs=macs.from_children,
    flops=flops.from_children,
    class_name="RNN",
    initial_state=True, positional_build=True, numpy="rnn_wrappers:rnn_cells_template",
    args=(
        Arg("cell", REQUIRED, _rnn_cell),
        Arg("return_sequences", False, boolean),
        Arg("return_state", False, boolean),
        Arg("go_backwards", False, boolean),
        Arg("stateful", False, boolean),
        Arg("unroll", False, boolean),
        Arg("zero_output_for_mask", False, boolean),
    ),
    infer=_rnn,
    summary="runs a cell (or a list of cells) over the time axis; states nested per cell, shown flat",
    formula_text="the cell's (sum over cells for a stack)",
    units_symbol="M",
    category="recurrent",
)
