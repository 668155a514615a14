"""Models read statically from .py files and notebooks: seeds, styles, aliases, constants, limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnnshape.errors import Position, RnnshapeError, Skipped, UsageError
from rnnshape.formats import load_entries, load_file
from rnnshape.formats.notebook import extract_notebook, strip_magics
from rnnshape.formats.python_keras import keras_symbol, might_define_model
from rnnshape.formats.python_source import extract_python
from rnnshape.formats.python_values import Path as ImportPath
from rnnshape.infer import infer_model
from rnnshape.spec import ModelSpec

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
STYLES = Path(__file__).resolve().parent / "fixtures" / "pysrc" / "styles.py"


def models_of(text: str, source: str = "m.py") -> dict[str, ModelSpec | RnnshapeError]:
    return dict(extract_python(text, source).models)


def only_spec(text: str) -> ModelSpec:
    found = models_of(text)
    assert len(found) == 1, found
    spec = next(iter(found.values()))
    assert isinstance(spec, ModelSpec), spec
    return spec


def summary(spec: ModelSpec) -> tuple[list[tuple[str, object, int]], int]:
    """(class, output shapes, params) of every non-input layer, and the total."""
    report = infer_model(spec)
    rows = [(r.class_name, r.outputs, r.params) for r in report.layers if r.class_name != "InputLayer"]
    return rows, report.total_params


def notebook(*cells: tuple[str, str]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True), "outputs": []}
                for kind, text in cells
            ],
        }
    )


# ---------------------------------------------------------------- the seeds


SEED_RNN_LESSON = [("SimpleRNN", ((None, 5),), 45), ("Dense", ((None, 2),), 12)]


@pytest.mark.parametrize("suffix", [".ipynb", ".py"])
@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_seed_simple_rnn_lesson_gives_45_12_57(seed: str, suffix: str) -> None:
    (spec,) = load_file(str(SEEDS / f"seed_{seed}{suffix}"))
    assert spec.name == "model"
    rows, total = summary(spec)
    assert rows == SEED_RNN_LESSON
    assert total == 57
    assert infer_model(spec).outputs == ((None, 2),)


@pytest.mark.parametrize("suffix", [".ipynb", ".py"])
def test_seed_003_batch_input_shape_gives_8_2_3_and_42_and_keeps_the_keras2_argument(suffix: str) -> None:
    (spec,) = load_file(str(SEEDS / f"seed_003{suffix}"))
    rows, total = summary(spec)
    assert rows == [("SimpleRNN", ((8, 2, 3),), 42)]
    assert total == 42
    layer = spec.calls[0].layer
    # Lint flags this Keras 2 idiom from here; the layer's own position points at the call.
    assert layer.legacy == {"batch_input_shape": [8, 2, 10]}
    assert any("batch_input_shape" in note for note in spec.notes)
    if suffix == ".ipynb":
        assert layer.pos == Position(str(SEEDS / "seed_003.ipynb"), 7, 11, cell=3)
    else:
        assert layer.pos is not None and layer.pos.cell is None and layer.pos.line is not None


@pytest.mark.parametrize("suffix", [".ipynb", ".py"])
def test_seed_004_bare_built_layer_is_a_one_layer_model_named_by_its_variable(suffix: str) -> None:
    (spec,) = load_file(str(SEEDS / f"seed_004{suffix}"))
    assert spec.name == "rnn_layer"
    report = infer_model(spec)
    (layer,) = report.layers
    assert [w.shape for w in layer.weights] == [(5, 2), (2, 2), (2,)]
    assert layer.outputs == ((None, None, 2),)
    assert report.total_params == 16
    assert any("bare SimpleRNN layer" in note for note in spec.notes)
    # Keras 3's RNN.build(sequences_shape) raises TypeError on the seed's keyword form.
    assert any("rnn_layer.build((None, None, 5))" in note for note in spec.notes)


def test_seed_cli_explain_json(cli) -> None:
    result = cli("explain", str(SEEDS / "seed_000.ipynb"), "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [layer["params"] for layer in data["layers"]] == [0, 45, 12]
    assert data["total_params"] == 57
    assert data["layers"][-1]["output_shape"] == [None, 2]


# ---------------------------------------------------------------- definition styles and aliases


def test_every_style_in_the_styles_fixture() -> None:
    specs = {name: entry for name, entry in extract_python(STYLES.read_text(), str(STYLES)).models}
    assert list(specs) == ["tagger", "stacked", "forecaster", "seq2seq", "siamese"]
    assert all(isinstance(s, ModelSpec) for s in specs.values())
    totals = {name: infer_model(s).total_params for name, s in specs.items() if isinstance(s, ModelSpec)}
    # Hand-computed: LSTM 4·8(4+8+1)=416, GRU 3·4(8+4+2)=168, Dense 3(4+1)=15.
    assert totals["tagger"] == 416 + 168 + 15
    # SimpleRNN 8(4+8+1)=104, SimpleRNN 5(8+5+1)=70, Dense 1(5+1)=6.
    assert totals["stacked"] == 104 + 70 + 6
    # GRU reset_after=False 3·8(4+8+1)=312, Dense 3(8+1)=27.
    assert totals["forecaster"] == 312 + 27
    # Two LSTMs 4·8(4+8+1)=416 each, Dense 3(8+1)=27.
    assert totals["seq2seq"] == 416 + 416 + 27
    # One shared SimpleRNN 5(4+5+1)=50, counted once.
    assert totals["siamese"] == 50


def test_functional_graph_specs_keep_inputs_states_and_shared_nodes() -> None:
    specs = dict(extract_python(STYLES.read_text(), str(STYLES)).models)
    seq2seq = specs["seq2seq"]
    assert isinstance(seq2seq, ModelSpec) and not seq2seq.sequential
    assert len(seq2seq.inputs) == 2
    decoder = seq2seq.calls[1]
    assert [(r.layer, r.tensor) for r in decoder.initial_state] == [("lstm", 1), ("lstm", 2)]
    siamese = specs["siamese"]
    assert isinstance(siamese, ModelSpec)
    assert [(c.layer.name, c.inputs[0].layer) for c in siamese.calls] == [
        ("simple_rnn", "input_layer"),
        ("simple_rnn", "input_layer_1"),
    ]
    assert [(r.layer, r.node) for r in siamese.outputs] == [("simple_rnn", 0), ("simple_rnn", 1)]
    report = infer_model(siamese)
    assert report.outputs == ((None, 5), (None, 5))


BODY = """
model = {seq}([{inp}(shape=(10, 3)), {rnn}(5), {dense}(2)])
"""

ALIASES = [
    ("from keras.models import Sequential\nfrom keras.layers import Input, SimpleRNN, Dense",
     dict(seq="Sequential", inp="Input", rnn="SimpleRNN", dense="Dense")),
    ("import keras", dict(seq="keras.Sequential", inp="keras.Input", rnn="keras.layers.SimpleRNN", dense="keras.layers.Dense")),
    ("import tensorflow as tf",
     dict(seq="tf.keras.Sequential", inp="tf.keras.Input", rnn="tf.keras.layers.SimpleRNN", dense="tf.keras.layers.Dense")),
    ("import tensorflow.keras as K", dict(seq="K.models.Sequential", inp="K.layers.Input", rnn="K.layers.SimpleRNN", dense="K.layers.Dense")),
    ("from tensorflow import keras", dict(seq="keras.Sequential", inp="keras.Input", rnn="keras.layers.SimpleRNN", dense="keras.layers.Dense")),
    ("from keras import layers as L, Sequential as S", dict(seq="S", inp="L.Input", rnn="L.SimpleRNN", dense="L.Dense")),
    ("from tensorflow.keras.layers import SimpleRNN as R, Dense as Fc, Input as I\nfrom tensorflow.keras import models",
     dict(seq="models.Sequential", inp="I", rnn="R", dense="Fc")),
    ("from tensorflow.keras.layers import *\nfrom tensorflow.keras.models import *",
     dict(seq="Sequential", inp="Input", rnn="SimpleRNN", dense="Dense")),
]


@pytest.mark.parametrize("header,names", ALIASES, ids=[h.splitlines()[0] for h, _ in ALIASES])
def test_import_aliases_all_mean_the_same_layers(header: str, names: dict[str, str]) -> None:
    rows, total = summary(only_spec(header + BODY.format(**names)))
    assert rows == SEED_RNN_LESSON
    assert total == 57


def test_names_not_from_keras_are_not_layers() -> None:
    text = "import keras\nfrom mylib import SimpleRNN\nmodel = keras.Sequential([keras.Input(shape=(4, 2)), SimpleRNN(3)])\n"
    (entry,) = models_of(text).values()
    assert isinstance(entry, Skipped)
    assert "SimpleRNN(...) comes from module 'mylib', which rnnshape does not read" in entry.message
    assert entry.pos == Position("m.py", 3, 54)


def test_keras_symbol_paths() -> None:
    assert keras_symbol(ImportPath(("tensorflow", "keras", "layers", "LSTM"))) == ("layers", "LSTM")
    assert keras_symbol(ImportPath(("keras", "Sequential"))) == ("", "Sequential")
    assert keras_symbol(ImportPath(("numpy", "zeros"))) is None


# ---------------------------------------------------------------- constant propagation


CONSTANTS = [
    # (assignments, expected input shape, expected units)
    ("T = 10\nD = 3\nM: int = 5", (None, 10, 3), 5),
    ("T, D = 10, 3\nM = T // 2", (None, 10, 3), 5),
    ("SHAPE = (10, 3)\nT, D = SHAPE\nM = int(T / 2)", (None, 10, 3), 5),
    ("T = 4\nT = T + 6\nD = 3\nM = 1\nM += 4", (None, 10, 3), 5),
    ("DIMS = [10, 3, 5]\nT = DIMS[0]\nD = DIMS[-2]\nM = DIMS[2]", (None, 10, 3), 5),
    ("T = None\nD = 3\nM = max(2, 5)", (None, None, 3), 5),
    ("cfg_t: int = 2 ** 3 + 2\nT = cfg_t\nD = 3 if T > 5 else 7\nM = len('abcde')", (None, 10, 3), 5),
]


@pytest.mark.parametrize("assignments,shape,units", CONSTANTS)
def test_constant_propagation(assignments: str, shape: tuple[int | None, ...], units: int) -> None:
    text = f"from keras import layers, Model, Input\n{assignments}\ni = Input(shape=(T, D))\nmodel = Model(i, layers.LSTM(M)(i))\n"
    spec = only_spec(text)
    report = infer_model(spec)
    assert report.layers[0].outputs == (shape,)
    assert report.layers[1].outputs == ((None, units),)


def test_reassignment_is_read_in_order() -> None:
    text = (
        "import keras\nU = 3\n"
        "first = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.GRU(U)])\n"
        "U = 6\n"
        "second = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.GRU(U)])\n"
    )
    specs = models_of(text)
    units = {name: infer_model(s).layers[0].outputs for name, s in specs.items() if isinstance(s, ModelSpec)}
    assert units == {"first": ((None, 3),), "second": ((None, 6),)}


# ---------------------------------------------------------------- what cannot be read statically


UNRESOLVABLE = [
    # get_units() is followed into its body, where the value comes from a call rnnshape does not run (line 3).
    ("units = get_units()\n", "L.LSTM(units)", "'load_config' is not defined before it is used", 1),
    ("import numpy as np\nunits = np.random.randint(2, 9)\n", "L.LSTM(units)", "np.random.randint(...) is a function call", 3),
    ("import sys\nfor n in sys.argv:\n    units = n\n", "L.LSTM(units)", "'units' is assigned in a loop", 4),
    ("import os\nif os.environ.get('BIG'):\n    units = 8\n", "L.LSTM(units)", "'units' is assigned under a condition", 4),
    ("", "L.LSTM(units)", "'units' is not defined before it is used", 2),
    ("", "L.LSTM(**cfg)", "cannot be read statically", 2),
]


@pytest.mark.parametrize("prefix,layer,reason,line", UNRESOLVABLE, ids=[r for _, _, r, _ in UNRESOLVABLE])
def test_unresolvable_model_is_skipped_with_reason_and_line_and_others_still_work(
    prefix: str, layer: str, reason: str, line: int
) -> None:
    text = (
        "from keras import layers as L, Sequential, Input\n"
        + ("def get_units():\n    return load_config()['units']\n" if "get_units" in prefix else "")
        + prefix
        + f"bad = Sequential([Input(shape=(10, 3)), {layer}])\n"
        + "good = Sequential([Input(shape=(10, 3)), L.SimpleRNN(5), L.Dense(2)])\n"
    )
    line += 2 if "get_units" in prefix else 0
    entries = models_of(text)
    bad, good = entries["bad"], entries["good"]
    assert isinstance(bad, Skipped) and bad.exit_code == 0
    assert reason in bad.message
    assert bad.pos is not None and bad.pos.line == line
    assert isinstance(good, ModelSpec)
    assert summary(good)[1] == 57


def test_layers_added_in_a_loop_over_unknown_items_skip_the_model() -> None:
    text = "import keras, sys\nm = keras.Sequential([keras.Input(shape=(3, 2))])\nfor _ in sys.argv:\n    m.add(keras.layers.LSTM(4))\n"
    (entry,) = models_of(text).values()
    assert isinstance(entry, Skipped)
    assert "layers are added to it in a loop" in entry.message and entry.pos == Position("m.py", 4, 5)


def test_model_in_a_function_is_a_warning_not_a_silent_miss() -> None:
    text = "import keras\ndef build(units):\n    return keras.Sequential([keras.layers.LSTM(units)])\n"
    found = extract_python(text, "m.py")
    assert found.models == []
    (warning,) = found.warnings
    assert isinstance(warning, Skipped) and "inside function 'build'" in warning.message
    assert warning.pos == Position("m.py", 3, 12)


def test_sequential_without_input_shape_is_symbolic_unless_built_and_skipped_without_a_rank() -> None:
    text = (
        "import keras\n"
        "lazy = keras.Sequential([keras.layers.Dropout(0.1), keras.layers.LSTM(4)])\n"
        "symbolic = keras.Sequential([keras.layers.LSTM(4)])\n"
        "built = keras.Sequential([keras.layers.LSTM(4)])\n"
        "built.build(input_shape=(None, 6, 2))\n"
    )
    entries = models_of(text)
    assert isinstance(entries["lazy"], Skipped) and "no input shape" in entries["lazy"].message
    symbolic = entries["symbolic"]
    assert isinstance(symbolic, ModelSpec) and symbolic.symbolic_input
    assert infer_model(symbolic).params_poly.text() == "16D + 80"
    built = entries["built"]
    assert isinstance(built, ModelSpec)
    assert infer_model(built).outputs == ((None, 4),)


def test_unknown_keras_layer_is_an_error_not_a_skip() -> None:
    text = "import keras\nm = keras.Sequential([keras.Input(shape=(3, 2)), keras.layers.CuDNNLSTM(4)])\n"
    (entry,) = models_of(text).values()
    assert not isinstance(entry, Skipped) and entry.exit_code == 1
    assert "removed in Keras 3" in entry.message and entry.pos == Position("m.py", 2, 50)


def test_nothing_is_ever_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = (
        f"open({str(marker)!r}, 'w').write('x')\n"
        f"import os; os.system('touch {marker}')\n"
        "import keras\nm = keras.Sequential([keras.Input(shape=(3, 2)), keras.layers.GRU(2)])\n"
    )
    (spec,) = models_of(text).values()
    assert isinstance(spec, ModelSpec)
    assert not marker.exists()


def test_hostile_input_stays_bounded() -> None:
    text = "import keras\nT = 10 ** 10 ** 10\nS = 'x' * 10 ** 9\nE = " + "(" * 90 + "1" + ")" * 90 + "\n"
    text += "X = " + " + ".join(["1"] * 2000) + "\n"
    text += "m = keras.Sequential([keras.Input(shape=(T, 2)), keras.layers.GRU(2)])\n"
    (entry,) = models_of(text).values()
    assert isinstance(entry, Skipped) and "too large" in entry.message


# ---------------------------------------------------------------- notebooks


def test_notebook_magics_are_ignored_and_positions_name_the_cell() -> None:
    text = notebook(
        ("markdown", "# title"),
        ("code", "!pip install -q tensorflow\n%matplotlib inline\nfiles = !ls\nimport keras"),
        ("code", "%%bash\necho this is not python ( ("),
        ("code", "%%time\ntry:\n    %tensorflow_version 2.x\nexcept Exception:\n    pass\nT = 10"),
        ("code", "units = len(\n"),  # not Python: skipped with a warning
        ("code", "m = keras.Sequential([keras.Input(shape=(T, 3)),\n    keras.layers.LSTM(units)])"),
    )
    found = extract_notebook(text, "nb.ipynb")
    (warning,) = found.warnings
    assert warning.pos is not None and warning.pos.cell == 5
    (name, entry), = found.models
    assert isinstance(entry, Skipped)
    assert entry.pos == Position("nb.ipynb", 2, 23, cell=6)
    assert str(entry.pos) == "nb.ipynb:cell 6:line 2:col 23"
    assert "model 'm' (cell 6, line 1) skipped" in entry.message


def test_strip_magics_keeps_lines_and_blocks() -> None:
    assert strip_magics("try:\n  %tensorflow_version 2.x\nexcept Exception:\n  pass") == (
        "try:\n  pass\nexcept Exception:\n  pass"
    )
    assert strip_magics("%%writefile x.py\nimport keras") is None


def test_notebook_layer_positions_for_lint() -> None:
    (spec,) = load_file(str(SEEDS / "seed_000.ipynb"))
    rnn = spec.calls[0].layer
    assert rnn.pos == Position(str(SEEDS / "seed_000.ipynb"), 3, 5, cell=7)
    assert rnn.arg_pos["units"] == Position(str(SEEDS / "seed_000.ipynb"), 3, 15, cell=7)


def test_quick_precheck_skips_files_without_keras_unparsed() -> None:
    assert not might_define_model("import torch\nx = (((\n")
    assert extract_python("import torch\nthis is not python (((\n", "t.py").models == []
    assert extract_notebook("{not json", "t.ipynb").models == []


# ---------------------------------------------------------------- several models, --model, CLI exit codes


def test_several_models_and_model_selection(tmp_path: Path, cli) -> None:
    entries = load_entries(str(STYLES), model="seq2seq")
    assert [e.name for e in entries if isinstance(e, ModelSpec)] == ["seq2seq"]
    result = cli("explain", str(STYLES), "--model", "stacked", "-f", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "stacked"
    result = cli("explain", str(STYLES), "-f", "json")
    assert [m["name"] for m in json.loads(result.stdout)] == ["tagger", "stacked", "forecaster", "seq2seq", "siamese"]


def test_cli_unknown_model_name_is_a_usage_error(cli) -> None:
    result = cli("explain", str(STYLES), "--model", "nope")
    assert result.code == 2
    assert "no model named 'nope'" in result.stderr and "tagger, stacked" in result.stderr
    with pytest.raises(UsageError):
        load_entries(str(STYLES), model="nope")


def test_cli_skipped_model_warns_and_exit_stays_0_while_another_works(tmp_path: Path, cli) -> None:
    path = tmp_path / "two.py"
    path.write_text(
        "import keras\nn = compute()\n"
        "bad = keras.Sequential([keras.Input(shape=(4, 2)), keras.layers.LSTM(n)])\n"
        "good = keras.Sequential([keras.Input(shape=(4, 2)), keras.layers.LSTM(3)])\n"
    )
    result = cli("explain", str(path))
    assert result.code == 0
    assert f"rnnshape: warning: {path}:2:5: model 'bad' (line 3) skipped: LSTM(units=...): 'n' (line 2) is known only at run time: 'compute' is not defined" in result.stderr
    assert "hint: if you know its value, give it: --set n=VALUE (n at line 2)" in result.stderr
    assert 'Model: "good"' in result.stdout
    # Asked for by name, the unreadable model is an error.
    result = cli("explain", str(path), "--model", "bad")
    assert result.code == 1 and "cannot be read statically" in result.stderr


def test_cli_file_where_nothing_can_be_read_exits_1(tmp_path: Path, cli) -> None:
    path = tmp_path / "none.py"
    path.write_text("import keras\nm = keras.Sequential([keras.Input(shape=(4, 2)), keras.layers.LSTM(f())])\n")
    result = cli("explain", str(path))
    assert result.code == 1
    assert "warning" in result.stderr and "no Keras model could be read from this file" in result.stderr
    plain = tmp_path / "plain.py"
    plain.write_text("print('hello')\n")
    result = cli("explain", str(plain))
    assert result.code == 1 and "no Keras model definition found" in result.stderr


def test_cli_python_syntax_error_exits_1_with_position(tmp_path: Path, cli) -> None:
    path = tmp_path / "broken.py"
    path.write_text("import keras\nm = keras.Sequential([\n")
    result = cli("explain", str(path))
    assert result.code == 1 and f"{path}:2:" in result.stderr and "not valid Python" in result.stderr


def test_model_option_rejected_for_layer_expressions(cli) -> None:
    result = cli("explain", "--input-shape", "10,3", "SimpleRNN(5)", "--model", "x")
    assert result.code == 2


def test_explain_python_source_imports_neither_tensorflow_nor_numpy() -> None:
    code = (
        "import sys\nfrom rnnshape.cli import main\nsys.argv = ['rnnshape', 'explain', sys.argv[1]]\n"
        "try:\n    main()\nfinally:\n"
        "    assert 'tensorflow' not in sys.modules and 'numpy' not in sys.modules, 'heavy import'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEEDS / "seed_002.ipynb")], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "57" in done.stdout
