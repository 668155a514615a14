"""`explain` keeps every model's place: a failed model is an entry (JSON) or a block (table,
Markdown) with its error, and a shape error shows the layers inferred up to the break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BAD = "input_shape: [10, 8]\nlayers:\n  - LSTM: 4\n  - LSTM: 2\n"
GOOD = "input_shape: [10, 3]\nlayers:\n  - SimpleRNN: 5\n  - Dense: 2\n"
BROKEN = "layers: [\n"
ERROR_KEYS = {"message", "code", "exit_code", "layer", "position", "hint"}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {}
    for name, text in (("bad", BAD), ("good", GOOD), ("broken", BROKEN)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_json_of_several_files_is_a_list_with_an_entry_for_each_failure(cli, files: dict[str, str]) -> None:
    result = cli("explain", "-f", "json", files["bad"], files["good"], files["broken"])
    assert result.code == 1
    bad, good, broken = json.loads(result.stdout)
    assert [bad["file"], good["file"], broken["file"]] == [files["bad"], files["good"], files["broken"]]
    assert good["total_params"] == 57 and "error" not in good
    assert set(bad["error"]) == ERROR_KEYS
    assert bad["error"]["code"] == "rank-error"
    assert bad["error"]["layer"] == "lstm_1"
    assert bad["error"]["position"] == {"source": files["bad"], "line": 4, "col": 5, "cell": None}
    assert bad["error"]["hint"].startswith("set return_sequences=True on 'lstm'")
    assert [layer["name"] for layer in bad["layers"]] == ["lstm"]
    assert bad["failed_layer"] == {"name": "lstm_1", "class_name": "LSTM", "input_shape": [None, 4]}
    assert broken["error"]["code"] == "format-error"
    assert broken["error"]["message"].startswith("invalid YAML")
    assert "layers" not in broken
    # Each error is still told on stderr, once.
    assert result.stderr.count("rnnshape: error:") == 2


def test_json_of_two_good_files_is_a_list_and_of_one_file_an_object(cli, files: dict[str, str]) -> None:
    assert isinstance(json.loads(cli("explain", "-f", "json", files["good"], files["good"]).stdout), list)
    single = json.loads(cli("explain", "-f", "json", files["good"]).stdout)
    assert single["name"] == "sequential" and single["file"] == files["good"]


def test_json_of_one_failed_file_is_its_error_entry(cli, files: dict[str, str]) -> None:
    result = cli("explain", "-f", "json", files["broken"])
    assert result.code == 1
    entry = json.loads(result.stdout)
    assert entry["file"] == files["broken"] and entry["error"]["exit_code"] == 1


def test_json_of_a_file_with_several_models_is_a_list(cli) -> None:
    data = json.loads(cli("explain", "-f", "json", "examples/python/two_models.py").stdout)
    assert isinstance(data, list) and len(data) == 2


def test_table_shows_the_layers_up_to_the_break_then_the_failing_row(cli) -> None:
    result = cli("explain", "--input-shape", "10,8", "LSTM(4)", "LSTM(2)", "Dense(3)")
    assert result.code == 1
    rows = result.stdout.splitlines()
    assert rows[0] == 'Model: "sequential"'
    assert rows[4].startswith("│ lstm (LSTM)    │ (None, 4)      │       208 │")
    assert rows[5].startswith("│ lstm_1 (LSTM)  │ ✗ FAILED       │         - │ input (None, 4)")
    assert "dense" not in result.stdout  # nothing past the break
    assert "Total params" not in result.stdout
    assert rows[-1] == " Not explained past the failure at layer 'lstm_1': the error follows."
    assert "layer 'lstm_1': LSTM expects a 3-D input" in result.stderr


def test_ascii_table_marks_the_failing_row_too() -> None:
    from rnnshape import formats
    from rnnshape.infer import infer_until_error
    from rnnshape.render.explain import render_table

    (model,) = formats.load_models(["LSTM(4)", "LSTM(2)"], input_shape="10,8")
    assert not isinstance(model, Exception)
    report, failure = infer_until_error(model)
    assert failure is not None and type(failure.error).__name__ == "RankError"
    assert "| lstm_1 (LSTM)  | >> FAILED <<" in render_table(report, unicode=False, failure=failure)


def test_graph_failure_names_the_failing_layers_inputs(cli, tmp_path: Path) -> None:
    # Concatenate of (None, 10, 4) and (None, 5, 4) on the last axis: the shapes in the way are shown.
    path = tmp_path / "g.py"
    path.write_text(
        "from keras import layers, Model, Input\n"
        "a = Input((10, 3))\nb = Input((5, 3))\n"
        "x = layers.LSTM(4, return_sequences=True)(a)\ny = layers.LSTM(4, return_sequences=True)(b)\n"
        "z = layers.Concatenate()([x, y])\nmodel = Model([a, b], z)\n",
        encoding="utf-8",
    )
    result = cli("explain", str(path))
    assert result.code == 1
    failed = next(line for line in result.stdout.splitlines() if "FAILED" in line)
    assert "concatenate (Concatenate)" in failed
    assert "input (None, 10, 4), (None, 5, 4)" in failed


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_failed_model_among_several_keeps_its_place(cli, files: dict[str, str], fmt: str) -> None:
    result = cli("explain", "-f", fmt, files["good"], files["broken"], files["bad"])
    assert result.code == 1
    out = result.stdout
    assert out.index("simple_rnn") < out.index(f"Model: {'`' if fmt == 'markdown' else chr(34)}{files['broken']}")
    assert out.index(files["broken"]) < out.index("FAILED")
    assert "Not explained: the error follows." in out
    assert "invalid YAML" in result.stderr
