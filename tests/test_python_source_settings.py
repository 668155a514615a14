"""``--set NAME=VALUE``: values a script computes from data, given by the user.

The refusal names the variable or expression and its line and shows the exact option;
with it, the model is read and matches what Keras builds when the data has those sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rnnshape.errors import Skipped, UsageError
from rnnshape.formats.python_settings import parse_settings, split_setting
from rnnshape.formats.python_source import extract_python
from rnnshape.infer import infer_model
from rnnshape.spec import ModelSpec

DATA_SCRIPT = """\
import numpy as np
from keras import layers, Sequential, Input
raw_data = np.load("jena.npy")
x_train = np.load("x.npy")
row, col = x_train.shape[1:]
chars = sorted(set(open("corpus.txt").read()))
vocab_size = len(set(chars)) + 1
forecaster = Sequential([Input(shape=(None, raw_data.shape[-1])), layers.LSTM(16), layers.Dense(1)])
text = Sequential([Input(shape=(None,)), layers.Embedding(vocab_size, 8), layers.GRU(4)])
chargen = Sequential([Input(shape=(40, len(chars))), layers.LSTM(32), layers.Dense(len(chars))])
pixels = Sequential([Input(shape=(row, col)), layers.SimpleRNN(6)])
"""

SETTINGS = ["raw_data.shape[-1]=14", "vocab_size=1000", "len(chars)=57", "row=28", "col=28"]
def models(settings: list[str] | None = None) -> dict[str, Any]:
    return dict(extract_python(DATA_SCRIPT, "d.py", settings=parse_settings(settings or [])).models)


EXPECTED_HINTS = {
    "forecaster": ("--set 'raw_data.shape[-1]=VALUE'", "line 8"),
    "text": ("--set vocab_size=VALUE", "line 7"),
    "chargen": ("--set 'len(chars)=VALUE'", "line 10"),
    "pixels": ("--set row=VALUE", "line 5"),
}


@pytest.mark.parametrize("name", list(EXPECTED_HINTS))
def test_refusal_names_what_to_set_and_where(name: str) -> None:
    entry = models()[name]
    option, line = EXPECTED_HINTS[name]
    assert isinstance(entry, Skipped)
    assert entry.hint is not None and option in entry.hint and line in entry.hint, entry.hint


def test_set_values_make_every_model_readable_and_match_keras(keras: Any) -> None:
    import numpy as np

    specs = models(SETTINGS)
    chars = [chr(ord("a") + i) for i in range(57)]
    built = {
        "forecaster": keras.Sequential([keras.Input(shape=(None, np.zeros((100, 14)).shape[-1])), keras.layers.LSTM(16), keras.layers.Dense(1)]),
        "text": keras.Sequential([keras.Input(shape=(None,)), keras.layers.Embedding(1000, 8), keras.layers.GRU(4)]),
        "chargen": keras.Sequential([keras.Input(shape=(40, len(chars))), keras.layers.LSTM(32), keras.layers.Dense(len(chars))]),
        "pixels": keras.Sequential([keras.Input(shape=np.zeros((10, 28, 28)).shape[1:]), keras.layers.SimpleRNN(6)]),
    }
    for name, model in built.items():
        spec = specs[name]
        assert isinstance(spec, ModelSpec), (name, spec)
        report = infer_model(spec)
        assert report.total_params == model.count_params(), name
        assert [r.params for r in report.layers if r.class_name != "InputLayer"] == [l.count_params() for l in model.layers], name
        assert list(report.outputs) == [tuple(t.shape) for t in model.outputs], name


def test_an_expression_is_matched_in_its_canonical_spelling() -> None:
    spec = models(["len( chars )=57"])["chargen"]
    assert isinstance(spec, ModelSpec)
    assert infer_model(spec).outputs == ((None, 57),)


def test_a_tuple_value_can_be_set_for_the_unpacked_expression() -> None:
    spec = models(["x_train.shape[1:]=(28, 5)"])["pixels"]
    assert isinstance(spec, ModelSpec)
    assert infer_model(spec).total_params == 6 * (5 + 6 + 1)  # SimpleRNN(6) on 5 features


def test_a_known_value_is_not_overridden() -> None:
    text = "from keras import layers, Sequential, Input\nU = 4\nm = Sequential([Input(shape=(3, 2)), layers.LSTM(U)])\n"
    ((_, spec),) = extract_python(text, "k.py", settings={"U": 9}).models
    assert isinstance(spec, ModelSpec) and infer_model(spec).outputs == ((None, 4),)


@pytest.mark.parametrize(
    "text,name,value",
    [("a=1", "a", 1), ("len(x) = (3, 4)", "len(x)", (3, 4)), ("d['k']=='s'", None, None), ("x.shape[-1]=14", "x.shape[-1]", 14)],
)
def test_parse_settings(text: str, name: str | None, value: Any) -> None:
    if name is None:
        with pytest.raises(UsageError):
            parse_settings([text])
        return
    assert parse_settings([text]) == {name: value}


def test_split_setting_ignores_comparisons() -> None:
    assert split_setting("n if a >= b else m=3") == ("n if a >= b else m", "3")


def test_bad_values_are_usage_errors() -> None:
    for bad in ["vocab_size", "vocab_size=abc", "=3", "1 +=2"]:
        with pytest.raises(UsageError):
            parse_settings([bad])


ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "rnnshape", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_cli_set_and_pyproject_set(tmp_path: Path) -> None:
    script = tmp_path / "d.py"
    script.write_text(DATA_SCRIPT)
    plain = run_cli("explain", "d.py", "--model", "text", cwd=tmp_path)
    assert plain.returncode == 1 and "--set vocab_size=VALUE" in plain.stderr
    given = run_cli("explain", "d.py", "--model", "text", "--set", "vocab_size=1000", "-f", "json", cwd=tmp_path)
    assert given.returncode == 0, given.stderr
    assert json.loads(given.stdout)["total_params"] == 8168
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nset = ["vocab_size=1000"]\n')
    configured = run_cli("explain", "d.py", "--model", "text", "-f", "json", cwd=tmp_path)
    assert configured.returncode == 0, configured.stderr
    assert json.loads(configured.stdout)["total_params"] == 8168
    # The command line wins over the file.
    overridden = run_cli("explain", "d.py", "--model", "text", "--set", "vocab_size=10", "-f", "json", cwd=tmp_path)
    assert overridden.returncode == 0 and json.loads(overridden.stdout)["total_params"] == 10 * 8 + 3 * 4 * (8 + 4 + 2)
    linted = run_cli("lint", "d.py", "--set", "raw_data.shape[-1]=14", "--set", "len(chars)=57", "--set", "row=2", "--set", "col=3", cwd=tmp_path)
    assert "RS904" not in linted.stdout, linted.stdout


def test_set_does_not_apply_to_layer_expressions(tmp_path: Path) -> None:
    result = run_cli("explain", "LSTM(4)", "--input-shape", "3,2", "--set", "a=1", cwd=tmp_path)
    assert result.returncode == 2 and "does not apply to layer expressions" in result.stderr
