"""RS1xx: errors. Keras 3 would refuse to build the model, or it breaks a stated expectation."""

from __future__ import annotations

from typing import Iterator

from ..hints import sentence_start
from ..expect import check_expectations
from ..graph import nested_model
from ..layers import ALIASES, REGISTRY, REMOVED
from ..layers.base import did_you_mean
from ..layers.keras_names import KERAS_LAYER_CLASSES
from ..text import shown
from .context import ModelContext
from .helpers import describe, flag
from .problem import Finding, Level
from .rule import Check, Rule

# Arguments that are Keras 1/2 only get their own rule (RS201), not "unknown argument".
from .vocabulary import KERAS2_ARGS, multi_output_arg

RS101 = Rule(
    "RS101", "wrong-input-rank", Level.ERROR,
    "A layer receives a tensor of the wrong rank.",
    "Make the previous layer return the rank this layer needs",
    """
What it does
    Follows the shapes through the model and flags a layer whose input has the wrong
    number of axes, e.g. an LSTM (which needs (batch, timesteps, features)) fed by an
    RNN that returns only its last step (batch, units).

Why is this bad?
    Keras refuses to build the model: "Input 0 ... is incompatible with the layer:
    expected ndim=3, found ndim=2".

Example
    layers:
      - LSTM: 32            # returns (batch, 32): the time axis is gone
      - LSTM: 16            # RS101: expects 3-D input, got 2-D

Fix
    Set return_sequences: true on every recurrent layer that feeds another recurrent
    layer:  - LSTM: {units: 32, return_sequences: true}
""",
)


RS102 = Rule(
    "RS102", "incompatible-merge-shapes", Level.ERROR,
    "A merge layer (Concatenate, Add, ...) gets inputs whose shapes do not fit together.",
    "Make the merged tensors agree on every axis except the concatenation axis",
    """
What it does
    Checks the input shapes of Concatenate, Add, Subtract, Multiply, Average, Maximum,
    Minimum and Dot.

Why is this bad?
    Keras raises "A `Concatenate` layer requires inputs with matching shapes except for
    the concatenation axis" (or "Inputs have incompatible shapes" for Add and friends).

Example
    Concatenate()([lstm_a, lstm_b]) where lstm_a is (None, 10, 4) and lstm_b (None, 5, 3).

Fix
    Give both branches the same time axis (and, for Add/Multiply/..., the same units),
    or concatenate along the axis that differs.
""",
)


def _stateful(ctx: ModelContext) -> Iterator[Finding]:
    if any(size is not None for size in ctx.batch_sizes):
        return
    if any(not inp.args for inp in ctx.model.inputs):
        return  # no input declared (RS905): Keras 3 takes the batch size from the first call
    for site in ctx.layers():
        if flag(site.spec, "stateful"):
            yield Finding(
                f"{describe(site.spec)} has stateful=True, but the model's batch size is not fixed",
                site.spec,
                "stateful",
            )


RS103 = Rule(
    "RS103", "stateful-without-batch-size", Level.ERROR,
    "stateful=True on a layer of a model whose batch size is not fixed.",
    "Fix the batch size: batch_input_shape: [B, T, D] in YAML, or keras.Input(shape, batch_size=B)",
    """
What it does
    Flags recurrent layers with stateful=True when no model input declares a batch size.

Why is this bad?
    A stateful RNN keeps one state row per sample between batches, so it must know the
    batch size when it is built. Keras raises "When using `stateful=True` in a RNN, the
    batch size must be static".

Example
    input_shape: [10, 8]
    layers:
      - LSTM: {units: 16, stateful: true}     # RS103

Fix
    batch_input_shape: [32, 10, 8]   (or drop stateful)
""",
    _stateful,
)


