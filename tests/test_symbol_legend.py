"""`explain --symbols`: every symbol in a formula is in the legend and means one value.

Checked as a property over the random models of tests/randmodels.py, every example, every
reference Keras file and the real-world corpus, and on the reported cases (a ``D`` reused
for other sizes, a Keras 3 Bidirectional's undefined ``Ub``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from randmodels import random_model_specs
from rnnshape import formats
from rnnshape.errors import RnnshapeError
from rnnshape.infer import infer_model
from rnnshape.layers.base import symbolic_text
from rnnshape.report import ModelReport

ROOT = Path(__file__).resolve().parent.parent
_SYMBOL = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _numeric(symbolic: str, values: dict[str, int | str | None]) -> str:
    """The symbolic side with each symbol replaced by its legend value (``3M2`` -> ``3·32``).

    An unbuilt model's unknown stays itself (``8(D+1)``), and a size that depends on it
    is its formula (``(D + 8)``).
    """
    def value(match: re.Match[str]) -> str:
        before = match.string[match.start() - 1] if match.start() else ""
        shown = values[match.group()]
        if isinstance(shown, str):
            return shown
        return ("·" if before.isdigit() else "") + str(shown)

    return _SYMBOL.sub(value, symbolic)


def _legend_value(symbol: str, value: int | None, formula: str | None) -> int | str | None:
    if formula is None:
        return value
    if formula == "unknown":
        return symbol
    return f"({formula})" if " " in formula else formula


def legend_problems(report: ModelReport) -> list[str]:
    problems = []
    symbols = [item.symbol for item in report.legend]
    values = {item.symbol: _legend_value(item.symbol, item.value, item.formula) for item in report.legend}
    if len(symbols) != len(set(symbols)):
        problems.append(f"{report.name}: a symbol is in the legend twice: {symbols}")
    for layer in report.layers:
        parts = layer.formula.split(" = ")
        if len(parts) != 3:
            continue  # no symbols: "1,280 = 1,280", "0"
        symbolic, numeric, _ = parts
        unknown = sorted(set(_SYMBOL.findall(symbolic)) - set(values))
        if unknown:
            problems.append(f"{report.name}/{layer.name}: {unknown} not in the legend: {layer.formula}")
        elif symbolic_text(_numeric(symbolic, values), {}) != numeric:  # "2·D" reads "2D", as the report writes it
            problems.append(f"{report.name}/{layer.name}: legend values give {_numeric(symbolic, values)}: {layer.formula}")
    return problems


def test_random_models_formulas_use_only_legend_symbols_with_one_value_each() -> None:
    reports = [infer_model(spec) for spec in random_model_specs(300, seed=14)]
    assert len(reports) == 300
    problems = [p for report in reports for p in legend_problems(report)]
    assert problems == []


def _file_models() -> list[Path]:
    paths = [p for p in sorted((ROOT / "examples").rglob("*")) if p.is_file()]
    paths += sorted((ROOT / "tests" / "keras-files").glob("*.json"))
    paths += sorted((ROOT / "tests" / "keras-files").glob("*.keras"))
    paths += sorted((ROOT / "tests" / "realworld" / "files").iterdir())
    return paths


def test_example_and_reference_files_formulas_use_only_legend_symbols() -> None:
    checked = 0
    problems: list[str] = []
    for path in _file_models():
        for model in formats.load_models([str(path)]):
            if isinstance(model, RnnshapeError):
                continue  # deliberately broken examples, weight-only files
            try:
                report = infer_model(model)
            except RnnshapeError:
                continue
            checked += 1
            problems += legend_problems(report)
    assert checked >= 60
    assert problems == []


def _report(*layers: str, input_shape: str) -> ModelReport:
    (model,) = formats.load_models(list(layers), input_shape=input_shape)
    assert not isinstance(model, RnnshapeError)
    return infer_model(model)


def test_features_of_a_later_layer_get_their_own_symbol() -> None:
    report = _report(
        "Bidirectional(LSTM(64, return_sequences=True))", "Bidirectional(GRU(32), merge_mode='sum')", "Dense(9)",
        input_shape="None,50",
    )
    formulas = [layer.formula for layer in report.layers]
    assert formulas[1] == "2·[3M2(D2+M2+2)] = 2·[3·32(128+32+2)] = 31,104"
    assert formulas[2] == "K(D3+1) = 9(32+1) = 297"
    legend = {item.symbol: item.value for item in report.legend}
    assert (legend["D"], legend["D2"], legend["D3"]) == (50, 128, 32)
    assert legend_problems(report) == []


def test_keras3_bidirectional_stored_copy_reads_as_twice_the_forward_layer() -> None:
    # Keras 3 saves the default backward copy as its own layer config: same weights, same costs.
    (model,) = formats.load_models([str(ROOT / "tests" / "keras-files" / "k3_extra_bidir.json")])
    assert not isinstance(model, RnnshapeError)
    report = infer_model(model)
    assert report.layers[0].formula == "2·[3M(D+M+1)] = 2·[3·4(8+4+1)] = 312"
    assert report.layers[0].macs_formula.startswith("2·[")
    assert legend_problems(report) == []


def test_a_different_backward_layer_gets_its_units_in_the_legend() -> None:
    report = _report(
        "Bidirectional(LSTM(4), backward_layer=LSTM(6, go_backwards=True))", input_shape="10,8",
    )
    assert report.layers[0].formula == "[4M(D+M+1)] + [4Ub(D+Ub+1)] = [4·4(8+4+1)] + [4·6(8+6+1)] = 568"
    assert {item.symbol: item.value for item in report.legend}["Ub"] == 6
    assert legend_problems(report) == []


def test_numbered_symbols_keep_their_multiplication_dot() -> None:
    report = _report("Conv1D(4,3)", "Conv1D(6,5)", input_shape="10,8")
    assert report.layers[1].formula == "F2(k2·F1+1) = 6(5·4+1) = 126"
    assert legend_problems(report) == []


@pytest.mark.parametrize("formula", ["K(D+1) = 9(32+1) = 297"])
def test_the_property_catches_a_reused_symbol(formula: str) -> None:
    report = _report("Dense(9)", input_shape="10,50")
    from dataclasses import replace

    broken = replace(report, layers=(replace(report.layers[0], formula=formula),))
    assert legend_problems(broken) == ["sequential/dense: legend values give 9(50+1): K(D+1) = 9(32+1) = 297"]


def test_cost_formulas_name_the_input_features_as_the_parameter_formula_does() -> None:
    # 'shared' reads D (10 features) first; 'out' then reads 16 features, which the legend calls D2.
    (model,) = formats.load_models([str(ROOT / "tests" / "keras-files" / "func_rnn.keras")])
    assert not isinstance(model, RnnshapeError)
    report = infer_model(model)
    out = next(layer for layer in report.layers if layer.name == "out")
    assert out.formula == "K3(D2+1) = 3(16+1) = 51"
    assert out.macs_formula == "D2·K3 = 16·3 = 48"
    assert {item.symbol: item.value for item in report.legend}["D2"] == 16
