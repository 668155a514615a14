"""The inference core against the hand-computed table, plus its invariants."""

from __future__ import annotations

import ast
import operator
from pathlib import Path

import pytest
from cases import CASES, Case
from conftest import EXAMPLES

from rnnshape.errors import RankError, ShapeError, SpecError
from rnnshape.formats import from_expressions, load_file
from rnnshape.infer import infer_model
from rnnshape.report import ModelReport, readable_size


def infer_case(case: Case) -> ModelReport:
    spec = from_expressions(case.exprs, input_shape=case.input_shape, batch_input_shape=case.batch_input_shape)
    return infer_model(spec)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hand_computed_table(case: Case) -> None:
    report = infer_case(case)
    got = [(r.name, r.outputs, r.params) for r in report.layers]
    assert got == list(case.expected)


def example_reports() -> list[tuple[str, ModelReport]]:
    return [(p.name, infer_model(load_file(str(p))[0])) for p in sorted(EXAMPLES.glob("*.yaml"))]


def all_reports() -> list[tuple[str, ModelReport]]:
    return [(c.id, infer_case(c)) for c in CASES] + example_reports()


_OPS = {ast.Add: operator.add, ast.Mult: operator.mul, ast.Sub: operator.sub}


def _arith(node: ast.AST) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.left), _arith(node.right))
    raise AssertionError(f"unexpected formula syntax: {ast.dump(node)}")


def evaluate_numeric_formula(formula: str) -> tuple[int, int]:
    """``M(D+M+1) = 5(3+5+1) = 45`` -> (value of ``5(3+5+1)``, stated total 45)."""
    parts = [p.strip() for p in formula.split("=")]
    stated = int(parts[-1].replace(",", ""))
    numeric = parts[-2] if len(parts) > 1 else parts[-1]
    # Juxtaposition means multiplication: "4·16(8+16+1)" -> "4*16*(8+16+1)".
    text = numeric.replace("·", "*").replace(")(", ")*(")
    for digit in "0123456789":
        text = text.replace(f"{digit}(", f"{digit}*(")
    return _arith(ast.parse(text, mode="eval").body), stated


@pytest.mark.parametrize("label,report", all_reports(), ids=lambda v: v if isinstance(v, str) else "")
def test_invariants(label: str, report: ModelReport) -> None:
    # Per-layer params add up to the totals, and the trainable split is complete.
    assert sum(r.params for r in report.layers) == report.total_params
    assert report.trainable_params + report.non_trainable_params == report.total_params
    # Each layer's input is exactly its predecessor's output (Sequential chains).
    for before, after in zip(report.layers, report.layers[1:]):
        assert after.input_shapes == (before.outputs[0],)
    for layer in report.layers:
        # A layer's params are the sum of its weight sizes, and its formula computes them.
        value, stated = evaluate_numeric_formula(layer.formula)
        assert value == stated == layer.params, layer.formula
        assert len(layer.output_symbols) == len(layer.outputs)


def test_formula_text_for_the_seed_model() -> None:
    report = infer_case(CASES[0])
    assert [r.formula for r in report.layers] == ["M(D+M+1) = 5(3+5+1) = 45", "K(M+1) = 2(5+1) = 12"]


def test_symbols_follow_provenance_not_value() -> None:
    # T = 10 and M = 10: the two axes are equal in size but not in meaning.
    report = infer_model(from_expressions(["LSTM(10, return_sequences=True)", "Dense(3)"], input_shape="10,4"))
    assert report.layers[0].output_symbols == (("N", "T", "M"),)
    assert report.layers[1].output_symbols == (("N", "T", "K"),)
    assert report.layers[1].formula == "K(M+1) = 3(10+1) = 33"


def test_repeated_units_letters_are_numbered() -> None:
    report = infer_model(from_expressions(["GRU(8, return_sequences=True)", "GRU(4)"], input_shape="5,3"))
    assert report.layers[1].formula == "3M2(M1+M2+2) = 3·4(8+4+2) = 168"


