"""RS2xx: models Keras builds without complaint that do not do what they seem to."""

from __future__ import annotations

from typing import Iterator

from ..layers.base import format_shape
from ..text import shown
from .context import ModelContext
from .helpers import PASS_THROUGH, describe, flag, is_recurrent
from .problem import Finding, Level
from .rule import Rule
from .vocabulary import multi_output_arg

def _dense_per_timestep(ctx: ModelContext) -> Iterator[Finding]:
    if ctx.report is None or _sequence_output_expected(ctx):
        return
    for ref in ctx.model.outputs:
        last = ctx.layer_report(ref.layer)
        if last is None or last.class_name != "Dense" or not last.input_shapes or len(last.input_shapes[0]) != 3:
            continue
        rnn = ctx.producer(last, PASS_THROUGH)
        if rnn is None or not is_recurrent(rnn.class_name) or not rnn.config.get("return_sequences"):
            continue
        out = last.outputs[0]
        yield Finding(
            f"the output layer '{last.name}' (Dense) gets the whole sequence from '{rnn.name}' and outputs "
            f"one vector per timestep {format_shape(out)}",
            last.spec,
            fix=f"Set return_sequences=False on '{rnn.name}' to output one vector per sequence "
            "(or keep it and wrap the intent in TimeDistributed(Dense) to make it explicit)",
        )


def _sequence_output_expected(ctx: ModelContext) -> bool:
    """An ``expect.output_shape`` of rank 3 says one output per timestep is the intent."""
    wanted = ctx.model.expect.output_shape if ctx.model.expect else None
    return isinstance(wanted, list) and len(wanted) == 3 and all(not isinstance(d, list) for d in wanted)


RS204 = Rule(
    "RS204", "dense-per-timestep", Level.WARNING,
    "The output Dense layer gets a whole sequence (return_sequences=True before it): one output per timestep.",
    "Set return_sequences=False on the last recurrent layer",
    """
What it does
    Flags a model whose output layer is a Dense applied to the 3-D output of a
    recurrent layer with return_sequences=True (Dropout and similar layers in between
    are looked through).

Why is this bad?
    Keras applies Dense to the last axis, so (batch, T, units) becomes (batch, T, K):
    one prediction per timestep. Keras raises nothing; the mistake shows up later as a
    target shape mismatch or a silently wrong loss.

Example
    layers:
      - LSTM: {units: 32, return_sequences: true}
      - Dense: 1               # RS204: outputs (None, 10, 1)

Fix
    Set return_sequences=False on the last LSTM for one output per sequence. If you do
    want one per timestep (sequence tagging), say so with a 3-D
    expect.output_shape: [null, T, K] (the rule then stays quiet), or ignore it on that
    line: # rnnshape: ignore[RS204]
""",
    _dense_per_timestep,
    stage="report",
)


def _multi_output_last(ctx: ModelContext) -> Iterator[Finding]:
    if not ctx.model.sequential:
        return
    for site in ctx.layers():
        if site.is_last and not site.nested:
            arg = multi_output_arg(site.spec)
            if arg:
                yield Finding(
                    f"{describe(site.spec)} has {arg}={shown(site.spec.args[arg])}, so the Sequential model "
                    "outputs a list of tensors",
                    site.spec,
                    arg,
                )


RS205 = Rule(
    "RS205", "multi-output-sequential", Level.WARNING,
    "The last layer of a Sequential model returns several tensors (return_state, merge_mode=None).",
    "Use the Functional API when you need the states, or drop return_state",
    """
What it does
    Flags return_state=True or merge_mode=None on the last layer of a Sequential model.

Why is this bad?
    The model then outputs a list ([output, h, c] for an LSTM). Keras builds it, but
    losses, metrics and code expecting one tensor break later.

Example
    layers:
      - LSTM: {units: 8, return_state: true}     # RS205

Fix
    Use keras.Model(inputs, [out, h, c]) (Functional API) when you need the states.
""",
    _multi_output_last,
)


# Longer sequences than this should not be unrolled (one copy of the cell per step).
MAX_UNROLL_STEPS = 100


