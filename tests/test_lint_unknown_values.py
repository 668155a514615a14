"""Lint finds real Keras 3 errors in models it cannot read whole: a shape error that holds
whatever a value from data is, and a Keras 2 argument Keras 3 rejects in any layer call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

HEADER = "import keras\nfrom keras import layers\nvocab = len({w for w in open('corpus.txt').read().split()})\n"


def _errors(cli: Any, path: Path) -> list[tuple[str, int, str]]:
    result = cli("lint", "-f", "json", str(path))
    problems = json.loads(result.stdout)["files"][0]["problems"]
    found = [(p["code"], p["line"], p["message"]) for p in problems if p["level"] == "error"]
    assert result.code == (1 if found else 0)
    return found


def test_a_shape_error_that_does_not_depend_on_the_unknown_value_is_reported(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        HEADER
        + "words = keras.Input(shape=(12,), dtype='int32')\n"
        + "e = layers.Embedding(vocab, 32)(words)\n"
        + "both = layers.Concatenate(axis=1)([layers.LSTM(32, return_sequences=True)(e), layers.LSTM(16, return_sequences=True)(e)])\n"
        + "model = keras.Model(words, layers.Dense(2)(both))\n"
    )
    ((code, line, message),) = _errors(cli, path)
    assert (code, line) == ("RS102", 6)
    assert message.endswith(
        'Keras 3 raises "A `Concatenate` layer requires inputs with matching shapes except for the concatenation '
        'axis. Received: input_shape=[(None, 12, 32), (None, 12, 16)]"'
    )
    # The model itself stays skipped: explain cannot give its sizes without the value.
    assert "--set vocab=VALUE" in cli("explain", str(path)).stderr


def test_a_shape_error_that_depends_on_the_unknown_value_is_not_claimed(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        HEADER
        + "x = keras.Input(shape=(8,))\n"
        + "model = keras.Model(x, layers.Add()([layers.Dense(vocab)(x), layers.Dense(5)(x)]))\n"
    )
    assert _errors(cli, path) == []  # Add fails unless vocab is 5 (or 1): not an error for every value


def test_valid_code_with_values_from_data_gets_no_error(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        HEADER
        + "model = keras.Sequential([keras.Input((20,)), layers.Embedding(vocab, 16), layers.LSTM(8), layers.Dense(vocab)])\n"
    )
    assert _errors(cli, path) == []


@pytest.mark.parametrize(
    "where",
    [
        # a model skipped for a value from data
        "model = keras.Sequential([layers.Embedding(vocab, 16, batch_input_shape=[32, None]), layers.GRU(8)])\n",
        # a model-building function the file never calls
        "def build():\n    return keras.Sequential([layers.GRU(8, batch_input_shape=(32, 5, 3), stateful=True)])\n",
    ],
    ids=["skipped-model", "uncalled-function"],
)
def test_batch_input_shape_on_a_layer_is_an_error_in_code_not_read(where: str, tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text(HEADER + where)
    found = _errors(cli, path)
    assert len(found) == 1 and found[0][0] == "RS201" and found[0][2].startswith("batch_input_shape= is a Keras 1/2 argument that Keras 3 rejects on ")
    said = cli("explain", str(path)).stderr
    assert "(batch_input_shape=...) is in code rnnshape does not read as a model, and Keras 3 rejects it" in said


def test_batch_input_shape_in_a_model_read_is_reported_once(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([layers.LSTM(8, batch_input_shape=(4, 5, 3)), layers.Dense(1, batch_size=4)])\n"
    )
    assert [(code, line) for code, line, _ in _errors(cli, path)] == [("RS201", 3), ("RS201", 3)]
    assert "does not read as a model" not in cli("explain", str(path)).stderr


def test_keras_3_rejects_batch_input_shape_and_batch_size_on_a_layer() -> None:
    import keras

    for kwargs in ({"batch_input_shape": [32, None]}, {"batch_size": 32}):
        with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Embedding"):
            keras.layers.Embedding(10, 16, **kwargs)
