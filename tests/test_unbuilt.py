"""Unbuilt models (no input shape): explained with the unknown input size as the symbol D.

The parameter polynomials are verified, not asserted: real Keras 3 builds the same
layers on several concrete values of D and its ``count_params()`` must equal each
layer's polynomial evaluated there, and the total. A property test over random
unbuilt models compares the polynomials with rnnshape's own concrete inference.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnshape import formats
from rnnshape.errors import NoInputShape, RnnshapeError
from rnnshape.infer import infer_model, infer_until_error
from rnnshape.poly import Poly
from rnnshape.render.explain import render_table
from rnnshape.render.explain_json import report_dict
from rnnshape.report import ModelReport
from rnnshape.spec import ModelSpec
from rnnshape.symbolic import PROBES

from test_symbol_legend import legend_problems

D = Poly.symbol("D")

# (layer expressions, the per-sample shape Keras builds them on for a given D)
CASES: dict[str, tuple[list[str], Any]] = {
    "dense": (["Dense(8)", "Dense(4)"], lambda d: (d,)),
    "simple_rnn": (["SimpleRNN(5)", "Dense(2)"], lambda d: (7, d)),
    "lstm": (["LSTM(32)", "Dense(1)"], lambda d: (7, d)),
    "gru": (["GRU(4)"], lambda d: (7, d)),
    "gru_v1": (["GRU(4, reset_after=False)"], lambda d: (7, d)),
    "bidirectional": (["Bidirectional(LSTM(3, return_sequences=True))", "LSTM(2)"], lambda d: (7, d)),
    "bidirectional_sum": (["Bidirectional(GRU(2), merge_mode='sum')"], lambda d: (7, d)),
    "time_distributed": (["TimeDistributed(Dense(3))", "SimpleRNN(2)"], lambda d: (7, d)),
    "conv1d": (["Conv1D(4, 3)", "GlobalMaxPooling1D()", "Dense(2)"], lambda d: (9, d)),
    "conv2d": (["Conv2D(2, (3, 2))", "Flatten()"], lambda d: (5, 6, d)),
    "batch_norm": (["BatchNormalization()", "Dense(3)"], lambda d: (d,)),
    "layer_norm": (["LayerNormalization()", "Dropout(0.5)", "Dense(2)"], lambda d: (d,)),
    "stacked": (["LSTM(4, return_sequences=True)", "BatchNormalization()", "GRU(3)"], lambda d: (7, d)),
}


def _unbuilt(specs: list[str]) -> ModelSpec:
    (model,) = formats.load_models(specs)
    assert isinstance(model, ModelSpec) and model.symbolic_input
    return model


def _keras_counts(keras: Any, specs: list[str], shape: tuple[int, ...]) -> list[tuple[int, int]]:
    """(params, trainable params) of each layer, from a real Keras 3 build on ``shape``."""
    namespace = vars(keras.layers)
    layers = [eval(text, {"__builtins__": {}}, namespace) for text in specs]  # our own literal expressions
    model = keras.Sequential([keras.Input(shape=shape), *layers])
    return [(layer.count_params(), sum(int(w.numpy().size) for w in layer.trainable_weights)) for layer in model.layers]


@pytest.mark.parametrize("case", sorted(CASES))
def test_parameter_polynomials_match_keras_for_several_sizes(case: str, keras: Any) -> None:
    specs, shape_for = CASES[case]
    report = infer_model(_unbuilt(specs))
    assert report.unknowns == ("D",)
    assert report.layers[0].params_poly.constant is None, "the first layer's weights depend on D"
    for d in (1, 3, 17):
        theirs = _keras_counts(keras, specs, shape_for(d))
        ours = [(layer.params_poly.evaluate({"D": d}), layer.trainable_poly.evaluate({"D": d})) for layer in report.layers]
        assert ours == theirs, f"{case} at D={d}"
        assert report.params_poly.evaluate({"D": d}) == sum(p for p, _ in theirs)
        assert report.trainable_poly.evaluate({"D": d}) == sum(t for _, t in theirs)


def test_the_brief_examples_read_as_formulas() -> None:
    dense = infer_model(_unbuilt(["Dense(8)", "Dense(4)"]))
    assert dense.layers[0].formula == "K1(D+1) = 8(D+1) = 8D + 8"
    assert dense.params_poly.text() == "8D + 44"
    assert dense.layers[1].params_poly.constant == 36  # a layer after the first: known again
    lstm = infer_model(_unbuilt(["LSTM(32)", "Dense(1)"]))
    assert lstm.layers[0].formula == "4M(D+M+1) = 4·32(D+32+1) = 128D + 4,224"
    norm = infer_model(_unbuilt(["BatchNormalization()"]))
    assert norm.params_poly == D * Poly.const(4)
    assert (norm.params_poly - norm.trainable_poly) == D * Poly.const(2)


def test_embedding_first_stays_numeric(tmp_path: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text("import keras\nfrom keras import layers\nm = keras.Sequential([layers.Embedding(1000, 16), layers.LSTM(8)])\n")
    (spec,) = formats.load_models([str(path)])
    assert isinstance(spec, ModelSpec) and not spec.symbolic_input
    report = infer_model(spec)
    assert report.unknowns == () and report.total_params == 1000 * 16 + 4 * 8 * (16 + 8 + 1)


def test_undecidable_rank_keeps_refusing() -> None:
    with pytest.raises(NoInputShape, match="no input shape"):
        formats.load_models(["Dropout(0.5)", "Dense(2)"])


def test_a_size_that_is_no_polynomial_stops_with_the_input_shape_to_pass() -> None:
    report, failure = infer_until_error(_unbuilt(["Dense(6)", "Reshape((2, 3))", "Flatten()", "Dense(2)"]))
    assert failure is None and report.params_poly == D * Poly.const(6) + Poly.const(6 + 14)
    report, failure = infer_until_error(_unbuilt(["Conv1D(4, 3, strides=2)", "Flatten()", "Dense(2)"]))
    assert failure is not None  # a dynamic time axis: Dense cannot be built on it, as in Keras


def test_shapes_keep_null_in_json_and_the_formula_next_to_it(cli: Any) -> None:
    result = cli("explain", "-f", "json", "BatchNormalization()", "Dense(8)")
    assert result.code == 0
    data = json.loads(result.stdout)
    norm, dense = data["layers"]
    assert norm["output_shape"] == [None, None] and norm["output_shape_formula"] == "(None, D)"
    assert norm["params"] is None and norm["params_formula"] == "4D"
    assert norm["non_trainable_params_formula"] == "2D"
    assert [w["shape_formula"] for w in norm["weights"]] == ["(D,)"] * 4
    assert dense["params_formula"] == "8D + 8" and dense["output_shape"] == [None, 8]
    # Costs that depend on D are null, their formulas keeping it (never a number from a probe value).
    assert dense["macs"] is None and dense["macs_formula"] == "D·K = D·8 (unknown: D)"
    assert dense["flops"] is None and "(unknown: D)" in dense["flops_formula"]
    assert "100003" not in result.stdout
    assert data["total_params"] is None and data["total_params_formula"] == "12D + 8"
    assert data["unknowns"] == ["D"] and data["memory"]["param_bytes"]["float32"] is None


def test_table_shows_symbols_and_formula_totals(cli: Any) -> None:
    result = cli("explain", "Dense(8)", "Dense(4)")
    assert result.code == 0
    assert "│ (None, 8) " in result.stdout and "8D + 8" in result.stdout
    assert " Total params: 8D + 44 (32D + 176 bytes)" in result.stdout
    assert "--input-shape D settles them" in result.stderr
    symbols = cli("explain", "--symbols", "BatchNormalization()", "Dense(3)")
    assert "D = unknown: input features" in symbols.stdout


def test_check_and_numpy_refuse_in_one_line_naming_the_input_shape(cli: Any) -> None:
    for command in ("check", "numpy"):
        result = cli(command, "LSTM(8)", "Dense(2)")
        assert result.code == 1
        assert "has no input shape" in result.stderr and "--input-shape T,D" in result.stderr


def test_lint_notes_the_model_and_cannot_decide_a_budget(cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("layers:\n  - LSTM: 8\n  - Dense: 1\nexpect:\n  max_params: 100\n")
    result = cli("lint", str(path))
    assert result.code == 0
    assert "RS905 [info]" in result.stdout
    assert "RS123 [info] expect.max_params cannot be checked: the model's parameter count 32D + 297" in result.stdout


def _concrete(model: ModelSpec, d: int) -> ModelReport | None:
    from dataclasses import replace

    first = model.inputs[0]
    shape = [*first.args["batch_shape"][:-1], d]
    fed = replace(first, args={**first.args, "batch_shape": shape})
    try:
        return infer_model(replace(model, inputs=(fed,), symbolic_input=False))
    except RnnshapeError:
        return None


FIRST = {
    2: ["Dense(5)", "BatchNormalization()", "LayerNormalization(center=False)", "Dense(3, use_bias=False)"],
    3: ["LSTM(4, return_sequences=True)", "GRU(3, return_sequences=True)", "SimpleRNN(2, return_sequences=True)",
        "Bidirectional(LSTM(2, return_sequences=True))", "TimeDistributed(Dense(4))", "Conv1D(3, 2, padding='same')"],
}
TAIL = ["Dense(4)", "Dropout(0.1)", "BatchNormalization()", "LayerNormalization()", "Activation('relu')",
        "LSTM(3, return_sequences=True)", "GRU(2)", "Flatten()", "Conv1D(2, 1)", "GlobalAveragePooling1D()"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rank=st.sampled_from([2, 3]), data=st.data())
def test_random_unbuilt_models_polynomials_equal_concrete_inference(rank: int, data: Any) -> None:
    first = data.draw(st.sampled_from(FIRST[rank]))
    tail = data.draw(st.lists(st.sampled_from(TAIL), max_size=3))
    model = _unbuilt([first, *tail])
    report, failure = infer_until_error(model)
    assert legend_problems(report) == []
    shown = render_table(report, weights=True, symbols=True, failure=failure)
    shown += json.dumps(report_dict(report)) if failure is None else ""  # a failed model's JSON is error_dict
    # No number computed from a probe value is ever shown: these small models have no count near them.
    assert max((int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", shown)), default=0) < min(PROBES), shown
    for d in (1, 2, 7, 40):
        concrete = _concrete(model, d)
        if failure is not None:
            continue  # refused at some layer: nothing claimed past it
        assert concrete is not None, f"{[first, *tail]} explained symbolically but fails at D={d}"
        assert [r.params_poly.evaluate({"D": d}) for r in report.layers] == [r.params for r in concrete.layers]
        assert [r.trainable_poly.evaluate({"D": d}) for r in report.layers] == [r.trainable_params for r in concrete.layers]
        for ours, theirs in zip(report.layers, concrete.layers):
            for got, want in zip(ours.outputs, theirs.outputs):
                assert all(g is None or g == w for g, w in zip(got, want))


# An Embedding-first text classifier without an input shape, spelled in YAML and in Python.
_EMBEDDING_YAML = """name: model
layers:
  - Embedding: {{input_dim: 1000, output_dim: 16{length}}}
  - Bidirectional: {{layer: {{LSTM: {{units: 8, return_sequences: true}}}}}}
  - GRU: 4
  - Dense: 1
