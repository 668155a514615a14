"""Layer entries without Keras: the formula invariant, hand-checked values from the
Keras reference, error messages (exit 1 with layer, got, needs, fix) and `rnnshape layers`."""

from __future__ import annotations

import ast
import re

import pytest

from randmodels import random_model_specs
from rnnshape.formats.expr import parse_layer_expr
from rnnshape.infer import infer_model
from rnnshape.layers import ALIASES, REGISTRY
from rnnshape.spec import LayerSpec, sequential_model


def _evaluate(expression: str) -> float:
    """The numeric side of a formula, e.g. ``2·[4·4(5+4+1)]``; literals and + - * / only."""
    text = expression.replace("·", "*").replace("[", "(").replace("]", ")").replace(",", "")
    text = re.sub(r"(?<=[\d)])\(", "*(", text)
    tree = ast.parse(text, mode="eval")

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp):
            a, b = walk(node.left), walk(node.right)
            ops = {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}
            if isinstance(node.op, ast.Div):
                return a / b
            return ops[type(node.op)]
        raise AssertionError(f"unexpected formula syntax: {expression!r}")

    return walk(tree)


def _check_formula(name: str, formula: str, params: int) -> None:
    parts = [p.strip() for p in formula.split("=")]
    # The number after the last "=" is the derived parameter count...
    assert int(parts[-1].replace(",", "")) == params, (name, formula)
    # ...and the numeric expression before it really evaluates to that count.
    if len(parts) >= 2:
        assert _evaluate(parts[-2]) == params, (name, formula)


def test_formula_invariant_on_random_models() -> None:
    seen = set()
    for model in random_model_specs(120, 3):
        for r in infer_model(model).layers:
            _check_formula(r.name, r.formula, r.params)
            seen.add(r.class_name)
    assert len(seen) > 30


@pytest.mark.parametrize(
    ("shape", "expr", "output", "params"),
    [
        # Values from the Keras 3 reference (shared/reference/keras-semantics.md, appendix A).
        ((7, 5), "Bidirectional(LSTM(4))", (None, 8), 320),
        ((7, 5), "Bidirectional(LSTM(4), backward_layer=GRU(4, go_backwards=True, return_sequences=False))", (None, 8), 292),
        ((7, 5), "RNN([LSTMCell(4), GRUCell(3)])", (None, 3), 241),
        ((7, 5), "RNN([SimpleRNNCell(4), SimpleRNNCell(2)])", (None, 2), 54),
        ((7, 6, 5), "TimeDistributed(LSTM(4))", (None, 7, 4), 160),
        ((7, 10, 5), "TimeDistributed(Conv1D(8, 3))", (None, 7, 8, 8), 128),
        ((7, 10, 5), "ConvLSTM1D(6, 3)", (None, 8, 6), 816),
        ((7, 9, 8, 5), "ConvLSTM2D(6, (3, 3))", (None, 7, 6, 6), 2400),
        ((7, 5, 9, 8), "ConvLSTM2D(6, (3, 3), data_format='channels_first')", (None, 6, 7, 6), 2400),
        ((7,), "Embedding(50, 8)", (None, 7, 8), 400),
        ((10, 5), "Conv1D(8, 3, dilation_rate=2)", (None, 6, 8), 128),
        ((11, 5), "MaxPooling1D(2, padding='same')", (None, 6, 5), 0),
        ((None, 5), "Flatten()", (None, None), 0),
        ((None, 5), "Reshape((-1, 5))", (None, None, 5), 0),
        ((7, 5), "BatchNormalization()", (None, 7, 5), 20),
        ((7, 5), "LayerNormalization(center=False)", (None, 7, 5), 5),
    ],
)
def test_reference_values(shape: tuple, expr: str, output: tuple, params: int) -> None:
    model = sequential_model("m", LayerSpec("InputLayer", {"shape": list(shape)}), [parse_layer_expr(expr, "<t>")])
    (layer,) = infer_model(model).layers
    assert layer.outputs[0] == output
    assert layer.params == params


