"""Lint checks the part of a Python model it can read when a later value is unknown.

A Sequential model whose input is given in the code is built by Keras 3 layer by layer as
the layers are added (a list given to Sequential, in its order), so a shape error among the
layers before an unknown value is raised whatever that value is. Lint reports it beside the
RS904 warning that says the rest of the model was skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rnnshape.lint import Settings, lint_file
from rnnshape.lint.problem import Level

HEAD = """\
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input

data = np.load("x.npy")
n_classes = data.shape[1]
"""

ADDED = HEAD + """\
model = Sequential()
model.add(Input(shape=(10, 3)))
model.add(LSTM(8))
model.add(LSTM(4))
model.add(Dense(n_classes))
"""

LISTED = HEAD + """\
model = Sequential([Input(shape=(10, 3)), LSTM(8), LSTM(4), Dense(n_classes)])
"""

VALID = HEAD + """\
model = Sequential()
model.add(Input(shape=(10, 3)))
model.add(LSTM(8, return_sequences=True))
model.add(LSTM(4))
model.add(Dense(n_classes))
"""

UNKNOWN_FIRST = HEAD + """\
model = Sequential()
model.add(Input(shape=(10, 3)))
model.add(LSTM(n_classes))
model.add(LSTM(4))
"""


def _findings(tmp_path: Path, text: str) -> list[tuple[str, Level, int | None]]:
    path = tmp_path / "m.py"
    path.write_text(text)
    return [(p.code, p.level, p.pos.line) for p in lint_file(str(path), Settings()).problems]


@pytest.mark.parametrize(("text", "line"), [(ADDED, 10), (LISTED, 7)], ids=["added", "listed"])
def test_a_shape_error_before_the_unknown_value_is_reported(tmp_path: Path, text: str, line: int) -> None:
    found = _findings(tmp_path, text)
    assert ("RS904", Level.WARNING, 5) in found
    assert [f for f in found if f[1] is Level.ERROR] == [("RS101", Level.ERROR, line)]


def test_keras_raises_it_whatever_the_unknown_value_is(keras: Any) -> None:
    for n_classes in (1, 7):
        with pytest.raises(ValueError):
            keras.Sequential(
                [keras.Input(shape=(10, 3)), keras.layers.LSTM(8), keras.layers.LSTM(4), keras.layers.Dense(n_classes)]
            )
        model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8, return_sequences=True)])
        model.add(keras.layers.LSTM(4))
        model.add(keras.layers.Dense(n_classes))  # the valid model builds for any value


@pytest.mark.parametrize("text", [VALID, UNKNOWN_FIRST], ids=["valid-known-part", "unknown-first-layer"])
def test_nothing_but_the_skip_when_the_known_part_is_right_or_empty(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == [("RS904", Level.WARNING, 5)]
