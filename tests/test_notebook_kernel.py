"""The API and the magics in a real Jupyter kernel, on live Keras 3 and tf.keras models.

One notebook runs top to bottom in an ipykernel (nbclient). Cells assert on the live
objects (the kernel stops at the first failing cell); this test then checks what the
notebook displayed: the HTML tables of the magics and the side-effect-free cell magic.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("tensorflow")
pytest.importorskip("tf_keras")

REPO = str(Path(__file__).resolve().parents[1])

SETUP = f"""\
import os, sys, json, subprocess
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, {REPO!r})
import numpy as np
import keras
from keras import layers
import rnnshape
assert rnnshape.__file__.startswith({REPO!r}), rnnshape.__file__
%load_ext rnnshape

def cli_json(path):
    env = dict(os.environ, PYTHONPATH={REPO!r} + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-m", "rnnshape", "explain", "-f", "json", path],
                         capture_output=True, text=True, check=True, env=env).stdout
    value = json.loads(out)
    return value[0] if isinstance(value, list) else value

def html_has_every_layer(report):
    html = report._repr_html_()
    return all(l.name in html and f"{{l.params:,}}" in html for l in report.layers)
"""

SEQUENTIAL = """\
seq = keras.Sequential([keras.Input((10, 3)), layers.LSTM(8, return_sequences=True),
                        layers.SimpleRNN(5), layers.Dense(2)], name="seq")
r = rnnshape.explain(seq)
assert r.agrees_with_built_model is True, r.built
assert html_has_every_layer(r)
seq.save("seq.keras")
assert r.to_dict() == cli_json("seq.keras")
r
"""

FUNCTIONAL = """\
inp = keras.Input((7, 5), name="x")
seq_out, h, c = layers.LSTM(6, return_sequences=True, return_state=True, name="enc")(inp)
dec = layers.LSTM(6, name="dec")(seq_out, initial_state=[h, c])
func = keras.Model(inp, layers.Dense(3, name="head")(dec), name="func")
rf = rnnshape.explain(func, weights=True, symbols=True)
assert rf.agrees_with_built_model is True, rf.built
assert html_has_every_layer(rf) and "recurrent_kernel" in rf._repr_html_()
func.save("func.keras")
assert rf.to_dict() == cli_json("func.keras")
"""

BIDIRECTIONAL = """\
bi = keras.Sequential([keras.Input((9, 4)), layers.Bidirectional(layers.GRU(5)), layers.Dense(1)], name="bi")
rb = rnnshape.explain(bi)
assert rb.agrees_with_built_model is True, rb.built
assert html_has_every_layer(rb)
bi.save("bi.keras")
assert rb.to_dict() == cli_json("bi.keras")
"""

LOADED = """\
x = np.random.default_rng(0).normal(size=(3, 10, 3)).astype("float32")
seq.compile(optimizer="adam", loss="mse")
seq.fit(x, np.zeros((3, 2), "float32"), epochs=1, verbose=0)  # weights no initializer would give
seq.save("trained.keras")
loaded = keras.models.load_model("trained.keras")
rl = rnnshape.explain(loaded)
assert rl.agrees_with_built_model is True and html_has_every_layer(rl)
assert rl.to_dict() == cli_json("trained.keras")
namespace = {}
exec(rnnshape.numpy_source(loaded), namespace)
gap = float(np.abs(namespace["forward"](x) - loaded.predict(x, verbose=0)).max())
assert gap < 1e-5, gap
namespace = {}
exec(rnnshape.numpy_source("trained.keras"), namespace)  # the file's own weights, as `numpy FILE`
assert float(np.abs(namespace["forward"](x) - loaded.predict(x, verbose=0)).max()) < 1e-5
"""

TF_KERAS = """\
import tf_keras
old = tf_keras.Sequential([tf_keras.layers.LSTM(4, input_shape=(5, 2)), tf_keras.layers.Dense(1)], name="old")
ro = rnnshape.explain(old)
assert ro.agrees_with_built_model is True, ro.built
assert [l.params for l in ro.layers] == [l.count_params() for l in old.layers]
"""

CHECK = """\
rc = rnnshape.check(bi)
assert rc.ok and "agrees with Keras" in rc._repr_html_()
problems = rnnshape.lint(seq)
assert all(p.code.startswith("RS") for p in problems)
"""

LINE_MAGIC = "%rnnshape explain func --symbols"
NUMPY_MAGIC = "%rnnshape numpy seq --weights random"
MISSING = "%rnnshape explain no_such_model"

CELL_MAGIC = """\
%%rnnshape
T, D = 12, 4
cellmodel = keras.Sequential([keras.Input((T, D)), layers.GRU(units), layers.Dense(2)])
open("marker.txt", "w").write("the cell ran")
"""

RUN_MAGIC = """\
%%rnnshape --run
ran = keras.Sequential([keras.Input((T2, 3)), layers.SimpleRNN(4)])
open("ran.txt", "w").write("the cell ran")
"""


def _outputs(cell: dict) -> tuple[str, str, str]:
    html = "".join(o.get("data", {}).get("text/html", "") for o in cell["outputs"])
    text = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell["outputs"] if o.get("name") != "stderr")
    stderr = "".join(o.get("text", "") for o in cell["outputs"] if o.get("name") == "stderr")
    return html, text, stderr


def test_api_and_magics_in_a_kernel(tmp_path: Path) -> None:
    sources = [
        SETUP, SEQUENTIAL, FUNCTIONAL, BIDIRECTIONAL, LOADED, TF_KERAS, CHECK, LINE_MAGIC, NUMPY_MAGIC, MISSING,
        "units = 7\nT2 = 6", CELL_MAGIC, RUN_MAGIC,
        "assert not os.path.exists('marker.txt')\nassert 'cellmodel' not in dir()\nassert os.path.exists('ran.txt')",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    env_backup = dict(os.environ)
    try:
        os.environ["KERAS_BACKEND"] = "tensorflow"
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    cells = nb.cells
    seq_html, seq_text, _ = _outputs(cells[1])
    assert 'class="rnnshape"' in seq_html and "lstm" in seq_html and "agrees with the built model" in seq_html
    assert "Model: \"seq\"" in seq_text  # the text table alongside, for terminals
    magic_html, _, _ = _outputs(cells[7])
    assert all(name in magic_html for name in ("enc", "dec", "head", "(N, T, D)"))
    _, numpy_text, _ = _outputs(cells[8])
    assert "def forward(" in numpy_text
    _, missing_text, missing_err = _outputs(cells[9])
    assert "rnnshape: error:" in missing_err
    cell_html, _, _ = _outputs(cells[11])
    assert "gru" in cell_html and "(None, 7)" in cell_html and "(None, 2)" in cell_html
    assert not (tmp_path / "marker.txt").exists()
    run_html, _, _ = _outputs(cells[12])
    assert "simple_rnn" in run_html and (tmp_path / "ran.txt").exists()
