"""Every real Keras file in the shared reference loads; where its layers are in the
registry, rnnshape's per-layer output shapes and params equal what Keras reports.

Keras 3 files are checked against Keras 3 loading the same model; Keras 2 files
against tf_keras (the maintained Keras 2), since Keras 3 cannot read them (§3.6).
Files whose layers are not registered yet are skipped by name and start being
checked as soon as those layer entries exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import KERAS_FILES
from keras_truth import assert_same_rows, keras_rows, rnnshape_rows
from rnnshape.errors import SpecError
from rnnshape.formats import load_file
from rnnshape.infer import infer_model
from rnnshape.spec import LayerSpec, ModelSpec

# Files that hold no model: metadata, weights only, text dumps.
NOT_MODELS = ("metadata.json", "weights.h5", ".txt", ".md", ".py")
MODEL_FILES = sorted(
    p.name for p in KERAS_FILES.glob("*") if not p.name.endswith(NOT_MODELS)
)

# Which real file Keras reads as the truth for each sample (same model, another format).
KERAS3_TRUTH = {
    "func_rnn": "func_rnn.keras",
    "seq_rnn": "seq_rnn.keras",
    "k3_extra_seq2seq.json": "k3_extra_seq2seq.json",
    "seq_input_shape_kw.to_json.json": "seq_input_shape_kw.to_json.json",
}
KERAS2_TRUTH = {
    "k2_func_rnn": "k2_func_rnn.h5",
    "k2_seq_rnn": "k2_seq_rnn.h5",
    "k2_seq2seq.to_json.json": "k2_seq2seq.to_json.json",
    "k2_seq_stateful.to_json.json": "k2_seq_stateful.to_json.json",
    "k2_old_style_2.2.4.json": "k2_old_style_2.2.4.json",
}
# Illustrations with keys cut out (here: enc's return_state), so the graph is broken.
TRIMMED_BROKEN = {"trimmed_k2_seq2seq.to_json.json", "trimmed_k3_extra_seq2seq.json"}
UNBUILT = {"seq_unbuilt.to_json.json", "k2_seq_unbuilt.to_json.json"}


def _truth_file(name: str, table: dict[str, str]) -> str | None:
    return table.get(name) or next((v for k, v in table.items() if name.startswith(k + ".")), None)


@pytest.mark.parametrize("name", MODEL_FILES)
def test_every_reference_model_file_loads(name: str) -> None:
    (model,) = load_file(str(KERAS_FILES / name), input_layer=_unbuilt_input(name))
    assert model.calls, "a model with no layers"
    # Layer names are the file's own names.
    text_names = _names_in_file(name)
    if text_names:
        assert {c.layer.name for c in model.calls} <= text_names


def _names_in_file(name: str) -> set[str]:
    if not name.endswith(".json"):
        return set()
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("config"), dict) and isinstance(value["config"].get("name"), str):
                found.add(value["config"]["name"])
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)

    visit(json.loads((KERAS_FILES / name).read_text()))
    return found


def _unbuilt_input(name: str) -> LayerSpec | None:
    if name in UNBUILT:
        return LayerSpec("InputLayer", {"batch_shape": [None, 10, 8]}, None)
    return None


@pytest.mark.parametrize("name", sorted(UNBUILT))
def test_unbuilt_model_is_explained_with_its_input_size_as_a_symbol(name: str) -> None:
    (model,) = load_file(str(KERAS_FILES / name))
    assert isinstance(model, ModelSpec) and model.symbolic_input
    assert any("--input-shape T,D" in note for note in model.notes)
    report = infer_model(model)
    assert [r.params_poly.text() for r in report.layers] == ["16D + 80", "5"]  # LSTM(4) on D, then Dense(1)


@pytest.mark.parametrize("name", sorted(TRIMMED_BROKEN))
def test_trimmed_graph_reports_the_missing_state_tensor(name: str) -> None:
    (model,) = load_file(str(KERAS_FILES / name))
    with pytest.raises(SpecError, match=r"enc\[0\]\[1\]"):
        infer_model(model)


@pytest.mark.parametrize("name", [n for n in MODEL_FILES if _truth_file(n, KERAS3_TRUTH)])
def test_keras3_files_match_keras(name: str, keras: Any) -> None:
    (model,) = load_file(str(KERAS_FILES / name))
    truth = _load_keras3(keras, _truth_file(name, KERAS3_TRUTH) or name)
    assert_same_rows(rnnshape_rows(infer_model(model)), keras_rows(truth))


@pytest.mark.parametrize("name", [n for n in MODEL_FILES if _truth_file(n, KERAS2_TRUTH)])
def test_keras2_files_match_tf_keras(name: str, tf_keras: Any) -> None:
    (model,) = load_file(str(KERAS_FILES / name))
    truth = _load_keras2(tf_keras, _truth_file(name, KERAS2_TRUTH) or name)
    assert_same_rows(rnnshape_rows(infer_model(model)), keras_rows(truth), skip_inputs=True)


@pytest.mark.parametrize("name", sorted(UNBUILT))
def test_unbuilt_with_input_shape_matches_keras(name: str, keras: Any) -> None:
    (model,) = load_file(str(KERAS_FILES / name), input_layer=_unbuilt_input(name))
    data = json.loads((KERAS_FILES / name).read_text())
    truth = keras.Sequential(
        [keras.Input(shape=(10, 8))]
        + [getattr(keras.layers, o["class_name"]).from_config(_k3_config(o["config"])) for o in data["config"]["layers"]]
    )
    assert_same_rows(rnnshape_rows(infer_model(model)), keras_rows(truth), skip_inputs=True)


def test_trimmed_sequential_files_equal_their_full_versions() -> None:
    for trimmed, full in [("trimmed_seq_rnn.to_json.json", "seq_rnn.to_json.json"),
                          ("trimmed_k2_seq_rnn.to_json.json", "k2_seq_rnn.to_json.json")]:
        a = rnnshape_rows(infer_model(load_file(str(KERAS_FILES / trimmed))[0]))
        b = rnnshape_rows(infer_model(load_file(str(KERAS_FILES / full))[0]))
        assert a == b


def _k3_config(cfg: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cfg.items() if k not in ("time_major", "batch_input_shape")}


def _load_keras3(keras: Any, name: str) -> Any:
    path = KERAS_FILES / name
    if name.endswith(".keras"):
        return keras.saving.load_model(str(path), compile=False)
    return keras.models.model_from_json(path.read_text())


def _load_keras2(tf_keras: Any, name: str) -> Any:
    path = KERAS_FILES / name
    if name.endswith(".h5"):
        return tf_keras.models.load_model(str(path), compile=False)
    return tf_keras.models.model_from_json(path.read_text())


@pytest.fixture(scope="session")
def tf_keras(keras: Any) -> Any:
    return pytest.importorskip("tf_keras", reason="Keras 2 checks need tf_keras (pip install -e '.[test]')")


def test_reference_dir_exists() -> None:
    assert MODEL_FILES, f"no reference files under {KERAS_FILES}"
    assert Path(KERAS_FILES / "seq_rnn.keras").exists()
