"""RS2xx: Keras 1/2 idioms that Keras 3 rejects, ignores or computes differently."""

from __future__ import annotations

from typing import Iterator

from ..hints import sentence_start
from ..layers import REMOVED
from ..layers.tensor_ops import BY_KEY, tf_call_rejected
from .context import ModelContext
from .helpers import describe, is_recurrent
from .problem import Finding, Level
from .rule import Rule
from .vocabulary import KERAS2_ARGS, activation_name, own_args

# Input-declaring arguments Keras 3 reads only on the first layer of a Sequential.
# (batch_size= is not one: every Keras 3 layer but InputLayer refuses it, RS201.)
INPUT_ARGS = ("input_shape", "input_dim")


def _keras2_args(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.sites:
        spec = site.spec
        for key in (*spec.args, *spec.legacy):
            if key not in KERAS2_ARGS or key in own_args(spec.class_name):
                continue
            yield Finding(keras2_arg_message(key, spec.class_name), spec, key, fix=sentence_start(KERAS2_ARGS[key]))


def keras2_arg_message(key: str, class_name: str) -> str:
    """RS201's words, also for an argument found in a layer call of code not read as a model."""
    return f"{key}= is a Keras 1/2 argument that Keras 3 rejects on {class_name}"


RS201 = Rule(
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
)


def _ignored_input_args(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        for key in INPUT_ARGS:
            if key in site.spec.args and key not in own_args(site.spec.class_name):
                where = "a nested layer" if site.nested else "a layer that is not the first"
                yield Finding(f"{key}= on {where} is ignored by Keras 3", site.spec, key)


RS202 = Rule(
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
)


def _removed_layers(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.sites:
        if site.spec.class_name in REMOVED:
            replacement = REMOVED[site.spec.class_name]
            yield Finding(
                f"{site.spec.class_name} was removed in Keras 3",
                site.spec,
                fix=f"Use {replacement}",
            )


RS203 = Rule(
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
)


def _hard_sigmoid(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        for key in ("activation", "recurrent_activation"):
            if activation_name(site.spec.args.get(key)) == "hard_sigmoid":
                yield Finding(
                    f"{describe(site.spec)} uses {key}='hard_sigmoid', which Keras 3 computes differently from Keras 2",
                    site.spec,
                    key,
                )


RS210 = Rule(
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
)


def _input_shape_first(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        if site.index == 0 and not site.nested and "batch_input_shape" not in site.spec.legacy:
            for key in ("input_shape", "input_dim"):
                if key in site.spec.legacy:
                    yield Finding(
                        f"{key}= on the first layer is deprecated in Keras 3 (it warns)", site.spec, key
                    )


RS211 = Rule(
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
)


def _implementation(ctx: ModelContext) -> Iterator[Finding]:
    for site in ctx.layers():
        if "implementation" in site.spec.args and is_recurrent(site.spec.class_name):
            yield Finding(
                f"implementation= has no effect on {site.spec.class_name} in Keras 3", site.spec, "implementation"
            )


RS213 = Rule(
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
)


def _tf_functions(ctx: ModelContext) -> Iterator[Finding]:
    # Only operations the reader read from a tf.X call whose argument it tracked as a Keras
    # tensor carry tf_function; a tf call on data never becomes a layer of the model.
    for site in ctx.layers():
        call = site.spec.tf_function
        op = BY_KEY.get(site.spec.class_name)
        if call is None or op is None:
            continue
        renamed = ", ".join(
            f"{tf_name}= is {name}=" for tf_name, name in (op.tf.params if op.tf else ()) if name not in (None, tf_name, *op.tensors)
        )
        there = f" ({renamed} there)" if renamed else ""
        fix = f"Use keras.ops.{op.function}{there}, which gives the same shapes, or wrap {call} in a layer"
        yield Finding(tf_call_rejected(call), site.spec, fix=fix)


RS214 = Rule(
    "RS214", "tf-function-on-keras-tensor", Level.ERROR,
    "A tf.* function (tf.reshape, tf.concat, tf.reduce_max, ...) applied to a Keras tensor: Keras 3 raises.",
    "Use the keras.ops function of the same name, or wrap the TensorFlow call in a layer",
    """
What it does
    Flags a TensorFlow function called on a symbolic Keras tensor while a functional
    model is built, as tf.keras 2 allowed: the functions `rnnshape layers` lists as
    tf.keras 2 spellings under "Operations on tensors" (tf.reshape, tf.concat,
    tf.expand_dims, tf.reduce_max, ...). rnnshape reads each as the keras.ops function
    that gives the same shapes, so the rest of the model is still checked. A tf.* call on data (NumPy arrays, tf.constant, a tf.data pipeline) or
    inside a layer's own code is not flagged.

Why is this bad?
    Keras 3 raises "ValueError: A KerasTensor cannot be used as input to a TensorFlow
    function" at that line: a Keras tensor is a symbolic placeholder that only Keras
    layers and keras.ops functions take.

Example
    inp = keras.Input(shape=(10, 3))
    h = keras.layers.LSTM(16, return_sequences=True)(inp)
    pooled = tf.reduce_max(h, axis=1)                 # RS214

Fix
    pooled = keras.ops.max(h, axis=1)                 # the same shape, (None, 16)
    (or wrap the TensorFlow code in a layer whose call() runs it)
""",
    _tf_functions,
)


RULES = (RS201, RS202, RS203, RS210, RS211, RS213, RS214)