"""
_EMBEDDING_PY = """import keras
from keras import layers
model = keras.Sequential([
    layers.Embedding(1000, 16{length}),
    layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
    layers.GRU(4),
    layers.Dense(1),
])
"""


@pytest.mark.parametrize("length", [None, 40])
def test_embedding_first_yaml_reads_as_the_python_spelling(cli: Any, keras: Any, tmp_path: Any, length: int | None) -> None:
    arg = "" if length is None else f", input_length: {length}"
    (tmp_path / "m.yaml").write_text(_EMBEDDING_YAML.format(length=arg))
    (tmp_path / "m.py").write_text(_EMBEDDING_PY.format(length=arg.replace(": ", "=")))
    results = [cli("explain", "-f", "json", str(tmp_path / name)) for name in ("m.yaml", "m.py")]
    assert [r.code for r in results] == [0, 0]
    reports = [json.loads(r.stdout) for r in results]
    for report in reports:
        report.pop("file")
    assert reports[0] == reports[1]
    assert results[0].stderr == results[1].stderr
    assert ("(None, None)" if length is None else f"(None, {length}) as Keras 2 built it") in results[0].stderr
    assert reports[0]["layers"][0]["output_shape"] == [None, length, 16]
    ours = [layer["params"] for layer in reports[0]["layers"]]
    for steps in (3, 11, 40):  # Keras 3 builds it on any length: the counts never change
        model = keras.Sequential([
            keras.Input(shape=(steps,), dtype="int32"),
            keras.layers.Embedding(1000, 16),
            keras.layers.Bidirectional(keras.layers.LSTM(8, return_sequences=True)),
            keras.layers.GRU(4),
            keras.layers.Dense(1),
        ])
        assert [layer.count_params() for layer in model.layers] == ours
