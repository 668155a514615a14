"""Tensor plumbing in .py files without Keras: what is read, the rows it makes, and what stays refused.

The shapes themselves are compared with real Keras in test_tensor_ops_keras.py; here the
reader's own behaviour: spellings, notes, dict subscripts, a model's inputs and layers,
the outputs of a multi-output layer, and refusals that name their real cause.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rnnshape.layers import REGISTRY
from rnnshape.layers.tensor_ops import BY_FUNCTION, BY_TF_NAME, OPERATORS, TENSOR_OPS

HEAD = "import keras\nfrom keras import layers, ops\nx = keras.Input(shape=(10, 3))\nh = layers.LSTM(8, return_sequences=True)(x)\n"


def _explain(cli: Any, tmp_path: Path, body: str, *extra: str) -> Any:
    path = tmp_path / "model.py"
    path.write_text(HEAD + body, encoding="utf-8")
    return cli("explain", "-f", "json", *extra, str(path))


def _rows(result: Any) -> list[tuple[str, str, list[Any]]]:
    assert result.code == 0, result.stderr
    return [(r["name"], r["class_name"], r["output_shape"]) for r in json.loads(result.stdout)["layers"]]


def test_every_operation_is_one_registry_entry_with_keras_class_and_no_numpy() -> None:
    for op in TENSOR_OPS:
        entry = REGISTRY[op.key]
        assert entry is op.layer and op.key == f"ops.{op.function}"
        assert entry.category == "op" and entry.keras_class and entry.no_numpy
    assert BY_FUNCTION["divide"] is BY_FUNCTION["true_divide"]
    assert BY_TF_NAME["math.reduce_max"] is BY_FUNCTION["max"] and BY_TF_NAME["concat"] is BY_FUNCTION["concatenate"]
    assert {op.function for op in OPERATORS.values()} == {"add", "subtract", "multiply", "true_divide", "matmul", "negative"}


@pytest.mark.parametrize(
    "spelling",
    ["ops.mean(h, axis=1)", "keras.ops.mean(h, axis=1)", "keras.ops.numpy.mean(h, 1)", "mean(h, axis=1)"],
)
def test_spellings_of_one_operation(cli: Any, tmp_path: Path, spelling: str) -> None:
    body = "from keras.ops import mean\n" + f"y = {spelling}\nmodel = keras.Model(x, y)\n"
    assert _rows(_explain(cli, tmp_path, body))[-1] == ("mean", "Mean", [None, 8])


def test_tf_functions_are_read_with_a_note_that_keras_3_raises(cli: Any, tmp_path: Path) -> None:
    body = "import tensorflow as tf\ny = tf.math.reduce_max(h, axis=1, name='pool')\nmodel = keras.Model(x, y)\n"
    result = _explain(cli, tmp_path, body)
    assert _rows(result)[-1] == ("max", "Max", [None, 8])
    assert "line 6: tf.math.reduce_max(...) on a Keras tensor is tf.keras 2 code: Keras 3 raises ValueError" in result.stderr
    assert "read as keras.ops.max" in result.stderr


def test_operator_names_count_like_keras(cli: Any, tmp_path: Path) -> None:
    rows = _explain(cli, tmp_path, "y = (h + 1) + (h * 2) + h\nmodel = keras.Model(x, -y)\n")
    assert [r[:2] for r in _rows(rows)[2:]] == [
        ("add", "Add"), ("multiply", "Multiply"), ("add_1", "Add"), ("add_2", "Add"), ("negative", "Negative")
    ]


def test_dict_of_inputs_is_read_by_key(cli: Any, tmp_path: Path) -> None:
    body = (
        "ins = {'b': keras.Input(shape=(4,), name='b'), 'a': keras.Input(shape=(2,), name='a')}\n"
        "y = layers.concatenate([ins['a'], ins['b']])\nmodel = keras.Model(ins, y)\n"
    )
    assert _rows(_explain(cli, tmp_path, body)) == [
        ("a", "InputLayer", [None, 2]), ("b", "InputLayer", [None, 4]), ("concatenate", "Concatenate", [None, 6])
    ]
    missing = _explain(cli, tmp_path, body.replace("ins['b']", "ins['c']"))
    assert missing.code == 1 and "the dict has no key 'c'" in missing.stderr


def test_outputs_of_a_multi_output_layer_are_picked_not_sliced(cli: Any, tmp_path: Path) -> None:
    body = "res = layers.LSTM(4, return_state=True)(h)\nstates = res[1:]\ny = layers.concatenate([res[0], *states])\nmodel = keras.Model(x, y)\n"
    assert _rows(_explain(cli, tmp_path, body))[-1] == ("concatenate", "Concatenate", [None, 12])
    # One tensor: the same subscript is a GetItem on the batch axis.
    one = _explain(cli, tmp_path, "y = h[1:]\nmodel = keras.Model(x, y)\n")
    assert _rows(one)[-1] == ("get_item", "GetItem", [None, 10, 8])


def test_model_inputs_and_a_sequential_layers_output(cli: Any, tmp_path: Path) -> None:
    body = (
        "auto = keras.Sequential([keras.Input(shape=(9, 1)), layers.LSTM(5), layers.RepeatVector(9)])\n"
        "encoder = keras.Model(inputs=auto.inputs, outputs=auto.layers[0].output)\n"
        "model = keras.Model(x, h)\nsame = keras.Model(model.input, model.output)\n"
    )
    path = tmp_path / "model.py"
    path.write_text(HEAD + body, encoding="utf-8")
    assert _rows(cli("explain", "-f", "json", "--model", "encoder", str(path)))[1:] == [("lstm", "LSTM", [None, 5])]
    assert _rows(cli("explain", "-f", "json", "--model", "same", str(path)))[1:] == [("lstm", "LSTM", [None, 10, 8])]


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        ("y = ops.softmax(h)", "keras.ops.softmax(...) is an operation on tensors that rnnshape does not read"),
        ("import tensorflow as tf\ny = tf.gather(h, [0])", "tf.gather(...) is a function call, which rnnshape does not run"),
        ("import numpy as np\ny = ops.reshape(np.zeros((2, 3)), (3, 2))", "np.zeros(...) is a function call"),
        ("y = ops.mean(h, axis=n_axis)", "'n_axis' is not defined"),
        ("y = ops.reshape(h, (-1, 80), order='C')", "keras.ops.reshape() got an unexpected keyword argument 'order'"),
        ("y = h * 'two'", "the operator Mult on a Keras tensor and a value that is not a number"),
        ("i = 1\ny = h[:, i:n]", "'n' is not defined"),
        ("y = ops.concatenate(h)", "keras.ops.concatenate(...) of something that is not a list of Keras tensors"),
    ],
)
def test_what_is_not_read_names_its_cause(cli: Any, tmp_path: Path, body: str, cause: str) -> None:
    result = _explain(cli, tmp_path, body + "\nmodel = keras.Model(x, y)\n")
    assert result.code == 1 and "Traceback" not in result.output
    assert cause in result.stderr


def test_bad_arguments_are_checked_like_layer_arguments(cli: Any, tmp_path: Path) -> None:
    result = _explain(cli, tmp_path, "y = ops.one_hot(h, 0)\nmodel = keras.Model(x, y)\n")
    assert result.code == 1 and "num_classes must be a positive integer" in result.stderr


def test_numpy_refuses_operations_in_one_line(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text(HEAD + "y = layers.Dense(2)(h) + 1.0\nmodel = keras.Model(x, y)\n", encoding="utf-8")
    result = cli("numpy", str(path))
    assert result.code == 1
    assert "no NumPy forward template for ops.add (a tensor operation" in result.stderr
    # The Add *layer* has a template; the operation that Keras also calls Add must not borrow it.
    assert "Add" in result.stderr and "ops.add" in result.stderr