@pytest.mark.parametrize(
    "num_bytes,text",
    [(0, "0.00 B"), (208, "208.00 B"), (33604, "32.82 KB"), (27180096, "25.92 MB")],
)
def test_readable_size_matches_keras(num_bytes: int, text: str) -> None:
    assert readable_size(num_bytes) == text


def test_dtype_changes_byte_sizes_like_keras() -> None:
    # Keras prints 400.00 B for this model: 84 float32 weights + 8 float64 weights.
    spec = from_expressions(["LSTM(3, dtype='mixed_float16')", "Dense(2, dtype='float64')"], input_shape="10,3")
    assert infer_model(spec).param_bytes == 400


def test_trainable_false_moves_params_to_non_trainable() -> None:
    report = infer_model(from_expressions(["LSTM(4, trainable=False)", "Dense(1)"], input_shape="7,5"))
    assert (report.trainable_params, report.non_trainable_params) == (5, 160)


def test_stacked_rnn_without_return_sequences_names_the_fix() -> None:
    with pytest.raises(RankError) as info:
        infer_model(from_expressions(["LSTM(4)", "LSTM(2)"], input_shape="10,8"))
    err = info.value
    assert err.layer == "lstm_1"
    assert "expects a 3-D input" in err.message and "(None, 4)" in err.message
    assert err.hint is not None and "return_sequences=True on 'lstm'" in err.hint and "(None, 10, 4)" in err.hint


def test_stateful_needs_a_fixed_batch() -> None:
    with pytest.raises(ShapeError, match="stateful=True needs a fixed batch size"):
        infer_model(from_expressions(["GRU(4, stateful=True)"], input_shape="7,5"))


def test_return_state_inside_sequential_is_an_error() -> None:
    with pytest.raises(ShapeError, match="returns 3 tensors"):
        infer_model(from_expressions(["LSTM(4, return_state=True)", "Dense(1)"], input_shape="7,5"))


@pytest.mark.parametrize(
    "expr,fragment",
    [
        ("LSTM(0)", "units must be a positive integer"),
        ("LSTM(-3)", "units must be a positive integer"),
        ("LSTM(2.5)", "got float"),
        ("LSTM('8')", "got str"),
        ("LSTM(True)", "got bool"),
        ("LSTM(10**30)", "only literal values"),
        ("LSTM(1000000000000)", "absurdly large"),
        ("LSTM(4, dropout=1.5)", "must be in [0, 1)"),
        ("LSTM(4, activation='tanhh')", "did you mean 'tanh'"),
        ("LSTM(4, return_sequence=True)", "has no argument 'return_sequence'"),
        ("LTSM(4)", "unknown layer class 'LTSM'"),
        ("CuDNNLSTM(4)", "removed in Keras 3"),
        ("LSTM()", "needs the argument 'units'"),
        ("Dense(x)", "is a name, not a value"),
    ],
)
def test_bad_arguments_are_spec_errors(expr: str, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        infer_model(from_expressions([expr], input_shape="7,5"))
    assert fragment in str(info.value)


def test_examples_are_all_present() -> None:
    names = {p.name for p in Path(EXAMPLES).glob("*.yaml")}
    assert {"rnn_shapes.yaml", "rnn_basics_batch.yaml", "rnn_trace.yaml", "stacked_lstm.yaml"} <= names


def test_weight_axes_are_named_like_the_lessons() -> None:
    report = infer_model(from_expressions(["LSTM(4, return_sequences=True)", "GRU(3)", "Dense(2)"], input_shape="7,5"))
    assert [r.weight_axes for r in report.layers] == [
        ("(D, 4M1)", "(M1, 4M1)", "(4M1,)"),
        ("(M1, 3M2)", "(M2, 3M2)", "(2, 3M2)"),
        ("(M2, K)", "(K,)"),
    ]
