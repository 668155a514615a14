"""CLI and adapter behaviour for Keras files: goldens, exit codes, hostile input."""

from __future__ import annotations

import builtins
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import KERAS_FILES
from rnnshape.errors import FormatError, MissingDependency
from rnnshape.formats import load_file
from rnnshape.formats.jsonpos import Doc, _slow_loads, loads
from rnnshape.infer import infer_model


def _ref(name: str) -> str:
    return str(KERAS_FILES / name)


@pytest.mark.parametrize(
    "name, args",
    [
        ("seq_rnn.keras", ["--weights"]),
        ("k2_seq_rnn.to_json.json", []),
        ("k2_old_style_2.2.4.json", ["--symbols"]),
        ("seq_unbuilt.to_json.json", ["--input-shape", "10,8"]),
    ],
)
def test_explain_goldens(cli: Any, golden: Any, name: str, args: list[str]) -> None:
    result = cli("explain", _ref(name), *args)
    assert result.code == 0, result.stderr
    golden(f"explain_{name.replace('.', '_')}.txt", result.stdout.replace(str(KERAS_FILES), "<keras-files>"))


def test_functional_file_with_assumed_layers(cli: Any, golden: Any) -> None:
    assume = ["emb=None,None,8", "bi=None,None,10", "att=None,None,4", "gap=None,4", "cat=None,16"]
    args = [a for pair in (("--assume", x) for x in assume) for a in pair]
    result = cli("explain", _ref("func_rnn.to_json.json"), *args)
    assert result.code == 0, result.stderr
    assert "Connected to" in result.stdout and "shared[0][0], shared[1][0]" in result.stdout
    golden("explain_func_rnn_assumed.txt", result.stdout)


def _custom_layer_file(tmp_path: Any) -> str:
    """The seq2seq reference file with its TimeDistributed renamed to a custom class."""
    text = (KERAS_FILES / "k3_extra_seq2seq.json").read_text(encoding="utf-8")
    path = tmp_path / "custom.json"
    path.write_text(text.replace('"class_name": "TimeDistributed"', '"class_name": "MyTimeWarp"'), encoding="utf-8")
    return str(path)


def test_unknown_layer_names_layer_class_position_and_assume(cli: Any, tmp_path: Any) -> None:
    path = _custom_layer_file(tmp_path)
    result = cli("explain", path)
    assert result.code == 1
    assert f"{path}:282:4: layer 'td': unknown layer class 'MyTimeWarp'" in result.stderr
    assert "--assume td=" in result.stderr and "rnnshape layers" in result.stderr


def test_assume_identity_keeps_the_input_shape(cli: Any, tmp_path: Any) -> None:
    result = cli("explain", _custom_layer_file(tmp_path), "--assume", "td", "--format", "json")
    assert result.code == 0, result.stderr
    layers = {layer["name"]: layer for layer in json.loads(result.stdout)["layers"]}
    assert layers["td"]["output_shape"] == layers["dec"]["output_shape"]
    assert layers["td"]["params"] == 0


def test_lambda_is_never_executed(tmp_path: Path, cli: Any) -> None:
    model = json.loads((KERAS_FILES / "seq_rnn.to_json.json").read_text())
    # A Lambda whose "code" would raise if anything ever ran it.
    model["config"]["layers"].insert(2, {"class_name": "Lambda", "config": {"name": "lam", "function": "raise SystemExit(7)"}})
    path = tmp_path / "lam.json"
    path.write_text(json.dumps(model))
    result = cli("explain", str(path))
    assert result.code == 1 and "Lambda" in result.stderr and "never run" in result.stderr
    assert cli("explain", str(path), "--assume", "lam").code == 0


def test_unbuilt_is_explained_with_the_input_shape_that_settles_it(cli: Any) -> None:
    result = cli("explain", _ref("k2_seq_unbuilt.to_json.json"))
    assert result.code == 0
    assert "Total params: 16D + 85" in result.stdout
    assert "--input-shape T,D settles them" in result.stderr


def test_input_shape_replaces_recorded_shape_with_a_note(cli: Any) -> None:
    result = cli("explain", _ref("seq_rnn.keras"), "--input-shape", "50,8", "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout)["layers"][0]["output_shape"] == [None, 50, 16]
    assert "replaced" in result.stderr


def test_suffix_that_lies_is_sniffed(tmp_path: Path) -> None:
    fake_json = tmp_path / "model.json"
    shutil.copy(KERAS_FILES / "seq_rnn.keras", fake_json)
    fake_keras = tmp_path / "model.keras"
    shutil.copy(KERAS_FILES / "seq_rnn.to_json.json", fake_keras)
    fake_yaml = tmp_path / "model.yaml"
    shutil.copy(KERAS_FILES / "seq_rnn.legacy.h5", fake_yaml)
    totals = {infer_model(load_file(str(p))[0]).total_params for p in (fake_json, fake_keras, fake_yaml)}
    assert totals == {2233}


def test_zip_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", b" " * 20_000_000)
    with pytest.raises(FormatError, match="zip bomb|limit"):
        load_file(str(path))


def test_keras_zip_without_config(tmp_path: Path) -> None:
    path = tmp_path / "weights.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.weights.h5", b"x")
    with pytest.raises(FormatError, match="no config.json"):
        load_file(str(path))


