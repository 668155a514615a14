"""Classes a .py file defines: a custom layer class is a placeholder layer whose code is never
run, named as Keras names it; inference stops there naming the class and its line, and
``--assume`` carries the model past it with its parameters counted as unknown. A subclassed
model is named as what rnnshape does not read. Real Keras builds the same architectures.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from keras_truth import keras_rows

REALWORLD = Path(__file__).resolve().parent / "realworld"

# A custom layer whose constructor would end the process if anything ever ran it.
SCALE = '''\
import os
import keras
from keras import layers


class Scale(layers.Layer):
    def __init__(self, units, **kwargs):
        os._exit(9)


class Twice(Scale):
    pass
'''


def _truth(stem: str) -> Any:
    import keras

    path = REALWORLD / "truth" / f"{stem}.py"
    spec = importlib.util.spec_from_file_location(f"custom_truth_{stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    keras.backend.clear_session()
    return keras_rows(module.model(keras))


def test_a_custom_cell_refusal_names_the_class_its_line_and_the_assume_to_pass(cli: Any) -> None:
    result = cli("explain", str(REALWORLD / "files" / "custom_cell.py"))
    assert result.code == 1
    assert "custom_cell.py:24:5: layer 'rnn': RNN's cell is custom layer class 'MinimalRNNCell' defined at line 6; its code is never run" in result.stderr
    assert "--assume rnn=SHAPE" in result.stderr and "--set" not in result.stderr
    # The table keeps the model's place up to the layer it stopped at, with one heading.
    assert result.stdout.count("Model: ") == 1 and "rnn (RNN)" in result.stdout and "FAILED" in result.stdout
    assert "rnn" in _truth("custom_cell")  # the name --assume takes is the one Keras gives


def test_assume_carries_a_custom_cell_and_counts_its_parameters_as_unknown(cli: Any) -> None:
    path = str(REALWORLD / "files" / "custom_cell.py")
    keras = _truth("custom_cell")
    result = cli("explain", path, "--assume", "rnn=None,32", "-f", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    layers = {layer["name"]: layer for layer in report["layers"]}
    assert tuple(layers["rnn"]["output_shape"]) == keras["rnn"][1][0]
    assert layers["rnn"]["params"] is None and layers["rnn"]["trainable_params"] is None
    assert (layers["dense"]["class_name"], (tuple(layers["dense"]["output_shape"]),), layers["dense"]["params"]) == keras["dense"]
    assert report["total_params"] is None and report["param_bytes"] is None and report["unknown_params"] == ["rnn"]
    table = cli("explain", path, "--assume", "rnn=None,32").stdout
    assert "│   unknown │ unknown (custom class; assumed: --assume)" in table
    assert " Total params: 33 + unknown (132.00 B + unknown)\n" in table
    assert " Not counted: the weights of 'rnn', made by a custom layer class whose code is never run\n" in table


def test_a_custom_layer_is_a_placeholder_wherever_it_is_used_and_never_run(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "custom.py"
    path.write_text(
        SCALE
        + "inp = keras.Input((10, 4))\n"
        + "model = keras.Model(inp, layers.LSTM(8)(Scale(16)(inp)))\n"
        + "seq = keras.Sequential([keras.Input((10, 4)), layers.TimeDistributed(Twice(3)), layers.LSTM(4), Scale(2, name='post')])\n"
    )
    result = cli("explain", str(path))  # os._exit(9) would end the run with 9
    assert result.code == 1
    assert "layer 'scale': custom layer class 'Scale' defined at line 6; its code is never run" in result.stderr
    assert "layer 'time_distributed': TimeDistributed's layer is custom layer class 'Twice' defined at line 11" in result.stderr
    assert "--assume scale=SHAPE" in result.stderr and "--assume time_distributed=SHAPE" in result.stderr
    assumed = cli("explain", str(path), "--assume", "scale", "--assume", "time_distributed", "--assume", "post=None,2", "-f", "json")
    assert assumed.code == 0, assumed.stderr
    model, seq = json.loads(assumed.stdout)
    assert [(r["name"], r["params"]) for r in model["layers"]] == [("input_layer", 0), ("scale", None), ("lstm", 416)]
    assert [(r["name"], r["params"]) for r in seq["layers"]] == [("time_distributed", None), ("lstm", 144), ("post", None)]
    assert model["unknown_params"] == ["scale"] and seq["unknown_params"] == ["time_distributed", "post"]


def test_keras_names_a_custom_layer_by_its_class_as_rnnshape_does() -> None:
    import keras

    class Scale(keras.layers.Layer):
        def call(self, x: Any) -> Any:
            return x

    keras.backend.clear_session()
    inp = keras.Input((10, 4))
    built = keras.Model(inp, keras.layers.LSTM(8)(Scale()(inp)))
    assert [layer.name for layer in built.layers] == ["input_layer", "scale", "lstm"]


def test_lint_warns_on_a_custom_class_and_blocks_nothing(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "custom.py"
    path.write_text(SCALE + "seq = keras.Sequential([keras.Input((10, 4)), Scale(3), layers.LSTM(4)])\n")
    result = cli("lint", "-f", "json", str(path))
    assert result.code == 0, result.stdout
    problems = json.loads(result.stdout)["files"][0]["problems"]
    assert [(p["code"], p["level"]) for p in problems] == [("RS904", "warning")]
    assert problems[0]["message"] == "custom layer class 'Scale' defined at line 6; its code is never run"


def test_a_subclassed_model_says_what_it_is_in_one_line(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "sub.py"
    path.write_text(
        "import keras\n\n\nclass Net(keras.Model):\n    def call(self, x):\n        return x\n\n\n"
        "net = Net()\nnet.compile('adam', 'mse')\n"
    )
    result = cli("explain", str(path), "--model", "net")
    assert result.code == 1
    (line, hint) = result.stderr.splitlines()
    assert line.endswith(
        "sub.py:9:7: model 'net' (line 9) cannot be read statically: subclassed model 'Net' defined at line 4: "
        "rnnshape reads only Sequential and functional models"
    )
    assert "--set" not in hint
    never = tmp_path / "never.py"
    never.write_text("import keras\n\n\nclass Net(keras.Model):\n    pass\n")
    said = cli("explain", str(never)).stderr
    assert "never.py:4:1: subclassed model 'Net' defined at line 4: rnnshape reads only Sequential and functional models" in said


def test_assume_carries_a_lambda_of_a_python_file_as_keras_builds_it(cli: Any) -> None:
    keras = _truth("lambda_last_step")
    result = cli("explain", str(REALWORLD / "files" / "lambda_last_step.py"), "--assume", "lambda=None,32", "-f", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {r["name"]: (r["class_name"], (tuple(r["output_shape"]),), r["params"]) for r in report["layers"]}
    assert rows["dense"] == keras["dense"] == ("Dense", ((None, 1),), 33)
    assert rows == keras  # the Lambda's 0 parameters are Keras's too
    assert report["total_params"] == sum(row[2] for row in keras.values())


def test_a_file_whose_one_model_is_skipped_prints_no_heading_for_it(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "data.py"
    path.write_text(
        "import keras\nvocab = len({w for w in open('t').read().split()})\n"
        "m = keras.Sequential([keras.Input((5,)), keras.layers.Embedding(vocab, 8)])\n"
    )
    result = cli("explain", str(path))
    assert result.code == 1 and result.stdout == ""
    assert "Embedding(input_dim=...): 'vocab' (line 2) is known only at run time: a set comprehension is not evaluated" in result.stderr
    assert "--set vocab=VALUE (vocab at line 2)" in result.stderr
    assert "no Keras model could be read from this file (skipped: 'm')" in result.stderr
    two = tmp_path / "two.py"
    two.write_text(path.read_text() + "ok = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(3)])\n")
    shown = cli("explain", str(two))
    assert shown.code == 0
    assert shown.stdout.startswith('Model: "m"\n Skipped: the warning follows.\n\nModel: "ok"\n')


def test_markdown_and_cost_say_the_custom_layer_is_not_counted(cli: Any) -> None:
    path = str(REALWORLD / "files" / "custom_cell.py")
    markdown = cli("explain", path, "--assume", "rnn=None,32", "-f", "markdown").stdout
    assert "| rnn (RNN)                | (None, 32)      |   unknown |" in markdown
    assert "- Total params: 33 + unknown (132.00 B + unknown)\n" in markdown
    cost = cli("explain", path, "--assume", "rnn=None,32", "--cost").stdout
    assert "Total MACs: unknown (the counts of rnn are unknown, as shown above)\n" in cost
    assert "33.00 B int8 + unknown\n" in cost
    # The memory footer that follows cannot total weights it cannot count.
    assert cost.endswith("Estimated memory: params unknown, inference and training unknown "
                         "(the tensors of input_layer have an unknown dimension)\n")
