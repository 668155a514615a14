"""Operations on symbolic tensors (keras.ops calls, operators, slicing) against real Keras 3.

Each case is a few lines of model code. The test runs it with real Keras (on purpose: it is
our own code, never a user's) and has rnnshape read the same text statically; every row of
Keras's summary (its ``model.operations``: layers and operations) must appear in rnnshape's
report with the same class, output shape and parameter count, in the same number. A case
whose shapes do not fit must make both fail: Keras with a ValueError, rnnshape with exit 1
and a message that carries Keras's own sentence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from keras_truth import keras_rows

HEADER = "import keras\nfrom keras import layers, ops\n"

# (id, model code, output expression); every case starts from x: (None, 10, 3) and h = LSTM(8) over it.
START = "x = keras.Input(shape=(10, 3))\nh = layers.LSTM(8, return_sequences=True)(x)\n"
VALID = [
    ("one_hot", "t = keras.Input(shape=(16,), dtype='int32')\ny = ops.one_hot(t, 12)\nz = layers.GRU(4)(y)", "t", "z"),
    ("one_hot_axis", "t = keras.Input(shape=(16,), dtype='int32')\ny = ops.one_hot(t, 5, axis=1)", "t", "y"),
    ("concatenate", "y = ops.concatenate([h, h], axis=-1)", "x", "y"),
    ("concatenate_time", "y = ops.concatenate([h, h[:, :4]], axis=1)", "x", "y"),
    ("stack", "y = ops.stack([h, h], axis=1)", "x", "y"),
    ("expand_squeeze", "y = ops.squeeze(ops.expand_dims(ops.mean(h, axis=-1), -1), axis=-1)", "x", "y"),
    ("expand_many", "y = ops.expand_dims(h, (0, 2))", "x", "y"),
    ("squeeze_all", "y = ops.squeeze(ops.sum(h, axis=1, keepdims=True))", "x", "y"),
    ("reshape", "y = ops.reshape(ops.max(h, axis=1), (-1, 2, 4))\nz = layers.GRU(3)(y)", "x", "z"),
    ("reshape_fixed", "y = ops.reshape(h, (-1, 80))", "x", "y"),
    ("transpose", "y = ops.transpose(h, (0, 2, 1))\nz = layers.SimpleRNN(2)(y)", "x", "z"),
    ("transpose_default", "y = ops.transpose(h)", "x", "y"),
    ("reductions", "y = ops.concatenate([ops.sum(h, 1), ops.mean(h, 1), ops.max(h, 1), ops.min(h, 1), ops.prod(h, 1)], -1)", "x", "y"),
    ("keepdims", "y = ops.mean(h, axis=(1, 2), keepdims=True)", "x", "y"),
    ("reduce_all", "y = ops.sum(h)", "x", "y"),
    ("matmul", "y = ops.matmul(h, ops.transpose(h, (0, 2, 1)))", "x", "y"),
    ("matmul_operator", "y = h @ ops.transpose(h, (0, 2, 1))", "x", "y"),
    ("cast", "y = ops.cast(h, 'float16')", "x", "y"),
    ("split", "a, b = ops.split(h, 2, axis=-1)\ny = ops.concatenate(ops.split(b, [1, 3], axis=1) + [a], axis=1)", "x", "y"),
    ("operators", "y = -(2 * (h + 1.0) - h) / 4", "x", "y"),
    ("broadcast", "y = h * ops.expand_dims(ops.mean(h, axis=-1), -1)", "x", "y"),
    ("reverse_operands", "y = 1 - h", "x", "y"),
    ("last_step", "y = h[:, -1, :]", "x", "y"),
    ("last_step_short", "y = h[:, -1]", "x", "y"),
    ("strided", "y = h[:, ::2, None]", "x", "y"),
    ("ellipsis", "y = h[..., :3]", "x", "y"),
    ("state_slice", "out, hs, cs = layers.LSTM(4, return_state=True)(x)\ny = ops.concatenate([hs, cs], axis=-1)", "x", "y"),
    ("merge_helpers", "y = layers.concatenate([h, h])\nz = layers.add([y, y])\nw = layers.dot([z, z], axes=2)", "x", "w"),
]
INVALID = [
    ("concatenate_ranks", "y = ops.concatenate([h, ops.mean(h, axis=1)], axis=-1)", "Every value in `xs` must have the same shape"),
    ("broadcast", "y = h + ops.mean(h, axis=-1)", "Cannot broadcast shape, the failure dim has value 8, which cannot be broadcasted to 10"),
    # Keras checks the size only where every dimension is known (here after a first reshape).
    ("reshape_size", "y = ops.reshape(ops.reshape(h, (4, 80)), (3, -1))", "The total size of the tensor must be unchanged"),
    ("reshape_two_unknowns", "y = ops.reshape(h, (-1, -1))", "There must be at most one unknown dimension (-1) in `newshape`"),
    ("transpose_length", "y = ops.transpose(h, (0, 1))", "axis must be a list of the same length as the input shape, expected 3, but received 2"),
    ("axis", "y = ops.mean(h, axis=3)", "axis 3 is out of bounds for an array with dimension 3"),
    ("squeeze", "y = ops.squeeze(h, axis=1)", "Cannot squeeze axis 1, because the dimension is not 1"),
    ("matmul", "y = ops.matmul(h, h)", "Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal"),
    ("index", "y = h[:, 10]", "out-of-bounds index"),
    ("stack", "y = ops.stack([h, h[:, 1:]])", "Every value in `x` must have the same shape"),
    ("split", "a, b, c = ops.split(h, 3, axis=-1)\ny = a", "must be divisible by `indices_or_sections`"),
]


def _source(code: str, out: str, inp: str = "x") -> str:
    start = "" if code.startswith("t = ") else START
    return f"{HEADER}{start}{code}\nmodel = keras.Model({inp}, {out})\n"


def _keras_rows(keras: Any, source: str) -> list[tuple[str, tuple[Any, ...], int]]:
    keras.backend.clear_session()
    scope: dict[str, Any] = {}
    exec(compile(source, "<case>", "exec"), scope)  # our own test code, run by real Keras
    return sorted(keras_rows(scope["model"]).values(), key=repr)


def _shapes(shape: list[Any]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(s) for s in shape) if shape and isinstance(shape[0], list) else (tuple(shape),)


def _rnnshape(cli: Any, tmp_path: Path, source: str) -> Any:
    path = tmp_path / "case.py"
    path.write_text(source, encoding="utf-8")
    return cli("explain", "-f", "json", str(path))


@pytest.mark.parametrize(("case", "code", "inp", "out"), VALID, ids=[c[0] for c in VALID])
def test_operations_have_kerass_rows(keras: Any, cli: Any, tmp_path: Path, case: str, code: str, inp: str, out: str) -> None:
    source = _source(code, out, inp)
    theirs = _keras_rows(keras, source)
    result = _rnnshape(cli, tmp_path, source)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    ours = sorted(
        ((r["class_name"], _shapes(r["output_shape"]), r["params"]) for r in report["layers"]), key=repr
    )
    assert ours == theirs
    assert any(r["class_name"] not in ("InputLayer", "LSTM", "GRU", "SimpleRNN") for r in report["layers"])


@pytest.mark.parametrize(("case", "code", "needle"), INVALID, ids=[c[0] for c in INVALID])
def test_shapes_that_do_not_fit_fail_as_in_keras(
    keras: Any, cli: Any, tmp_path: Path, case: str, code: str, needle: str | None
) -> None:
    source = _source(code, "y")
    with pytest.raises(ValueError) as raised:
        _keras_rows(keras, source)
    result = _rnnshape(cli, tmp_path, source)
    assert result.code == 1
    assert "raises ValueError: " in result.stderr
    # rnnshape quotes Keras's own sentence: the first 60 characters of it, at least.
    gist = re.sub(r"\s+", " ", str(raised.value))[:60]
    assert gist in re.sub(r"\s+", " ", result.stderr), (str(raised.value), result.stderr)
    if needle is not None:
        assert needle in str(raised.value) and needle in result.stderr


def test_check_rebuilds_operations_with_keras_ops_and_agrees(keras: Any, cli: Any, tmp_path: Path) -> None:
    code = "y = ops.reshape(ops.concatenate([h[:, -1], ops.max(h, axis=1)], axis=-1), (-1, 4, 4)) * 2\nz = layers.GRU(3)(y)"
    path = tmp_path / "case.py"
    path.write_text(_source(code, "z"), encoding="utf-8")
    result = cli("check", str(path))
    assert result.code == 0, result.output
    for row in ("get_item (GetItem)", "max (Max)", "concatenate (Concatenate)", "reshape (Reshape)", "multiply (Multiply)"):
        line = next(line for line in result.stdout.splitlines() if row in line)
        assert line.rstrip().endswith("agree"), line
    assert "1 model checked: 1 agree" in result.stdout