def test_missing_h5py_exits_4(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_h5py(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "h5py":
            raise ImportError("no h5py")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_h5py)
    with pytest.raises(MissingDependency):
        load_file(_ref("seq_rnn.legacy.h5"))
    result = cli("explain", _ref("seq_rnn.legacy.h5"))
    assert result.code == 4 and "pip install 'rnnshape[h5]'" in result.stderr


def test_weights_only_h5_says_so(cli: Any) -> None:
    result = cli("explain", _ref("seq_rnn.weights.h5"))
    assert result.code == 1 and "weights only" in result.stderr


def test_bad_json_points_at_the_error(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"class_name": "Sequential",\n "config": {"layers": [}\n}')
    result = cli("explain", str(path))
    assert result.code == 1 and f"{path}:2:" in result.stderr


def test_keras2_defaults_are_recorded_as_notes(tmp_path: Path) -> None:
    model = json.loads((KERAS_FILES / "k2_old_style_2.2.4.json").read_text())
    gru = {"class_name": "GRU", "config": {"name": "gru_1", "units": 4, "return_sequences": True}}
    model["config"]["layers"][0]["config"]["return_sequences"] = True
    model["config"]["layers"].insert(1, gru)
    path = tmp_path / "k22.json"
    path.write_text(json.dumps(model))
    (spec,) = load_file(str(path))
    report = infer_model(spec)
    # Standalone Keras 2.2.4 wrote GRUs with one bias row: 3U(D+U+1).
    assert next(r for r in report.layers if r.name == "gru_1").params == 3 * 4 * (32 + 4 + 1)
    assert any("reset_after" in n and "2.2.4" in n for n in spec.notes)
    assert any("hard_sigmoid" in n for n in spec.notes)


def test_keras1_spellings_are_normalised(tmp_path: Path) -> None:
    model = {
        "class_name": "Sequential",
        "config": [
            {"class_name": "LSTM", "config": {"name": "lstm_1", "output_dim": 6, "input_dim": 3, "input_length": 5,
                                              "inner_activation": "hard_sigmoid", "consume_less": "gpu"}},
            {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 2, "bias": True}},
        ],
    }
    path = tmp_path / "k1.json"
    path.write_text(json.dumps(model))
    (spec,) = load_file(str(path))
    report = infer_model(spec)
    assert [(r.name, r.outputs[0], r.params) for r in report.layers] == [
        ("lstm_1", (None, 6), 4 * 6 * (3 + 6 + 1)),
        ("dense_1", (None, 2), 2 * (6 + 1)),
    ]
    assert spec.calls[0].layer.legacy["consume_less"] == "gpu"


def test_nested_sequential_inside_functional(keras: Any, tmp_path: Path) -> None:
    K = keras
    inner = K.Sequential([K.Input((5, 3)), K.layers.LSTM(4, return_sequences=True), K.layers.Dense(2)], name="inner")
    x = K.Input((5, 3), name="x")
    y = K.layers.GRU(3, name="top")(inner(x))
    model = K.Model(x, y, name="outer")
    path = tmp_path / "nested.keras"
    model.save(path)
    report = infer_model(load_file(str(path))[0])
    rows = {r.name: (r.outputs, r.params) for r in report.layers}
    assert rows["inner"] == (((None, 5, 2),), inner.count_params())
    assert rows["top"] == (((None, 3),), model.get_layer("top").count_params())
    assert report.total_params == model.count_params()


def test_positions_match_a_straightforward_parser() -> None:
    text = (KERAS_FILES / "func_rnn.to_json.json").read_text()
    fast, doc = loads(text, "f")
    slow, _ = _slow_loads(text, Doc(text, "f"))
    assert fast == slow == json.loads(text)
    layer = fast["config"]["layers"][3]
    assert str(doc.obj_pos(layer)) == "f:121:4"
    line = text.splitlines()[doc.obj_pos(layer).line - 1]
    assert line.strip() == "{"


def test_duplicate_keys_fall_back_to_exact_positions() -> None:
    value, doc = loads('{"a": {"x": 1},\n "a": [{"c": 2}]}', "d")
    assert value == {"a": [{"c": 2}]}
    assert str(doc.obj_pos(value["a"][0])) == "d:2:8"


@pytest.mark.parametrize("text", ["", "[1,", '{"a" 1}', "[" * 5000 + "]" * 5000, "\x00"])
def test_malformed_json_is_a_format_error(text: str) -> None:
    with pytest.raises(FormatError):
        loads(text, "bad")
