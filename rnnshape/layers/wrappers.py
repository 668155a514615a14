"""Bidirectional and TimeDistributed: layers that own other layers.

Weight names of a wrapper are the Keras weight paths without the wrapper's own
name and without the implicit cell of a built-in RNN layer:
``Bidirectional(LSTM(4))`` has ``forward_lstm/kernel`` ... ``backward_lstm/bias``
(Keras path ``bidirectional/forward_lstm/lstm_cell/kernel``), and
``TimeDistributed(Dense(8))`` has ``dense/kernel``. An unnamed inner layer is named
the way Keras names a fresh layer (``lstm``, ``dense``); Keras itself may append a
counter (``lstm_3``) that depends on what else the process created.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..errors import ArgumentError, ShapeError
from ..spec import LayerSpec, Shape, snake_case
from ..text import shown
from .formulas import scaled, summed
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, Formula, LayerDef, Macs, WeightSpec, format_shape, need_rank

# Layers that Bidirectional accepts: those with go_backwards/return_sequences.
RECURRENT_CLASSES = frozenset(
    {"SimpleRNN", "LSTM", "GRU", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
)
MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def layer_spec(value: Any) -> str | None:
    return None if isinstance(value, LayerSpec) else "must be a layer, e.g. LSTM(8)"


def prefixed(prefix: str, built: Built) -> tuple[WeightSpec, ...]:
    return tuple(replace(w, name=f"{prefix}/{w.name}") for w in built.weights)


def child_name(spec: LayerSpec) -> str:
    """Keras's default name for an unnamed inner layer, from its class: an alias names
    the same class (Convolution2D is Conv2D, so ``conv2d``)."""
    from . import ALIASES  # the registry module imports this one

    return spec.name or snake_case(ALIASES.get(spec.class_name, spec.class_name))


def _merge_mode(value: Any) -> str | None:
    if value in MERGE_MODES and not isinstance(value, bool):
        return None
    return 'must be one of "sum", "mul", "ave", "concat", None'


def _bidirectional(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    layer: LayerSpec = cfg["layer"]
    if layer.class_name not in RECURRENT_CLASSES:
        raise ArgumentError(
            f"Bidirectional wraps a recurrent layer, got {layer.class_name}",
            arg="layer",
            kind="invalid",
            layer=layer.name,
            hint="wrap SimpleRNN, LSTM, GRU, RNN(cell) or ConvLSTM; for per-step layers use TimeDistributed",
        )
    (seq,) = inputs[:1]
    need_rank(seq, (3,), at_least=True)
    fwd_name = "forward_" + child_name(layer).removeprefix("forward_")
    backward: LayerSpec | None = cfg["backward_layer"]
    if backward is None:
        if layer.args.get("go_backwards"):
            raise ArgumentError(
                f"the wrapped {layer.class_name} has go_backwards=True, but Keras builds the backward copy "
                "with go_backwards=True too, and refuses two layers running the same way",
                arg="layer",
                kind="invalid",
                layer=layer.name,
                hint="drop go_backwards from the wrapped layer",
            )
        # Keras serializes the layer and sets go_backwards=True on the copy.
        bwd_name = "backward_" + child_name(layer).removeprefix("backward_")
        bwd_spec = replace(layer, args={**layer.args, "go_backwards": True}, name=bwd_name)
    else:
        bwd_name = child_name(backward)
        bwd_spec = backward
        _check_backward(layer, backward)
    fwd = ctx.build_nested(replace(layer, name=fwd_name), [seq])
    bwd = ctx.build_nested(bwd_spec, [seq])
    mode = cfg["merge_mode"]
    f_out, b_out = fwd.outputs[0], bwd.outputs[0]
    if mode is None:
        merged: tuple[Shape, ...] = (f_out, b_out)
    elif mode == "concat":
        if f_out[:-1] != b_out[:-1]:
            raise _mismatch(mode, f_out, b_out)
        merged = (f_out[:-1] + (_add(f_out[-1], b_out[-1]),),)
    else:
        if f_out != b_out:
            raise _mismatch(mode, f_out, b_out)
        merged = (f_out,)
    outputs = merged + fwd.outputs[1:] + bwd.outputs[1:]
    weights = prefixed(fwd_name, fwd) + prefixed(bwd_name, bwd)
    mirrored = backward is None or _mirrors(fwd, bwd)
    formula = _pair_formula(fwd, bwd, copied=mirrored)
    # Both directions run in full: their MACs add (twice the forward's when they mirror), and so
    # does their element-wise work, plus the merge's.
    if mirrored:
        cost, work = _doubled(fwd.macs), [_doubled(fwd.elementwise)]
    else:
        cost, work = _child_sum([fwd.macs, bwd.macs]), [fwd.elementwise, bwd.elementwise]
    merge = flops.bidirectional_merge(mode, f_out)
    return Built(outputs=outputs, weights=weights, formula=formula, macs=cost, elementwise=_child_sum([*work, merge]))


def _mirrors(fwd: Built, bwd: Built) -> bool:
    """A stored backward layer that is the forward one run backwards (Keras 3 files save the
    default copy, with fresh initializer ids): the same weights and the same costs."""
    return (
        [w.shape for w in fwd.weights] == [w.shape for w in bwd.weights]
        and fwd.formula == bwd.formula and fwd.macs == bwd.macs and fwd.elementwise == bwd.elementwise
    )


def _doubled(part: Macs | None) -> Macs | None:
    return None if part is None else macs.doubled(part)


def _child_sum(parts: Sequence[Macs | None]) -> Macs | None:
    if any(p is None for p in parts):
        return None
    kept = [p for p in parts if p is not None and (p.value != 0 or p.terms)]
    return macs.summed(kept) if kept else Macs(0)


def _pair_formula(fwd: Built, bwd: Built, *, copied: bool) -> Formula | None:
    if fwd.formula is None or bwd.formula is None:
        return None
    if copied:
        return scaled(2, fwd.formula)
    return summed([(fwd.formula, None, None), (bwd.formula, "Ub", None)])


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _mismatch(mode: str, f_out: Shape, b_out: Shape) -> ShapeError:
    return ShapeError(
        f"merge_mode={shown(mode)} cannot merge the forward output {format_shape(f_out)} "
        f"with the backward output {format_shape(b_out)}",
        hint="give backward_layer the same units as the forward layer, or use merge_mode=None",
    )


def _check_backward(layer: LayerSpec, backward: LayerSpec) -> None:
    """The rules Keras enforces when a custom backward_layer is given."""
    if backward.class_name not in RECURRENT_CLASSES:
        raise ArgumentError(
            f"backward_layer must be a recurrent layer, got {backward.class_name}",
            arg="backward_layer",
            kind="invalid",
            layer=backward.name,
        )
    if bool(layer.args.get("go_backwards", False)) == bool(backward.args.get("go_backwards", False)):
        raise ArgumentError(
            "the forward and backward layers of Bidirectional need different go_backwards values",
            arg="backward_layer",
            kind="invalid",
            layer=backward.name,
            hint="set go_backwards=True on backward_layer",
        )
    for flag in ("stateful", "return_sequences", "return_state"):
        if bool(layer.args.get(flag, False)) != bool(backward.args.get(flag, False)):
            raise ArgumentError(
                f"the forward and backward layers of Bidirectional must agree on {flag}",
                arg="backward_layer",
                kind="invalid",
                layer=backward.name,
                hint=f"give both layers the same {flag}",
            )


BIDIRECTIONAL = LayerDef(
    macs=macs.from_children,
    flops=flops.from_children,
    class_name="Bidirectional",
    initial_state=True, positional_build=True, numpy="rnn_wrappers:bidirectional_template",
    args=(
        Arg("layer", REQUIRED, layer_spec),
        Arg("merge_mode", "concat", _merge_mode),
        Arg("weights", None),
        Arg("backward_layer", None, layer_spec),
    ),
    infer=_bidirectional,
    summary="runs a recurrent layer forwards and a copy backwards; merges the two outputs "
    "(concat doubles the last axis; merge_mode=None returns both)",
    formula_text="forward + backward: 2·inner for the default copy",
    category="wrappers",
)


def _time_distributed(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    if len(x) < 3:
        raise ShapeError(
            f"expects an input with at least 3 axes (batch, timesteps, ...), got {len(x)}-D {format_shape(x)}",
            hint="TimeDistributed applies its layer to every timestep; the layer before must return "
            "sequences (return_sequences=True)",
        )
    inner: LayerSpec = cfg["layer"]
    name = child_name(inner)
    child = ctx.build_nested(inner, [(x[0], *x[2:])])
    if len(child.outputs) != 1:
        raise ShapeError(
            f"the wrapped {inner.class_name} returns {len(child.outputs)} tensors, "
            "but TimeDistributed handles one",
            hint="drop return_state on the wrapped layer",
        )
    (out,) = child.outputs
    formula = child.formula
    # The wrapped layer runs once per timestep.
    step_macs = macs.times(x[1], child.macs) if child.macs is not None else None
    return Built(
        outputs=((out[0], x[1], *out[1:]),),
        weights=prefixed(name, child),
        formula=formula,
        macs=step_macs,
        elementwise=macs.times(x[1], child.elementwise) if child.elementwise is not None else None,
    )


TIME_DISTRIBUTED = LayerDef(
    macs=macs.from_children,
    flops=flops.from_children,
    class_name="TimeDistributed",
    numpy="templates:time_distributed_template",
    args=(Arg("layer", REQUIRED, layer_spec),),
    infer=_time_distributed,
    summary="applies its layer to every timestep: (N, T, *S) -> (N, T, *layer(S))",
    formula_text="the wrapped layer's",
    category="wrappers",
)
