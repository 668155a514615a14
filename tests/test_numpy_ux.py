"""`rnnshape numpy` as a learner meets it (issue 14): equations in the chosen convention,
formats that match the file name, demos that run, the user's own data, clean notebooks.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnnshape import formats
from rnnshape.errors import RnnshapeError, SpecError
from rnnshape.formats import from_expressions
from rnnshape.numpy_gen import generate
from rnnshape.numpy_gen.user_input import fit_to_input, parse_literal, read_input

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- 1. one convention, one notation

RECURRENT = [
    (["SimpleRNN(4)"], "6,3"),
    (["LSTM(4, return_sequences=True)", "GRU(3)"], "6,3"),
    (["GRU(3, reset_after=False)"], "6,3"),
    (["Bidirectional(LSTM(4))"], "6,3"),
    (["RNN([SimpleRNNCell(3), GRUCell(2)])"], "6,3"),
]


@pytest.mark.parametrize("exprs, shape", RECURRENT)
@pytest.mark.parametrize("fmt", ["py", "md"])
def test_column_text_shows_only_column_equations(exprs, shape, fmt):
    model = from_expressions(exprs, input_shape=shape)
    text = generate(model, convention="column", fmt=fmt).text
    assert "_{" not in text, "one notation for the previous step: h_(t-1)"
    row_products = re.findall(r"\b[xhc]_(?:t|\(t-1\))·W\w*", text)
    assert row_products == [], f"row-form products in column text: {row_products}"
    assert "Wx·x_t" in text or "Wx_z·x_t" in text


@pytest.mark.parametrize("exprs, shape", RECURRENT)
def test_keras_text_shows_only_row_equations(exprs, shape):
    model = from_expressions(exprs, input_shape=shape)
    text = generate(model, convention="keras", fmt="md").text
    assert "_{" not in text
    assert re.findall(r"\bW\w*·[xh]_", text) == []
    assert "x_t·Wx" in text or "x_t·Wx_z" in text


# ---------------------------------------------------------------- 1. the file name and --format agree


def test_format_that_contradicts_the_suffix_is_refused(cli, tmp_path):
    out = tmp_path / "x.py"
    result = cli("numpy", "--input-shape", "6,3", "SimpleRNN(2)", "--format", "md", "-o", str(out))
    assert result.code == 2
    assert "--format md does not fit" in result.stderr and "means py" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name, start", [("lesson.md", "# NumPy forward pass"), ("nb.ipynb", "{"), ("m.py", '"""'), ("m.txt", '"""')])
def test_format_follows_the_suffix_when_not_given(cli, tmp_path, name, start):
    out = tmp_path / name
    assert cli("numpy", "--input-shape", "6,3", "SimpleRNN(2)", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith(start)


def test_format_given_with_a_neutral_suffix_is_kept(cli, tmp_path):
    out = tmp_path / "lesson.txt"
    assert cli("numpy", "--input-shape", "6,3", "SimpleRNN(2)", "-f", "md", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("# NumPy forward pass")


# ---------------------------------------------------------------- 5. write errors name the user's path


def test_output_into_a_missing_folder_names_the_users_path(cli, tmp_path):
    target = tmp_path / "nonexistent" / "x.py"
    result = cli("numpy", "--input-shape", "6,3", "SimpleRNN(2)", "-o", str(target))
    assert result.code == 1
    assert str(target) in result.stderr and "cannot write" in result.stderr
    assert ".rnnshape-" not in result.stderr
    assert not (tmp_path / "nonexistent").exists()


# ---------------------------------------------------------------- 2. every generated module runs

# (file, model name) -> why rnnshape writes no forward pass for it: each refusal is named.
REFUSED = {
    ("examples/broken/custom_layer.json", "seq2seq"): "unknown layer class 'MyTimeWarp'",
    ("tests/keras-files/k2_seq_stateful.to_json.json", "seq_stateful"): "stateful=True has no NumPy template",
    ("tests/keras-files/trimmed_k2_seq2seq.to_json.json", "seq2seq"): "refers to tensor enc[0][1]",
    ("tests/keras-files/trimmed_k3_extra_seq2seq.json", "seq2seq"): "refers to tensor enc[0][1]",
    **{
        (f"tests/keras-files/{name}", "func_rnn"): "no NumPy forward template for Attention"
        for name in (
            "func_rnn.keras", "func_rnn.keras.config.json", "func_rnn.legacy.h5",
            "func_rnn.legacy_h5.model_config.json", "func_rnn.to_json.json", "k2_func_rnn.h5", "k2_func_rnn.to_json.json",
        )
    },
}
SKIP_SUFFIXES = (".txt", ".md", ".metadata.json")  # notes and Keras metadata, no model
MODEL_FILES = sorted(
    str(Path(p).relative_to(ROOT))
    for p in glob.glob(str(ROOT / "examples" / "**" / "*"), recursive=True) + glob.glob(str(ROOT / "tests" / "keras-files" / "*"))
    if os.path.isfile(p) and not p.endswith(SKIP_SUFFIXES) and not p.endswith("regenerate.py")
)


def _models(path: str):
    """Every model the file holds that rnnshape can read (weights-only and unbuilt files hold none)."""
    try:
        loaded = formats.load_models([str(ROOT / path)], input_shape=None, batch_input_shape=None, model=None)
    except RnnshapeError:
        return []
    # An unbuilt model is explained with its input size as D, but numpy needs every size.
    return [m for m in loaded if not isinstance(m, RnnshapeError) and not m.symbolic_input]


def test_the_corpus_is_not_empty():
    assert len(MODEL_FILES) >= 30
    assert sum(len(_models(p)) for p in MODEL_FILES) >= 30


@pytest.mark.parametrize("path", MODEL_FILES)
def test_every_generated_module_runs_end_to_end(path):
    ran = 0
    for model in _models(path):
        why = REFUSED.get((path, model.name))
        if why is not None:
            with pytest.raises(RnnshapeError, match=re.escape(why)):
                generate(model, seed=0)
            continue
        source = generate(model, seed=0).text
        # What `rnnshape numpy FILE | python -` does.
        done = subprocess.run([sys.executable, "-"], input=source, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{path} ({model.name}):\n{done.stderr[-2000:]}"
        assert "shape:" in done.stdout
        ran += 1
    refused = {name for (file, name) in REFUSED if file == path}
    assert ran + len(refused) >= len(_models(path))


def test_seq2seq_demo_respects_the_fixed_batch(cli):
    result = cli("numpy", str(ROOT / "examples" / "keras" / "seq2seq.json"))
    assert result.code == 0
    sizes = re.findall(r"rng\.standard_normal\(\((\d+),", result.stdout)
    assert len(sizes) == 2 and set(sizes) == {"4"}
    done = subprocess.run([sys.executable, "-"], input=result.stdout, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


# ---------------------------------------------------------------- 3. --input: the user's own data


def test_literal_with_list_repetition():
    data = parse_literal("[[1]*5, [2]*5, (3, 3, 3, 3, -3.5)]")
    assert data.dtype == np.float32 and data.shape == (3, 5)
    assert data[1].tolist() == [2.0] * 5 and data[2, 4] == -3.5
    assert parse_literal("2 * [0.5]").tolist() == [0.5, 0.5]


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "[1] * n", "[1] * 2.0", "[1] + [2]", "{'a': 1}", "-[1]", "'text'", "[1]*10**3", "[True]"])
def test_literal_refuses_anything_but_numbers(text):
    with pytest.raises(RnnshapeError) as err:
        parse_literal(text)
    assert err.value.exit_code == 2


def test_literal_size_is_bounded_before_it_is_built(monkeypatch):
    monkeypatch.setenv("RNNSHAPE_MAX_INPUT_VALUES", "1000")
    with pytest.raises(RnnshapeError, match="RNNSHAPE_MAX_INPUT_VALUES"):
        parse_literal("[[0]*100000]*100000")  # 10^10 numbers: counted, never built
    assert parse_literal("[[0]*10]*100").shape == (100, 10)


def test_ragged_literal_is_a_clear_error():
    with pytest.raises(RnnshapeError, match="differ in length"):
        parse_literal("[[1, 2], [3]]")


def test_npy_input_is_read_without_pickles(tmp_path):
    good = tmp_path / "x.npy"
    np.save(good, np.arange(6, dtype=np.float64).reshape(2, 3))
    assert read_input(str(good)).tolist() == [[0, 1, 2], [3, 4, 5]]
    pickled = tmp_path / "obj.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(RnnshapeError, match="obj.npy"):
        read_input(str(pickled))
    fake = tmp_path / "fake.npy"
    fake.write_text("[[1]]")
    with pytest.raises(RnnshapeError, match="not a .npy file"):
        read_input(str(fake))


def test_data_shape_is_checked_against_the_model():
    assert fit_to_input(np.zeros((3, 5), np.float32), (None, None, 5)).shape == (1, 3, 5)
    assert fit_to_input(np.zeros((2, 3, 5), np.float32), (None, None, 5)).shape == (2, 3, 5)
    with pytest.raises(RnnshapeError, match=r"shape \(3, 4\).*\(None, None, 5\): axis 2 is 4, not 5"):
        fit_to_input(np.zeros((3, 4), np.float32), (None, None, 5))
    with pytest.raises(RnnshapeError, match="give 3 axes"):
        fit_to_input(np.zeros((5,), np.float32), (None, None, 5))
    with pytest.raises(RnnshapeError, match="axis 0 is 2, not 4"):
        fit_to_input(np.zeros((2, 3, 5), np.float32), (4, None, 5))


def test_cli_input_errors_exit_2(cli):
    bad_shape = cli("numpy", "--input-shape", "None,5", "SimpleRNN(2)", "--input", "[[1]*4]")
    assert bad_shape.code == 2 and "axis 2 is 4, not 5" in bad_shape.stderr
    bad_text = cli("numpy", "--input-shape", "None,5", "SimpleRNN(2)", "--input", "open('x')")
    assert bad_text.code == 2 and "not allowed" in bad_text.stderr


# Seed 004 (a SimpleRNN(2) lesson): its weights as Keras printed them, its input, and what it printed.
SEED_W_XH = [[-0.8766506, 0.9172727], [-0.37667286, 0.6936799], [-0.44308627, -0.71843755], [-0.627252, 0.8343315], [-0.00902045, 0.08299422]]
SEED_W_OO = [[0.57300806, -0.8195498], [0.8195498, 0.573008]]
SEED_OUTPUT = [[-0.98134404, 0.94781566], [-0.9997276, 0.999903], [-0.99999744, 0.9999977]]
# Its manual loop ran with a re-initialised layer; step 0 does not depend on w_oo.
SEED_LOOP_W_XH = [[0.9245993, 0.33459878], [-0.26637006, -0.61695325], [0.43761563, -0.33505726], [0.03919727, -0.5819472], [-0.904947, -0.5740896]]
SEED_LOOP_STEP0 = {"x_t": [[1.0] * 5], "pre-activation": [[0.23009521, -1.7734485]], "h_t": [[0.22611868, -0.9439862]]}
SEED_INPUT = "[[1.0]*5, [2.0]*5, [3.0]*5]"


def _seed_model_file(keras, tmp_path, w_xh):
    model = keras.Sequential([keras.Input(shape=(None, 5)), keras.layers.SimpleRNN(2, return_sequences=True, name="simple_rnn")])
    model.get_layer("simple_rnn").set_weights([np.array(w_xh, np.float32), np.array(SEED_W_OO, np.float32), np.zeros(2, np.float32)])
    path = tmp_path / "seed004.keras"
    model.save(path)
    return path


def _trace(stdout: str) -> list[tuple[int, dict[str, list[list[float]]]]]:
    """The trace's steps: [(t, {"x_t": [[...]], "pre-activation": ..., "h_t": ...})]."""
    steps: list[tuple[int, dict[str, list[list[float]]]]] = []
    for block in re.split(r"^simple_rnn: t = ", stdout, flags=re.M)[1:]:
        t, _, rest = block.partition("\n")
        values = {}
        for name, arr in re.findall(r"^  (\S+) = \[\[([^\]]*)\]\]", rest, flags=re.M):
            values[name] = [[float(v) for v in arr.split()]]
        steps.append((int(t), values))
    return steps