def test_batch_normalization_split() -> None:
    model = sequential_model("m", LayerSpec("InputLayer", {"shape": [5]}), [parse_layer_expr("BatchNormalization()", "<t>")])
    (bn,) = infer_model(model).layers
    assert (bn.trainable_params, bn.non_trainable_params) == (10, 10)
    assert [w.name for w in bn.weights if not w.trainable] == ["moving_mean", "moving_variance"]


def test_bidirectional_state_outputs_are_flat() -> None:
    model = sequential_model(
        "m", LayerSpec("InputLayer", {"shape": [7, 5]}),
        [parse_layer_expr("Bidirectional(LSTM(4, return_state=True), merge_mode=None)", "<t>")],
    )
    (layer,) = infer_model(model).layers
    # [forward out, backward out, forward h, forward c, backward h, backward c]
    assert layer.outputs == ((None, 4),) * 6
    assert [w.name for w in layer.weights][:1] == ["forward_lstm/kernel"]
    assert [w.name for w in layer.weights][3:4] == ["backward_lstm/kernel"]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--input-shape", "7,5", "LSTM(4, return_sequences=True)", "RepeatVector(2)"],
         ["layer 'repeat_vector'", "expects a 2-D input", "got 3-D (None, 7, 4)", "hint: RepeatVector"]),
        (["--input-shape", "7,5", "Bidirectional(Dense(3))"], ["Bidirectional wraps a recurrent layer, got Dense"]),
        (["--input-shape", "7,5", "Bidirectional(LSTM(3, go_backwards=True))"], ["go_backwards"]),
        (["--input-shape", "7,5", "Bidirectional(LSTM(3), merge_mode='sum', backward_layer=GRU(2, go_backwards=True))"],
         ["cannot merge the forward output (None, 3) with the backward output (None, 2)", "hint:"]),
        (["--input-shape", "7,5", "Bidirectional(LSTM(3), merge_mode='max')"], ['"sum", "mul", "ave", "concat", None']),
        (["--input-shape", "7,5", "Bidirectional(LSTM(3), backward_layer=LSTM(3))"], ["go_backwards"]),
        (["--input-shape", "7,5", "Permute((2, 3))"], ["permutation of 1..2"]),
        (["--input-shape", "3,5", "Conv1D(4, 5)"], ["layer 'conv1d'", "zero or negative", "(None, 3, 5)", "hint:"]),
        (["--input-shape", "7,5", "LSTM(3)", "TimeDistributed(Dense(2))"], ["at least 3 axes", "got 2-D (None, 3)", "return_sequences"]),
        (["--input-shape", "7,5", "Reshape((3, 3))"], ["35 values per sample", "hint:"]),
        (["--input-shape", "7,5", "RNN(LSTM(3))"], ["LSTM is not an RNN cell"]),
        (["--input-shape", "7,5", "GlobalMaxPooling1D()", "GlobalMaxPooling1D()"], ["expects a 3-D input", "got 2-D"]),
        (["--input-shape", "7,5", "Conv1D(3, 2, groups=2)"], ["groups=2 must divide"]),
        (["--input-shape", "7,5", "Embedding(10, 0)"], ["output_dim must be a positive integer"]),
        (["--input-shape", "7,5", "AveragePooling1D()"], ["needs the argument 'pool_size'"]),
    ],
)
def test_shape_errors_are_explained(cli, args: list[str], needles: list[str]) -> None:
    result = cli("explain", *args)
    assert result.code == 1
    for needle in needles:
        assert needle in result.stderr


def test_layers_command_lists_every_entry_by_category(cli) -> None:
    result = cli("layers")
    assert result.code == 0
    for name in list(REGISTRY) + list(ALIASES):
        if name != "Input":
            assert name in result.stdout
    for title in ("Recurrent", "Wrappers", "RNN cells", "Attention", "Merging"):
        assert title in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
