"""The Python API without a kernel: inputs, the JSON contract, errors, cheap import, cells."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import rnnshape
from rnnshape.errors import RnnshapeError, ShapeError, UsageError
from rnnshape.inputs import cell_entries
from rnnshape.spec import ModelSpec

SEQ_JSON = "tests/keras-files/seq_rnn.to_json.json"


def test_import_is_cheap() -> None:
    code = (
        "import sys, rnnshape; rnnshape.explain(['LSTM(4)'], input_shape=(5, 3)); "
        "print([m for m in ('tensorflow', 'keras', 'tf_keras', 'numpy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("shape", [(10, 3), "10,3", [10, 3]])
def test_expressions_with_tuple_or_cli_shapes(shape: object) -> None:
    report = rnnshape.explain(["SimpleRNN(5)", "Dense(2)"], input_shape=shape)  # type: ignore[arg-type]
    assert [(layer.name, layer.output_shapes, layer.params) for layer in report.layers] == [
        ("simple_rnn", ((None, 5),), 45), ("dense", ((None, 2),), 12)
    ]
    assert report.agrees_with_built_model is None  # nothing built to compare with


def test_to_dict_is_the_cli_json(cli) -> None:
    expected = json.loads(cli("explain", "-f", "json", SEQ_JSON).stdout)
    if isinstance(expected, list):  # one model: the JSON's only object
        (expected,) = expected
    with open(SEQ_JSON, encoding="utf-8") as handle:
        text = handle.read()
    assert rnnshape.explain(SEQ_JSON).to_dict() == expected
    assert rnnshape.explain(text).to_dict()["layers"] == expected["layers"]
    json.dumps(rnnshape.explain(SEQ_JSON).to_dict())  # plain data


def test_text_markdown_html_share_the_table(cli) -> None:
    report = rnnshape.explain(SEQ_JSON)
    assert str(report) == cli("explain", SEQ_JSON).stdout
    assert report._repr_markdown_() == cli("explain", "-f", "markdown", SEQ_JSON).stdout
    html = report._repr_html_()
    assert all(layer.name in html and f"{layer.params:,}" in html for layer in report.layers)


def test_errors_are_the_exception_family() -> None:
    with pytest.raises(ShapeError):
        rnnshape.explain(["LSTM(3)"], input_shape=(4,))
    with pytest.raises(UsageError):
        rnnshape.explain(42)
    with pytest.raises(RnnshapeError):
        rnnshape.explain("tests/no/such/file.yaml")
    assert rnnshape.RnnshapeError is RnnshapeError


def test_lint_and_check_are_callable_after_their_subpackages_load() -> None:
    import rnnshape.check.runner  # noqa: F401  (sets rnnshape.check to the subpackage)
    import rnnshape.lint.engine  # noqa: F401

    problems = rnnshape.lint(["LSTM(4, return_sequences=True)", "Dense(2)"], input_shape=(10, 3))
    assert [p.code for p in problems] == ["RS204"]
    assert rnnshape.lint(["LSTM(4, return_sequences=True)", "Dense(2)"], ignore=["RS204"], input_shape=(10, 3)) == []


def test_numpy_source_random_weights_is_the_cli_module(cli) -> None:
    text = rnnshape.numpy_source(["SimpleRNN(3)"], "random", input_shape=(4, 2))
    assert text == cli("numpy", "SimpleRNN(3)", "--input-shape", "4,2").stdout


CELL = """\
from keras import layers
model = keras.Sequential([keras.Input((T, D)), layers.LSTM(units), layers.Dense(2)])
open(marker, "w").write("ran")
"""


def test_cell_reads_literal_constants_and_keras_imports_of_the_namespace(tmp_path) -> None:
    import types

    keras_module = types.ModuleType("keras")  # stands for an imported keras: only its name is read
    marker = tmp_path / "marker"
    namespace = {"keras": keras_module, "T": 10, "D": 3, "units": 4, "marker": str(marker), "_private": 1}
    (model,) = [e for e in cell_entries(CELL, namespace) if isinstance(e, ModelSpec)]
    report = rnnshape.explain(model)
    assert [layer.output_shapes for layer in report.layers] == [((None, 4),), ((None, 2),)]
    assert not marker.exists()


def test_cell_shape_error_names_the_cell_line() -> None:
    cell = "import keras\n\nm = keras.Sequential([keras.Input((5,)), keras.layers.LSTM(3)])\n"
    (model,) = [e for e in cell_entries(cell, {}) if isinstance(e, ModelSpec)]
    with pytest.raises(RnnshapeError) as err:
        rnnshape.explain(model)
    assert err.value.pos is not None and err.value.pos.line == 3


SOURCE_WITH_DATA = """\
import keras
vocab = len(open("words.txt").read().split())
model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(vocab, 8), keras.layers.LSTM(4)])
"""


@pytest.mark.parametrize("given", [{"vocab": 100}, ["vocab=100"]])
def test_set_gives_values_from_data(tmp_path, given: object) -> None:
    path = tmp_path / "train.py"
    path.write_text(SOURCE_WITH_DATA, encoding="utf-8")
    with pytest.raises(RnnshapeError):
        rnnshape.explain(path)
    report = rnnshape.explain(path, set=given)  # type: ignore[arg-type]
    assert report.layers[0].params == 100 * 8
    assert rnnshape.lint(str(path), set=given) == rnnshape.lint(path, set=given)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        rnnshape.explain(["LSTM(3)"], input_shape=(4, 2), set=given)  # type: ignore[arg-type]


def test_cell_magic_takes_set_values() -> None:
    from rnnshape.inputs import settings_of

    cell = "import keras\nvocab = len(words)\nm = keras.Sequential([keras.Input((5,)), keras.layers.Embedding(vocab, 2)])\n"
    (model,) = [e for e in cell_entries(cell, {}, settings=settings_of(["vocab=10"])) if isinstance(e, ModelSpec)]
    assert rnnshape.explain(model).total_params == 20


def test_built_model_cross_check_reports_each_difference(keras) -> None:
    from rnnshape.live import built_findings

    def model(units: int):  # the same layer names, different sizes
        return keras.Sequential([keras.Input((6, 3)), keras.layers.LSTM(units, name="rnn"), keras.layers.Dense(2, name="head")])

    report = rnnshape.explain(model(4))
    assert report.agrees_with_built_model is True and "agrees with the built model" in str(report)
    findings = built_findings(model(5), report.model)
    aspects = {(f.layer, f.aspect) for f in findings}
    assert {("rnn", "params"), ("rnn", "output shape"), ("head", "params"), ("(model)", "params")} <= aspects
    assert any(f.aspect.startswith("weight") for f in findings)


def test_unbuilt_live_model_takes_an_input_shape(keras) -> None:
    unbuilt = keras.Sequential([keras.layers.LSTM(3)])
    symbolic = rnnshape.explain(unbuilt)  # no input shape: explained with its input size as D
    assert symbolic.total_params is None and symbolic.params_formula == "12D + 48"
    assert symbolic.layers[0].params is None and symbolic.layers[0].params_formula == "12D + 48"
    assert "Total params: 12D + 48" in str(symbolic) and "12D + 48" in symbolic._repr_html_()
    assert symbolic.to_dict()["total_params_formula"] == "12D + 48"
    with pytest.raises(RnnshapeError, match="no input shape"):
        rnnshape.numpy_source(unbuilt, "random")
    report = rnnshape.explain(unbuilt, input_shape=(5, 2))
    assert report.agrees_with_built_model is None
    assert report.total_params == 4 * 3 * (2 + 3 + 1)
    with pytest.raises(UsageError):  # no trained weights to embed: not silently random ones
        rnnshape.numpy_source(unbuilt, input_shape=(5, 2))
    assert "def forward(" in rnnshape.numpy_source(unbuilt, "random", input_shape=(5, 2))
