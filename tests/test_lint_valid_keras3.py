"""Lint never blocks valid Keras 3 code, and says so where Keras 3 refuses Keras 2 calls.

Each claim a rule makes about what Keras 3 accepts or rejects is checked here with the
real installed Keras; the linter is run on the same code as Python sources and
notebooks, and its notebook positions are checked in every output format.
"""

from __future__ import annotations

import json
import warnings
from itertools import permutations
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rnnshape.lint import Settings, lint_file
from rnnshape.errors import Position
from rnnshape.lint.problem import Level, Problem
from rnnshape.lint.rules_keras2 import INPUT_ARGS
from rnnshape.lint.vocabulary import KERAS2_ARGS
from rnnshape.render.lint import render_github, render_json, render_sarif, render_text


def _raises(make: Any) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            make()
    except Exception:
        return True
    return False


# ------------------------------------------------------------ what Keras 3 really does


def test_keras3_refuses_every_keras2_argument_on_a_layer(keras: Any) -> None:
    for key in KERAS2_ARGS:
        assert _raises(lambda: keras.layers.LSTM(4, **{key: 1})), key
        assert _raises(lambda: keras.layers.Dense(4, **{key: 1})), key


def test_keras3_refuses_batch_size_even_on_the_first_layer(keras: Any) -> None:
    assert _raises(lambda: keras.Sequential([keras.layers.LSTM(4, input_shape=(5, 3), batch_size=2)]))
    assert _raises(lambda: keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(2, 5, 3))]))
    # ...while InputLayer takes both.
    assert keras.layers.InputLayer(batch_input_shape=(2, 5, 3)).batch_shape == (2, 5, 3)
    assert keras.Input(shape=(5, 3), batch_size=2).shape == (2, 5, 3)


def test_keras3_accepts_embedding_own_arguments_and_ignores_input_args_elsewhere(keras: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        emb = keras.layers.Embedding(input_dim=100, output_dim=8)
        model = keras.Sequential([keras.Input((6,)), emb, keras.layers.LSTM(4, **{INPUT_ARGS[0]: (99, 99)})])
    assert emb.output_dim == 8 and model.output_shape == (None, 4)


def test_keras3_builds_a_model_without_input_shape_at_its_first_call(keras: Any) -> None:
    model = keras.Sequential([keras.layers.Embedding(100, 8), keras.layers.LSTM(4), keras.layers.Dense(1)])
    assert not model.built
    out = model(np.zeros((2, 7), dtype="int32"))
    assert tuple(out.shape) == (2, 1) and model.built


# ------------------------------------------------------------ the linter on Python sources

TEXT_CLASSIFIER = """\
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense

max_features, maxlen = 20000, 80
model = Sequential()
model.add(Embedding(input_dim=max_features, output_dim=128, input_length=maxlen))
model.add(LSTM(64, dropout=0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
"""

STATEFUL_KERAS2 = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense

model = Sequential()
model.add(LSTM(8, input_shape=(10, 3), batch_size=32, stateful=True))
model.add(Dense(1, batch_size=32))
"""


def _lint_source(tmp_path: Path, text: str, name: str = "m.py") -> list[tuple[str, str, int | None]]:
    path = tmp_path / name
    path.write_text(text)
    return [(p.code, p.level.value, p.pos.line) for p in lint_file(str(path), Settings()).problems]


def test_an_embedding_first_model_without_input_shape_is_not_an_error(tmp_path: Path) -> None:
    # The Python reader reads an Embedding-first Sequential on (None, input_length), as
    # Keras 3 builds it at its first call, so its shapes are checked and nothing is reported.
    assert _lint_source(tmp_path, TEXT_CLASSIFIER) == []
    # A config is read the same way, on token ids of unknown length: checked, nothing to report.
    config = "layers:\n  - Embedding: {input_dim: 100, output_dim: 8}\n  - LSTM: 4\n"
    (tmp_path / "m.yaml").write_text(config)
    assert lint_file(str(tmp_path / "m.yaml"), Settings()).problems == ()
    # A layer that builds weights on that unknown length is valid Keras 3 too (built on the
    # data's length at the first call): noted (RS905) in both spellings, never an error.
    flat_yaml = "layers:\n  - Embedding: {input_dim: 100, output_dim: 8}\n  - Flatten\n  - Dense: 1\n"
    flat_py = "import keras\nm = keras.Sequential([keras.layers.Embedding(100, 8), keras.layers.Flatten(), keras.layers.Dense(1)])\n"
    (tmp_path / "flat.yaml").write_text(flat_yaml)
    (tmp_path / "flat.py").write_text(flat_py)
    for name in ("flat.yaml", "flat.py"):
        found = [(p.code, p.level.value, p.layer) for p in lint_file(str(tmp_path / name), Settings()).problems]
        assert found == [("RS905", "info", "dense")], name


def test_batch_size_on_layers_is_rejected_as_keras3_does(tmp_path: Path) -> None:
    found = _lint_source(tmp_path, STATEFUL_KERAS2)
    assert [f for f in found if f[0] == "RS201"] == [("RS201", "error", 5), ("RS201", "error", 6)]
    assert "RS202" not in {f[0] for f in found} and "RS105" not in {f[0] for f in found}


STATEFUL_IN_A_FUNCTION = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense


def build_model(units, batch=4):
    model = Sequential()
    model.add(LSTM(units, batch_input_shape=(batch, 10, 3), stateful=True))
    model.add(Dense(1))
    return model


model = build_model(8)
"""


def test_batch_input_shape_on_a_layer_inside_a_model_building_function_is_rs201(tmp_path: Path) -> None:
    # Keras 3 refuses it there as anywhere (test_keras3_refuses_batch_size_even_on_the_first_layer).
    path = tmp_path / "m.py"
    path.write_text(STATEFUL_IN_A_FUNCTION)
    problems = lint_file(str(path), Settings()).problems
    assert [(p.code, p.level, p.pos.line) for p in problems] == [("RS201", Level.ERROR, 7)]
    assert "batch_input_shape=" in problems[0].message


def test_a_keras_layer_rnnshape_lacks_is_a_warning_a_made_up_one_an_error(tmp_path: Path) -> None:
    config = "input_shape: [10, 8]\nlayers:\n  - {cls}: {{filters: 4, kernel_size: 3}}\n  - LSTM: 4\n"
    (tmp_path / "real.yaml").write_text(config.format(cls="DepthwiseConv1D"))
    (tmp_path / "typo.yaml").write_text(config.format(cls="SeperableConv1D"))
    real = lint_file(str(tmp_path / "real.yaml"), Settings()).problems
    typo = lint_file(str(tmp_path / "typo.yaml"), Settings()).problems
    assert [(p.code, p.level) for p in real] == [("RS906", Level.WARNING)]
    assert [(p.code, p.level) for p in typo] == [("RS104", Level.ERROR)]


# ------------------------------------------------------------ notebooks in every format


def _notebook(tmp_path: Path) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A model\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["from keras.models import Sequential\n", "from keras.layers import LSTM, Dense\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["model = Sequential()\n", "model.add(LSTM(8, input_shape=(10, 3)))\n",
                    "model.add(Dense(1, batch_size=4, time_major=False))\n"]},
    ]
    doc = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(doc))
    return str(path)