def _unknown_layer(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.sites:
        name = site.spec.class_name
        if name in REGISTRY or name in ALIASES or name in REMOVED or name in KERAS_LAYER_CLASSES:
            continue  # a Keras layer rnnshape lacks is RS906, raised where inference stops
        if nested_model(site.spec) is not None:
            continue  # a model used as a layer (``encoder(x)``): its own layers are linted with it
        if site.spec.defined_at is not None:
            continue  # a class the file defines is RS904, raised where inference stops
        hint = did_you_mean(name, list(REGISTRY) + list(ALIASES))
        yield Finding(f"unknown layer class '{name}'", site.spec, fix=hint and sentence_start(hint))


RS104 = Rule(
    "RS104", "unknown-layer", Level.ERROR,
    "A layer class that Keras 3 does not have (a typo, or a custom class rnnshape cannot read).",
    "Check the spelling of the class name; `rnnshape layers` lists the supported ones",
    """
What it does
    Flags layer class names that keras.layers does not have, with the closest known
    name. A real Keras layer that rnnshape does not support is RS906 (a warning).

Why is this bad?
    Keras cannot deserialize an unknown class, and rnnshape cannot infer any shape after
    it.

Example
    - LTSM: 8          # RS104: did you mean 'LSTM'?

Fix
    Use the exact Keras class name, e.g. LSTM, GRU, SimpleRNN, Dense.
""",
    _unknown_layer,
)


def _arg_issues(kind: str) -> Check:
    def check(ctx: ModelContext) -> Iterator[Finding]:
        for site in ctx.sites:
            for issue in ctx.arg_issues(site.spec):
                if issue.kind != kind or issue.arg in KERAS2_ARGS:
                    continue
                fix = sentence_start(issue.hint) if issue.hint and issue.hint.startswith("did you") else issue.hint
                yield Finding(issue.message, site.spec, issue.arg if kind != "missing" else None, fix=fix)

    return check


RS105 = Rule(
    "RS105", "unknown-argument", Level.ERROR,
    "A layer gets a keyword argument it does not take.",
    "Use one of the layer's own argument names",
    """
What it does
    Compares every keyword argument with the Keras 3 constructor of the layer and
    suggests the closest real name.

Why is this bad?
    Keras 3 raises "Unrecognized keyword arguments passed to LSTM: {...}". A typo such
    as return_sequence is never silently ignored.

Example
    - LSTM: {units: 8, return_sequence: true}    # RS105: did you mean 'return_sequences'?

Fix
    - LSTM: {units: 8, return_sequences: true}
""",
    _arg_issues("unknown"),
)


RS106 = Rule(
    "RS106", "invalid-argument-value", Level.ERROR,
    "An argument has a value Keras rejects (units <= 0, a rate outside [0, 1), an unknown activation, ...).",
    "Give the argument a value in its valid range",
    """
What it does
    Validates argument values the way Keras does: units are positive integers, dropout
    rates lie in [0, 1), activations are names Keras knows, flags are booleans.

Why is this bad?
    Keras raises at construction ("Received an invalid value for argument `units`,
    expected a positive integer, got 0.") or, for rates, at training time.

Example
    - LSTM: {units: 0}                 # RS106
    - Dropout: 1.5                     # RS106: rate must be in [0, 1)

Fix
    - LSTM: {units: 8}
    - Dropout: 0.5
""",
    _arg_issues("invalid"),
)


RS107 = Rule(
    "RS107", "missing-argument", Level.ERROR,
    "A required argument is missing (e.g. units of an LSTM).",
    "Give the required argument",
    """
What it does
    Flags layers written without an argument Keras requires, such as units for
    SimpleRNN/LSTM/GRU/Dense or rate for Dropout.

Why is this bad?
    Keras raises a TypeError for the missing positional argument.

Example
    - LSTM: {return_sequences: true}      # RS107: LSTM needs the argument 'units'

Fix
    - LSTM: {units: 32, return_sequences: true}
""",
    _arg_issues("missing"),
)


def _several_tensors(ctx: ModelContext) -> Iterator[Finding]:
    if not ctx.model.sequential:
        return
    for site in ctx.layers():
        if site.nested or site.is_last:
            continue
        arg = multi_output_arg(site.spec)
        if arg:
            yield Finding(
                f"{describe(site.spec)} returns several tensors ({arg}={shown(site.spec.args[arg])}), "
                "but in a Sequential model the next layer takes one",
                site.spec,
                arg,
            )


RS108 = Rule(
    "RS108", "several-tensors-in-sequential", Level.ERROR,
    "A layer in the middle of a Sequential model returns several tensors (return_state, merge_mode=None).",
    "Drop return_state / use a merge_mode, or move to the Functional API to route the states",
    """
What it does
    Flags return_state=True, and Bidirectional merge_mode=None, on a layer that is not
    the last of a Sequential model.

Why is this bad?
    Such a layer returns a list ([output, *states], or [forward, backward]), and the
    next layer of a Sequential model takes exactly one tensor: Keras raises 'Layer
    "dense" expects 1 input(s), but it received 3 input tensors'.

Example
    layers:
      - LSTM: {units: 8, return_state: true}    # RS108
      - Dense: 1

Fix
    Remove return_state (a Sequential model cannot use the states anyway), or build
    the model with the Functional API and pass the states where they are needed.
""",
    _several_tensors,
)


RS109 = Rule(
    "RS109", "shape-mismatch", Level.ERROR,
    "The shapes of the model do not fit together (other than a wrong rank or a merge).",
    "Follow the hint: it names the axis and the layer",
    """
What it does
    Reports any other shape error found while following the shapes through the model,
    e.g. a weight built on an unknown (None) feature axis, or a wrapper given an input of
    too low a rank.

Why is this bad?
    Keras would fail to build the model, usually with a less specific message.

Example
    input_shape: [10, null]
    layers:
      - LSTM: 8          # RS109: the last axis of its input is unknown

Fix
    Give the feature axis a size: input_shape: [10, 3].
""",
)


def _duplicate_names(ctx: ModelContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for site in ctx.sites:
        if site.nested:
            continue
        written = site.spec.args.get("name")
        if isinstance(written, str):
            if written in seen:
                yield Finding(f"the layer name '{written}' is used twice", site.spec, "name")
            seen.add(written)


RS110 = Rule(
    "RS110", "duplicate-layer-name", Level.ERROR,
    "Two layers of one model have the same name.",
    "Give every layer a unique name (or none: Keras numbers the defaults)",
    """
What it does
    Flags a layer name written twice in one model.

Why is this bad?
    Keras raises "All layers added to a Sequential model should have unique names", and
    weights are saved and loaded by name.

Example
    - LSTM: {units: 8, name: enc, return_sequences: true}
    - LSTM: {units: 8, name: enc}      # RS110

Fix
    Rename one of them, or leave names out.
""",
    _duplicate_names,
)


_DECLARE_INPUT = "Declare the input shape (keras.Input(shape=...), or input_shape: in the config) to have it checked"


def _expectation(key: str) -> Check:
    def check(ctx: ModelContext) -> Iterator[Finding]:
        if ctx.report is None:
            return
        for mismatch in check_expectations(ctx.report, ctx.model.expect):
            if mismatch.key == key:
                if mismatch.undecided:
                    yield Finding(mismatch.message, pos=mismatch.pos, level=Level.INFO, fix=_DECLARE_INPUT)
                else:
                    yield Finding(mismatch.message, pos=mismatch.pos)

    return check


RS121 = Rule(
    "RS121", "expect-output-shape", Level.ERROR,
    "The model's output shape differs from expect.output_shape.",
    "Fix the model, or update expect.output_shape (it includes the batch axis: null first)",
    """
What it does
    Compares the inferred output shape with the config's expect.output_shape.

Why is this bad?
    The expectation records what the rest of your code relies on; a model that drifted
    from it will fail later, in training or serving.

Example
    layers: [{LSTM: 8}, {Dense: 2}]
    expect: {output_shape: [null, 3]}      # RS121: the model outputs (None, 2)

Fix
    Change the last layer's units, or the expectation.
""",
    _expectation("output_shape"),
    stage="report",
)


RS122 = Rule(
    "RS122", "expect-params", Level.ERROR,
    "The model's parameter count differs from expect.params.",
    "Fix the model, or update expect.params",
    """
What it does
    Compares the total parameter count (derived from the weight shapes) with
    expect.params, and shows the per-layer breakdown.

Why is this bad?
    A changed count means a changed architecture: saved weights will no longer load.

Example
    input_shape: [10, 3]
    layers: [{SimpleRNN: 5}, {Dense: 2}]
    expect: {params: 50}                   # RS122: the model has 57 (45 + 12)

Fix
    Update the expectation if the change is intended.
""",
    _expectation("params"),
    stage="report",
)


RS123 = Rule(
    "RS123", "param-budget", Level.ERROR,
    "The model has more parameters than expect.max_params allows.",
    "Shrink the largest layer, or raise the budget",
    """
What it does
    Compares the total parameter count with expect.max_params and names the largest
    layer.

Why is this bad?
    The budget stands for a memory or latency limit of the deployment target.

Example
    layers: [{LSTM: 512}]
    expect: {max_params: 100000}           # RS123

Fix
    Use fewer units (an LSTM grows with 4·M(D+M+1)), or raise max_params.
""",
    _expectation("max_params"),
    stage="report",
)


RS124 = Rule(
    "RS124", "mac-budget", Level.ERROR,
    "The model does more multiply-accumulates per sample than expect.max_macs allows.",
    "Shrink the costliest layer or the sequence, or raise the budget",
    """
What it does
    Compares the model's MACs for one sample's forward pass (explain --cost,
    docs/cost.md) with expect.max_macs and names the costliest layer. When a layer's
    count is unknown (timesteps None) the budget cannot be checked, which is reported too.

Why is this bad?
    The budget stands for a latency or energy limit of the deployment target; a
    recurrent layer's MACs grow with every timestep.

Example
    input_shape: [100, 8]
    layers: [{LSTM: 256}]
    expect: {max_macs: 1000000}            # RS124: T·4M(D+M) = 27,033,600

Fix
    Use fewer units or shorter sequences (an LSTM costs T·4M(D+M)), or raise max_macs.
""",
    _expectation("max_macs"),
    stage="report",
)


RULES = (RS101, RS102, RS103, RS104, RS105, RS106, RS107, RS108, RS109, RS110, RS121, RS122, RS123, RS124)
