"""RS214: a tf.* function applied to a Keras tensor, checked against the real Keras 3.

Every TensorFlow spelling the operation registry lists has one case here: the call as
tf.keras 2 code wrote it, and the keras.ops call lint's fix names. Real Keras 3 raises on
the first (so the rule never blocks valid code) and builds the second; lint flags the
first at its line and column, with Keras's sentence and the keras.ops function, and says
nothing of the second. tf.* calls on data, in a Lambda or in a layer's own code run fine in
Keras 3 and are never flagged.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from rnnshape.lint import Settings, lint_file
from rnnshape.lint.problem import Level
from rnnshape.layers.tensor_ops import BY_TF_NAME, KERAS3_TF_ERROR

HEADER = "import tensorflow as tf\nfrom tensorflow import keras\n\n"
# The model inputs the cases use, by variable.
INPUTS = {
    "seq": 'keras.Input(shape=(10, 4))',
    "ids": 'keras.Input(shape=(10,), dtype="int32")',
    "col": "keras.Input(shape=(10, 1))",
    "mat": "keras.Input(shape=(4, 6))",
}


def _reduction(name: str) -> tuple[str, str, str]:
    function = name.split("reduce_")[1]
    return "seq", f"tf.{name}(seq, axis=1)", f"keras.ops.{function}(seq, axis=1)"


# tf spelling (under tf.) -> (the inputs it takes, the tf.keras 2 call, the keras.ops call).
CASES: dict[str, tuple[str, str, str]] = {
    "one_hot": ("ids", "tf.one_hot(ids, depth=5)", "keras.ops.one_hot(ids, num_classes=5)"),
    "concat": ("seq", "tf.concat([seq, seq], axis=-1)", "keras.ops.concatenate([seq, seq], axis=-1)"),
    "stack": ("seq", "tf.stack([seq, seq], axis=1)", "keras.ops.stack([seq, seq], axis=1)"),
    "expand_dims": ("seq", "tf.expand_dims(seq, -1)", "keras.ops.expand_dims(seq, -1)"),
    "squeeze": ("col", "tf.squeeze(col, axis=-1)", "keras.ops.squeeze(col, axis=-1)"),
    "reshape": ("seq", "tf.reshape(seq, shape=(-1, 40))", "keras.ops.reshape(seq, newshape=(-1, 40))"),
    "transpose": ("seq", "tf.transpose(seq, perm=[0, 2, 1])", "keras.ops.transpose(seq, axes=[0, 2, 1])"),
    "matmul": ("seq mat", "tf.matmul(seq, mat)", "keras.ops.matmul(seq, mat)"),
    "linalg.matmul": ("seq mat", "tf.linalg.matmul(seq, mat)", "keras.ops.matmul(seq, mat)"),
    "cast": ("ids", "tf.cast(ids, tf.float32)", 'keras.ops.cast(ids, "float32")'),
    **{name: _reduction(name) for name in BY_TF_NAME if "reduce_" in name},
}


def _source(inputs: str, call: str) -> str:
    names = inputs.split()
    lines = [f"{name} = {INPUTS[name]}" for name in names]
    lines += [f"out = {call}", f"model = keras.Model([{', '.join(names)}], out)"]
    return HEADER + "\n".join(lines) + "\n"


def _build(keras: Any, source: str) -> Any:
    import tensorflow as tf

    namespace: dict[str, Any] = {"tf": tf, "keras": keras}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, "<case>", "exec"), namespace)  # this file's own cases, nothing read from outside
    return namespace["model"]


def test_every_tf_spelling_of_the_registry_has_a_case() -> None:
    assert sorted(CASES) == sorted(BY_TF_NAME)


@pytest.mark.parametrize("name", sorted(CASES))
def test_keras3_raises_on_the_tf_call_and_builds_the_keras_ops_call(keras: Any, name: str) -> None:
    inputs, tf_call, ops_call = CASES[name]
    with pytest.raises(ValueError, match=KERAS3_TF_ERROR):
        _build(keras, _source(inputs, tf_call))
    assert ops_call.startswith(f"keras.ops.{BY_TF_NAME[name].function}(")
    assert _build(keras, _source(inputs, ops_call)).count_params() == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_lint_flags_the_tf_call_and_not_the_keras_ops_call(tmp_path: Path, name: str) -> None:
    inputs, tf_call, ops_call = CASES[name]
    bad = tmp_path / "bad.py"
    bad.write_text(_source(inputs, tf_call))
    problems = lint_file(str(bad), Settings()).problems
    line = 4 + len(inputs.split())
    assert [(p.code, p.level, p.pos.line, p.pos.col) for p in problems] == [("RS214", Level.ERROR, line, 7)]
    function = BY_TF_NAME[name].function
    assert problems[0].message.startswith(f"tf.{name}(...) on a Keras tensor")
    assert KERAS3_TF_ERROR in problems[0].message
    assert problems[0].fix is not None and problems[0].fix.startswith(f"Use keras.ops.{function}")
    good = tmp_path / "good.py"
    good.write_text(_source(inputs, ops_call))
    assert lint_file(str(good), Settings()).problems == ()


def test_the_fix_names_the_keyword_keras_ops_renamed(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(_source(*CASES["one_hot"][:2]))
    (problem,) = lint_file(str(path), Settings()).problems
    assert problem.fix == "Use keras.ops.one_hot (depth= is num_classes= there), which gives the same shapes, or wrap tf.one_hot in a layer"


# tf.* on data, in a Lambda and in a layer's own code: valid Keras 3 (built below), never RS214.
TF_ON_DATA = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(7)
tf.config.set_soft_device_placement(True)


class MaxOverTime(keras.layers.Layer):
    def call(self, x):
        return tf.reduce_max(x, axis=1)


def prepare(x):
    return tf.expand_dims(tf.cast(x, tf.float32), -1)


x_train = prepare(np.zeros((8, 10), "int32"))
weights = tf.reshape(tf.constant(np.arange(6.0)), (2, 3))
ds = tf.data.Dataset.from_tensor_slices(np.zeros((8, 30), "float32")).map(lambda t: tf.reshape(t, (10, 3))).batch(4)
inp = keras.Input(shape=(10, 3))
h = keras.layers.LSTM(16, return_sequences=True)(inp)
pooled = keras.layers.Lambda(lambda t: tf.reduce_max(t, axis=1))(h)
model = keras.Model(inp, keras.layers.Dense(2)(pooled))
model.compile(optimizer="adam", loss="mse")
"""


def test_tf_calls_on_data_in_a_lambda_or_a_layer_are_not_flagged(keras: Any, tmp_path: Path) -> None:
    model = _build(keras, TF_ON_DATA)
    assert model.output_shape == (None, 2)
    path = tmp_path / "m.py"
    path.write_text(TF_ON_DATA)
    problems = lint_file(str(path), Settings()).problems
    assert [p for p in problems if p.code == "RS214" or p.level is Level.ERROR] == []


def test_a_tf_call_in_a_model_skipped_for_a_value_from_data_is_still_flagged(tmp_path: Path) -> None:
    # Keras 3 raises at the tf call whatever the vocabulary size is.
    source = (
        HEADER
        + "chars = sorted(set(open('corpus.txt').read()))\n"
        + "inp = keras.Input(shape=(20,))\n"
        + "x = keras.layers.GRU(8)(tf.expand_dims(inp, axis=-1))\n"
        + "model = keras.Model(inp, keras.layers.Dense(len(chars))(x))\n"
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    problems = lint_file(str(path), Settings()).problems
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("RS904", 4, 9), ("RS214", 6, 25)]
