"""Differential test: run the fixtures' model code with real Keras 3, compare with the static reading.

rnnshape never runs user code; this test does, on purpose, on our own fixture files, to
prove that what rnnshape reads without running them is what Keras builds from them.
Shapes and parameter counts are integers, so they must match exactly.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from rnnshape.formats.notebook import extract_notebook
from rnnshape.formats.python_source import extract_python
from rnnshape.infer import infer_model
from rnnshape.spec import ModelSpec

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
STYLES = FIXTURES / "pysrc" / "styles.py"

CASES = [
    (SEEDS / "seed_000.py", ["model"]),
    (SEEDS / "seed_002.py", ["model"]),
    (SEEDS / "seed_003.py", ["model"]),
    (STYLES, ["tagger", "stacked", "forecaster", "seq2seq", "siamese"]),
]


def keras3_source(text: str) -> str:
    """The fixture as Keras 3 code: tf.keras imports become keras; the Keras 2 idioms
    rnnshape notes (Keras 3 rejects them) are rewritten as its notes say: ``batch_input_shape=``
    on a layer becomes an Input first, ``rnn.build(input_shape=S)`` becomes ``rnn.build(S)``."""
    text = text.replace("tensorflow.keras", "keras").replace(".build(input_shape=", ".build(")
    return re.sub(
        r"model\.add\((\w+)\((.*?)batch_input_shape=(\([^)]*\)),\s*(.*)\)\)",
        r"model.add(Input(batch_shape=\3))\nmodel.add(\1(\2\4))",
        text,
    )


@pytest.fixture
def run_fixture(keras: Any, monkeypatch: pytest.MonkeyPatch):
    """Execute a fixture file's code (ours, trusted) with notebook-only names stubbed."""
    for name in ("pandas", "matplotlib", "matplotlib.pyplot"):
        try:
            importlib.import_module(name)
        except ImportError:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    magics = types.SimpleNamespace(run_line_magic=lambda *args: None, system=lambda *args: None)

    def run(path: Path) -> dict[str, Any]:
        namespace: dict[str, Any] = {"__name__": "fixture", "get_ipython": lambda: magics}
        exec(compile(keras3_source(path.read_text()), str(path), "exec"), namespace)  # noqa: S102 - our own fixture
        return namespace

    return run


def layer_rows_keras(model: Any) -> list[tuple[str, int]]:
    return sorted((type(layer).__name__, layer.count_params()) for layer in model.layers if type(layer).__name__ != "InputLayer")


def layer_rows_rnnshape(spec: ModelSpec) -> list[tuple[str, int]]:
    return sorted((r.class_name, r.params) for r in infer_model(spec).layers if r.class_name != "InputLayer")


@pytest.mark.parametrize("path,names", CASES, ids=[p.name for p, _ in CASES])
def test_static_reading_matches_keras(path: Path, names: list[str], run_fixture) -> None:
    specs = dict(extract_python(path.read_text(), str(path)).models)
    namespace = run_fixture(path)
    for name in names:
        spec, built = specs[name], namespace[name]
        assert isinstance(spec, ModelSpec), spec
        report = infer_model(spec)
        # Same total, same per-layer parameter counts, same output shapes.
        assert report.total_params == built.count_params(), name
        assert layer_rows_rnnshape(spec) == layer_rows_keras(built), name
        assert list(report.outputs) == [tuple(t.shape) for t in built.outputs], name


def test_bare_built_layer_matches_keras_weights(run_fixture) -> None:
    path = SEEDS / "seed_004.py"
    (spec,) = [s for _, s in extract_python(path.read_text(), str(path)).models]
    assert isinstance(spec, ModelSpec)
    layer = run_fixture(path)["rnn_layer"]
    (report,) = infer_model(spec).layers
    assert [w.shape for w in report.weights] == [tuple(w.shape) for w in layer.weights]
    assert report.params == layer.count_params()


def test_notebook_and_script_read_the_same() -> None:
    for seed in ("000", "001", "002", "003", "004"):
        from_py = [s for _, s in extract_python((SEEDS / f"seed_{seed}.py").read_text(), "x").models]
        from_nb = [s for _, s in extract_notebook((SEEDS / f"seed_{seed}.ipynb").read_text(), "x").models]
        assert [layer_rows_rnnshape(s) for s in from_py if isinstance(s, ModelSpec)] == [
            layer_rows_rnnshape(s) for s in from_nb if isinstance(s, ModelSpec)
        ]