def test_notebook_positions_carry_the_cell_in_every_format(tmp_path: Path) -> None:
    result = lint_file(_notebook(tmp_path), Settings())
    errors = [p for p in result.problems if p.code == "RS201"]
    assert [(p.pos.cell, p.pos.line) for p in errors] == [(3, 3), (3, 3)]
    text = render_text([result])
    assert ":cell 3:line 3:col " in text
    data = json.loads(render_json([result]))
    rows = [p for p in data["files"][0]["problems"] if p["code"] == "RS201"]
    assert {(p["cell"], p["line"]) for p in rows} == {(3, 3)}
    github = [line for line in render_github([result]).splitlines() if "RS201" in line]
    assert github and all("::cell 3:line 3:col " in line and ",line=" not in line for line in github)
    sarif = json.loads(render_sarif([result]))["runs"][0]["results"]
    ours = [r for r in sarif if r["ruleId"] == "RS201"]
    assert ours and all(r["properties"]["cell"] == 3 and r["properties"]["cellLine"] == 3 for r in ours)
    assert all(r["message"]["text"].startswith("cell 3:line 3:col ") for r in ours)
    assert all("region" not in r["locations"][0]["physicalLocation"] for r in ours)


def test_findings_at_one_position_come_out_in_one_order(tmp_path: Path) -> None:
    path = _notebook(tmp_path)
    first = [(p.code, p.message) for p in lint_file(path, Settings()).problems]
    for _ in range(3):
        assert [(p.code, p.message) for p in lint_file(path, Settings()).problems] == first
    # Same file, cell, line, column and code: the message decides, whatever the set order.
    here = Position("nb.ipynb", 3, 5, cell=2)
    problems = [Problem("RS201", Level.ERROR, f"{key}= is a Keras 1/2 argument", here) for key in ("b", "c", "a")]
    orders = {tuple(p.message for p in sorted(perm, key=lambda p: p.sort_key)) for perm in permutations(problems)}
    assert orders == {("a= is a Keras 1/2 argument", "b= is a Keras 1/2 argument", "c= is a Keras 1/2 argument")}
