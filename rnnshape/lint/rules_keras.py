"""RS2xx: Keras pitfalls. Keras 1/2 idioms Keras 3 rejects or ignores, and smells."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..layers import ALIASES, REGISTRY, REMOVED
from ..layers.base import format_shape
from ..spec import LayerSpec
from .context import ModelContext
from .helpers import PASS_THROUGH, describe, flag, is_recurrent
from .problem import Finding, Level
from .rule import Rule

# Keras 1/2 keyword arguments that Keras 3 layers refuse ("Unrecognized keyword
# arguments"), with what to write instead.
KERAS2_ARGS: Mapping[str, str] = {
    "time_major": "remove it: Keras 3 RNNs are always batch-major (batch, time, features); transpose the data instead",
    "batch_input_shape": "declare the input once: keras.Input(batch_shape=...) (YAML: batch_input_shape: at the top level)",
    "batch_size": "declare the batch size on the input: keras.Input(shape=..., batch_size=...) (YAML: batch_input_shape:)",
    "output_dim": "Keras 1 name: use units",
    "init": "Keras 1 name: use kernel_initializer",
    "inner_init": "Keras 1 name: use recurrent_initializer",
    "inner_activation": "Keras 1 name: use recurrent_activation",
    "W_regularizer": "Keras 1 name: use kernel_regularizer",
    "U_regularizer": "Keras 1 name: use recurrent_regularizer",
    "b_regularizer": "Keras 1 name: use bias_regularizer",
    "dropout_W": "Keras 1 name: use dropout",
    "dropout_U": "Keras 1 name: use recurrent_dropout",
    "consume_less": "Keras 1 name: remove it (Keras 3 picks the implementation itself)",
}

# Input-declaring arguments Keras 3 reads only on the first layer of a Sequential.
# (batch_size= is not one: every Keras 3 layer but InputLayer refuses it, RS201.)
INPUT_ARGS = ("input_shape", "input_dim")

# Longer sequences than this should not be unrolled (one copy of the cell per step).
MAX_UNROLL_STEPS = 100

CUDNN_LAYERS = frozenset({"LSTM", "GRU"})


def _activation_name(value: Any) -> Any:
    """``'tanh'``, or the function name inside a serialized activation."""
    if isinstance(value, Mapping):
        inner = value.get("config")
        return inner if isinstance(inner, str) else value
    return value


def cudnn_blockers(class_name: str, cfg: Mapping[str, Any]) -> list[str]:
    """Why Keras 3 (TensorFlow backend) will not run this LSTM/GRU with cuDNN.

    The conditions of keras/src/layers/rnn/{lstm,gru}.py and backend cudnn_ok():
    activation is tanh, recurrent_activation is sigmoid, recurrent_dropout is 0,
    unroll is False, use_bias is True, GRU reset_after is True, use_cudnn is not False.
    """
    reasons = []
    if _activation_name(cfg.get("activation")) != "tanh":
        reasons.append(f"activation={cfg.get('activation')!r} (needs 'tanh')")
    if _activation_name(cfg.get("recurrent_activation")) != "sigmoid":
        reasons.append(f"recurrent_activation={cfg.get('recurrent_activation')!r} (needs 'sigmoid')")
    if cfg.get("recurrent_dropout"):
        reasons.append(f"recurrent_dropout={cfg.get('recurrent_dropout')!r} (needs 0)")
    if cfg.get("unroll"):
        reasons.append("unroll=True (needs False)")
    if not cfg.get("use_bias", True):
        reasons.append("use_bias=False (needs True)")
    if class_name == "GRU" and not cfg.get("reset_after", True):
        reasons.append("reset_after=False (needs True)")
    return reasons


def own_args(class_name: str) -> frozenset[str]:
    """The layer's own Keras 3 arguments: Embedding's output_dim/input_dim and
    InputLayer's batch_size are not the Keras 1/2 or input-declaring ones."""
    layer_def = REGISTRY.get(ALIASES.get(class_name, class_name))
    return frozenset(layer_def.arg_names) if layer_def is not None else frozenset()