def _unroll(ctx: ModelContext) -> Iterator[Finding]:
    if ctx.report is None:
        return
    for site in ctx.layers():
        cfg = ctx.config(site.spec)
        if not cfg or cfg.get("unroll") is not True:
            continue
        top = ctx.layer_report(site.top.name)
        if top is None or not top.input_shapes or len(top.input_shapes[0]) < 3:
            continue
        steps = top.input_shapes[0][1]
        if steps is None:
            yield Finding(f"{describe(site.spec)} has unroll=True, but the number of timesteps is unknown",
                          site.spec, "unroll")
        elif steps > MAX_UNROLL_STEPS:
            yield Finding(
                f"{describe(site.spec)} has unroll=True over {steps} timesteps (more than {MAX_UNROLL_STEPS})",
                site.spec,
                "unroll",
            )


RS206 = Rule(
    "RS206", "unroll-long-sequence", Level.WARNING,
    f"unroll=True with an unknown number of timesteps, or more than {MAX_UNROLL_STEPS}.",
    "Remove unroll=True, or fix a short time axis",
    """
What it does
    Flags recurrent layers with unroll=True whose input has an unknown (None) time axis
    or more than 100 timesteps.

Why is this bad?
    Unrolling copies the cell once per timestep: memory grows with T, and Keras's
    source says "Cannot unroll a RNN if the time dimension is undefined". With the
    TensorFlow backend that error is not always raised, so the cost shows up later.
    unroll=True also disables the cuDNN kernel (RS208).

Example
    input_shape: [null, 8]
    layers:
      - LSTM: {units: 16, unroll: true}      # RS206

Fix
    Drop unroll, or declare a short fixed time axis.
""",
    _unroll,
    stage="report",
)


def _go_backwards(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        spec = site.spec
        if site.parent is not None and site.parent.class_name == "Bidirectional":
            continue
        if flag(spec, "go_backwards") and flag(spec, "return_sequences"):
            yield Finding(
                f"{describe(spec)} has go_backwards=True and return_sequences=True: "
                "its output sequence comes back reversed in time",
                spec,
                "go_backwards",
            )


RS207 = Rule(
    "RS207", "go-backwards-reversed-sequence", Level.WARNING,
    "go_backwards=True with return_sequences=True outside Bidirectional: the output sequence is reversed.",
    "Flip the output back (keras.ops.flip(x, axis=1)), or use Bidirectional",
    """
What it does
    Flags a recurrent layer, not inside Bidirectional, with both go_backwards=True and
    return_sequences=True.

Why is this bad?
    The layer returns its outputs in processing order, so step 0 of the output belongs
    to the last input step. Keras does not flip it back (only Bidirectional does), and
    later layers silently see time running backwards.

Example
    - GRU: {units: 8, go_backwards: true, return_sequences: true}     # RS207

Fix
    Reverse the output again, or use Bidirectional(GRU(8, return_sequences=True)).
""",
    _go_backwards,
)


def _softmax_one_unit(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        cfg = ctx.config(site.spec)
        if site.spec.class_name == "Dense" and cfg and cfg.get("units") == 1 and cfg.get("activation") == "softmax":
            yield Finding(
                f"{describe(site.spec)} has one unit with activation='softmax': it always outputs 1.0",
                site.spec,
                "activation",
            )


RS212 = Rule(
    "RS212", "softmax-single-unit", Level.WARNING,
    "Dense(1, activation='softmax') always outputs 1.0.",
    "Use activation='sigmoid' for one unit, or as many units as classes",
    """
What it does
    Flags a Dense layer with one unit and a softmax activation.

Why is this bad?
    Softmax normalises across the units; over a single unit the result is exactly 1.0
    for every input, so the model cannot learn anything.

Example
    - Dense: {units: 1, activation: softmax}    # RS212

Fix
    - Dense: {units: 1, activation: sigmoid}    # binary
    - Dense: {units: 3, activation: softmax}    # 3 classes
""",
    _softmax_one_unit,
)


RULES = (RS204, RS205, RS206, RS207, RS212)