def test_seed_004_trace_is_reproduced_step_by_step(keras, cli, tmp_path):
    path = _seed_model_file(keras, tmp_path, SEED_W_XH)
    result = cli("numpy", str(path), "--input", SEED_INPUT, "--trace")
    assert result.code == 0, result.stderr
    steps = _trace(result.stdout)
    assert [t for t, _ in steps] == [0, 1, 2]
    x = np.array(parse_literal(SEED_INPUT))
    for (t, values), keras_row in zip(steps, SEED_OUTPUT):
        np.testing.assert_allclose(values["x_t"], [x[t]], atol=0)
        np.testing.assert_allclose(values["h_t"], [keras_row], atol=2e-6)  # float32, as the seed printed it
    assert "output shape: (1, 3, 2)" in result.stdout

    loop_path = _seed_model_file(keras, tmp_path / "loop", SEED_LOOP_W_XH) if (tmp_path / "loop").mkdir() is None else None
    loop = cli("numpy", str(loop_path), "--input", SEED_INPUT, "--trace")
    (t0, first), *_ = _trace(loop.stdout)
    assert t0 == 0
    for name, expected in SEED_LOOP_STEP0.items():
        np.testing.assert_allclose(first[name], expected, atol=2e-6)


def test_input_with_output_writes_the_code_and_prints_the_run(cli, tmp_path):
    out = tmp_path / "m.py"
    result = cli("numpy", "--input-shape", "None,5", "SimpleRNN(2)", "--input", "[[1]*5]*2", "-o", str(out))
    assert result.code == 0
    assert "output shape: (1, 2)" in result.stdout and "def forward" not in result.stdout
    assert "def forward" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("ids, bad", [("[[1, 2, 0, 10]]", "holds 10 at (0, 3)"), ("[[1, 2, 0.5, 3]]", "holds 0.5 at (0, 2)"), ("[[-1, 2, 0, 3]]", "holds -1 at (0, 0)")])
def test_token_ids_for_an_embedding_are_checked(cli, ids, bad):
    result = cli("numpy", "--input-shape", "4", "Embedding(10, 3)", "GRU(2)", "--input", ids)
    assert result.code == 2 and bad in result.stderr and "0 to 9" in result.stderr
    ok = cli("numpy", "--input-shape", "4", "Embedding(10, 3)", "GRU(2)", "--input", "[[1, 2, 0, 9]]")
    assert ok.code == 0 and "output shape: (1, 2)" in ok.stdout