def _keras2_args(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.sites:
        spec = site.spec
        for key in (*spec.args, *spec.legacy):
            if key not in KERAS2_ARGS or key in own_args(spec.class_name):
                continue
            yield Finding(
                f"{key}= is a Keras 1/2 argument that Keras 3 rejects on {spec.class_name}",
                spec,
                key,
                fix=KERAS2_ARGS[key][0].upper() + KERAS2_ARGS[key][1:],
            )


def _ignored_input_args(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        for key in INPUT_ARGS:
            if key in site.spec.args and key not in own_args(site.spec.class_name):
                where = "a nested layer" if site.nested else "a layer that is not the first"
                yield Finding(f"{key}= on {where} is ignored by Keras 3", site.spec, key)


def _removed_layers(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.sites:
        if site.spec.class_name in REMOVED:
            replacement = REMOVED[site.spec.class_name]
            yield Finding(
                f"{site.spec.class_name} was removed in Keras 3",
                site.spec,
                fix=f"Use {replacement}",
            )


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


def _multi_output_last(ctx: ModelContext) -> Iterator[Finding]:
    from .rules_shape import multi_output_arg

    if not ctx.model.sequential:
        return
    for site in ctx.layers():
        if site.is_last and not site.nested:
            arg = multi_output_arg(site.spec)
            if arg:
                yield Finding(
                    f"{describe(site.spec)} has {arg}={site.spec.args[arg]!r}, so the Sequential model "
                    "outputs a list of tensors",
                    site.spec,
                    arg,
                )


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


def _cudnn_sites(ctx: ModelContext) -> Iterator[tuple[LayerSpec, dict[str, Any], list[str]]]:
    for site in ctx.layers():
        if site.spec.class_name not in CUDNN_LAYERS:
            continue
        cfg = ctx.config(site.spec)
        if cfg is not None:
            yield site.spec, cfg, cudnn_blockers(site.spec.class_name, cfg)


def _first_blocking_arg(spec: LayerSpec, reasons: list[str]) -> str | None:
    for reason in reasons:
        key = reason.split("=")[0]
        if key in spec.args:
            return key
    return None


def _no_cudnn(ctx: ModelContext) -> Iterator[Finding]:
    for spec, cfg, reasons in _cudnn_sites(ctx):
        if reasons and cfg.get("use_cudnn") == "auto":
            yield Finding(
                f"{describe(spec)} will not use the fast cuDNN kernel on GPU: {', '.join(reasons)}",
                spec,
                _first_blocking_arg(spec, reasons),
            )


def _cudnn_forced(ctx: ModelContext) -> Iterator[Finding]:
    for spec, cfg, reasons in _cudnn_sites(ctx):
        if reasons and cfg.get("use_cudnn") is True:
            yield Finding(
                f"{describe(spec)} has use_cudnn=True, but cuDNN cannot run it: {', '.join(reasons)}",
                spec,
                "use_cudnn",
            )


def _hard_sigmoid(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        for key in ("activation", "recurrent_activation"):
            if _activation_name(site.spec.args.get(key)) == "hard_sigmoid":
                yield Finding(
                    f"{describe(site.spec)} uses {key}='hard_sigmoid', which Keras 3 computes differently from Keras 2",
                    site.spec,
                    key,
                )


def _input_shape_first(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        if site.index == 0 and not site.nested and "batch_input_shape" not in site.spec.legacy:
            for key in ("input_shape", "input_dim"):
                if key in site.spec.legacy:
                    yield Finding(
                        f"{key}= on the first layer is deprecated in Keras 3 (it warns)", site.spec, key
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


def _implementation(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        if "implementation" in site.spec.args and is_recurrent(site.spec.class_name):
            yield Finding(
                f"implementation= has no effect on {site.spec.class_name} in Keras 3", site.spec, "implementation"
            )


RULES = (
    Rule(
        "RS201", "keras2-argument", Level.ERROR,
        "A Keras 1/2 keyword argument that Keras 3 rejects (time_major, batch_input_shape or batch_size on a layer, output_dim, ...).",
        "Use the Keras 3 spelling",
        """
What it does
    Flags arguments from Keras 1 and 2 that Keras 3 layers no longer take:
    time_major, batch_input_shape and batch_size on a layer (not on InputLayer, also
    on the first layer of a Sequential), and Keras 1 names such as output_dim, init,
    inner_activation, dropout_W, consume_less. A layer's own Keras 3 argument of the
    same name is not flagged (Embedding's output_dim and input_dim). It also sees them
    in Keras 2 files, where rnnshape reads past them.

Why is this bad?
    Keras 3 raises "Unrecognized keyword arguments passed to LSTM: {'time_major':
    False}". Every tf.keras 2.x RNN config carries time_major, so Keras 3 cannot load
    such a file as it is.

Example
    - LSTM: {units: 8, time_major: false}                   # RS201
    - LSTM: {units: 8, batch_input_shape: [32, 10, 3]}      # RS201
    - Dense: {units: 1, batch_size: 32}                     # RS201

Fix
    Remove time_major (transpose the data to (batch, time, features) instead); declare
    the input with keras.Input(batch_shape=...) or the config's top-level
    batch_input_shape; rename Keras 1 arguments (output_dim -> units, ...).
""",
        _keras2_args,
    ),
    Rule(
        "RS202", "ignored-input-argument", Level.WARNING,
        "input_shape/input_dim on a layer that is not the model's first: Keras 3 ignores it.",
        "Remove it; declare the input once, on the first layer or as an Input",
        """
What it does
    Flags input_shape and input_dim given to any layer except the first layer of a
    Sequential model (including layers nested in wrappers). Embedding's own input_dim
    (its vocabulary size) is not flagged; batch_size on a layer is RS201 (Keras 3
    refuses it).

Why is this bad?
    Keras 3 warns "Do not pass an `input_shape`/`input_dim` argument to a layer" and
    otherwise ignores it. The shape written there may not even be the shape the layer
    receives, which misleads readers.

Example
    input_shape: [10, 3]
    layers:
      - LSTM: {units: 8, return_sequences: true}
      - Dense: {units: 2, input_shape: [5]}      # RS202: ignored

Fix
    Remove the argument.
""",
        _ignored_input_args,
    ),
    Rule(
        "RS203", "removed-layer", Level.ERROR,
        "A layer class Keras 3 removed (CuDNNLSTM, CuDNNGRU).",
        "Use LSTM / GRU: Keras 3 picks the cuDNN kernel by itself",
        """
What it does
    Flags CuDNNLSTM and CuDNNGRU. rnnshape reads on as LSTM/GRU so later layers are
    still checked.

Why is this bad?
    keras.layers has no such class in Keras 3 (AttributeError / unknown layer when
    loading).

Example
    - CuDNNLSTM: 64          # RS203

Fix
    - LSTM: 64               # uses cuDNN on GPU when eligible (see RS208)
""",
        _removed_layers,
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
        "RS208", "no-cudnn-kernel", Level.INFO,
        "An LSTM/GRU that will not get the fast cuDNN kernel on GPU, and why.",
        "Use the defaults cuDNN needs, or accept the slower kernel",
        """
What it does
    Checks every LSTM and GRU against the conditions under which Keras 3 (TensorFlow
    backend, keras/src/layers/rnn/lstm.py and gru.py, backend cudnn_ok) runs the cuDNN
    kernel:
      1. activation == 'tanh'
      2. recurrent_activation == 'sigmoid'
      3. recurrent_dropout == 0
      4. unroll is False
      5. use_bias is True
      6. GRU only: reset_after is True
    and names every condition that fails. Layers with use_cudnn=False are skipped (you
    chose). Two run-time conditions cannot be checked from a config: masked inputs must
    be strictly right-padded, and the model must run eagerly in the outermost context
    (no jit_compile around the RNN). dropout (on the inputs) does not block cuDNN.

Why is this bad?
    On GPU the generic kernel is often several times slower than cuDNN. Keras falls
    back silently.

Example
    - LSTM: {units: 64, recurrent_dropout: 0.2}      # RS208: recurrent_dropout=0.2 (needs 0)

Fix
    Use dropout instead of recurrent_dropout, the default activations, use_bias=True,
    unroll=False (and reset_after=True for GRU), or set use_cudnn=False to say the slow
    kernel is intended.
""",
        _no_cudnn,
    ),
    Rule(
        "RS209", "cudnn-forced-ineligible", Level.ERROR,
        "use_cudnn=True on an LSTM/GRU whose configuration cuDNN cannot run.",
        "Set use_cudnn='auto', or meet the cuDNN conditions (see RS208)",
        """
What it does
    Flags use_cudnn=True on an LSTM/GRU that breaks one of the cuDNN conditions listed
    in RS208.

Why is this bad?
    Keras 3 raises "use_cudnn=True was specified, but cuDNN is not supported for this
    layer configuration with this backend" on the first call. (use_cudnn=True also
    fails on any machine without a GPU.)

Example
    - LSTM: {units: 8, use_cudnn: true, activation: relu}      # RS209

Fix
    use_cudnn: auto (falls back to the generic kernel), or activation: tanh.
""",
        _cudnn_forced,
    ),
    Rule(
        "RS210", "hard-sigmoid-changed", Level.WARNING,
        "activation='hard_sigmoid': Keras 3 computes a different function than Keras 2.",
        "Retrain, or use 'sigmoid'",
        """
What it does
    Flags activation or recurrent_activation 'hard_sigmoid'.

Why is this bad?
    Keras 2's hard_sigmoid was clip(0.2·x + 0.5, 0, 1); Keras 3's is relu6(x + 3) / 6
    (slope 1/6). Weights trained with Keras 2 (whose LSTM/GRU default used to be
    recurrent_activation='hard_sigmoid') give different outputs under Keras 3, and the
    layer does not get the cuDNN kernel either.

Example
    - LSTM: {units: 8, recurrent_activation: hard_sigmoid}    # RS210

Fix
    Use 'sigmoid' and retrain, or compare outputs before trusting old weights.
""",
        _hard_sigmoid,
    ),
    Rule(
        "RS211", "input-shape-on-first-layer", Level.INFO,
        "input_shape=/input_dim= on the first layer: deprecated in Keras 3.",
        "Declare the input with keras.Input(shape=...) (YAML: input_shape: at the top level)",
        """
What it does
    Flags input_shape and input_dim given to the first layer of a Sequential model.

Why is this bad?
    Keras 3 still reads it, but warns "Do not pass an `input_shape`/`input_dim`
    argument to a layer. When using Sequential models, prefer using an `Input(shape)`
    object as the first layer". input_dim=D alone declares a 2-D input (batch, D), which
    an RNN rejects (the Keras 1 idiom).

Example
    layers:
      - LSTM: {units: 8, input_shape: [10, 3]}      # RS211

Fix
    input_shape: [10, 3]     (top level)
    layers:
      - LSTM: 8
""",
        _input_shape_first,
    ),
    Rule(
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
    ),
    Rule(
        "RS213", "implementation-ignored", Level.INFO,
        "implementation= on a recurrent layer has no effect in Keras 3.",
        "Remove it",
        """
What it does
    Flags the implementation argument of SimpleRNN/LSTM/GRU.

Why is this bad?
    Keras 3 accepts it and drops it (it is not even saved in the config); the kernel is
    chosen by the backend (see RS208). Keeping it suggests a control that does not
    exist.

Example
    - LSTM: {units: 8, implementation: 1}     # RS213

Fix
    - LSTM: 8
""",
        _implementation,
    ),
)
