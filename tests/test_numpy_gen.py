"""`rnnshape numpy`: the generated NumPy code against real Keras, goldens, and the CLI contract.

Differential tests: the same weights (seeded random, every value drawn on its own, so
each gate and bias differs) go into Keras with ``set_weights`` and into the generated
module; ``forward(x)`` must match ``model.predict(x)`` to ATOL in float32.
"""

from __future__ import annotations

import ast
import json
import os
import py_compile
import subprocess
import sys

import numpy as np
import pytest

from rnnshape.formats import from_expressions, load_file
from rnnshape.numpy_gen import generate, load_forward, load_module, random_weights
from rnnshape.numpy_gen.templates import TEMPLATES, template_for
from rnnshape.errors import SpecError
from rnnshape.infer import infer_model
from rnnshape.spec import LayerSpec

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
from conftest import KERAS_FILES

ATOL = 1e-5  # float32 NumPy vs float32 Keras; observed differences are ~1e-7

# (id, layer expressions, --input-shape): one table for every layer and flag in the issue.
CASES = [
    ("simple_rnn", ["SimpleRNN(5)", "Dense(2)"], "10,3"),
    ("simple_rnn_seq_relu", ["SimpleRNN(4, return_sequences=True, activation='relu')"], "6,3"),
    ("simple_rnn_nobias_back", ["SimpleRNN(4, use_bias=False, go_backwards=True, return_sequences=True)"], "6,3"),
    ("lstm", ["LSTM(8)"], "7,5"),
    ("lstm_seq_state", ["LSTM(4, return_sequences=True, return_state=True)"], "7,5"),
    ("lstm_back_nobias", ["LSTM(4, go_backwards=True, use_bias=False, return_sequences=True)"], "7,5"),
    ("lstm_hard_sigmoid", ["LSTM(4, recurrent_activation='hard_sigmoid', activation='relu')"], "7,5"),
    ("gru", ["GRU(6)"], "7,5"),
    ("gru_reset_before", ["GRU(6, reset_after=False, return_sequences=True)"], "7,5"),
    ("gru_state_back", ["GRU(3, return_state=True, go_backwards=True)"], "7,5"),
    ("gru_nobias_both", ["GRU(3, use_bias=False, reset_after=False)"], "7,5"),
    ("gru_nobias_after", ["GRU(3, use_bias=False)"], "7,5"),
    ("stacked", ["LSTM(8, return_sequences=True)", "GRU(6, return_sequences=True)", "SimpleRNN(4)", "Dense(3, activation='softmax')"], "9,4"),
    ("dense_3d_dropout", ["SimpleRNN(4, return_sequences=True)", "Dropout(0.5)", "Dense(3, activation='tanh')"], "6,2"),
    ("dense_nobias", ["Dense(3, use_bias=False, activation='sigmoid')"], "4"),
    *[
        (f"bidir_{mode}_{'seq' if seq else 'last'}", [f"Bidirectional(LSTM(4, return_sequences={seq}), merge_mode={mode!r})"], "7,5")
        for mode in ("concat", "sum", "mul", "ave")
        for seq in (True, False)
    ],
    ("bidir_gru_none", ["Bidirectional(GRU(3, return_sequences=True), merge_mode=None)"], "7,5"),
    ("bidir_rnn_state", ["Bidirectional(SimpleRNN(3, return_state=True))"], "7,5"),
    ("bidir_custom_backward", ["Bidirectional(LSTM(4, return_sequences=True), backward_layer=GRU(4, return_sequences=True, go_backwards=True))"], "7,5"),
    ("time_distributed", ["LSTM(5, return_sequences=True)", "TimeDistributed(Dense(3))"], "6,4"),
    ("embedding", ["Embedding(20, 4)", "LSTM(3)"], "7"),
    ("embedding_mask", ["Embedding(20, 4, mask_zero=True)", "GRU(3, return_sequences=True)", "Dense(2)"], "7"),
    ("embedding_mask_bidir_gap", ["Embedding(20, 4, mask_zero=True)", "Bidirectional(LSTM(3, return_sequences=True))", "GlobalAveragePooling1D()"], "7"),
    ("masking", ["Masking(0.0)", "LSTM(4)"], "7,3"),
    ("flatten", ["SimpleRNN(3, return_sequences=True)", "Flatten()", "Dense(2)"], "5,4"),
    ("reshape_permute", ["Reshape((4, 5))", "Permute((2, 1))", "SimpleRNN(2)"], "5,4"),
    ("repeat_vector", ["LSTM(3)", "RepeatVector(4)", "GRU(2, return_sequences=True)"], "5,4"),
    ("max_pool_valid", ["MaxPooling1D(2)", "LSTM(3)"], "11,4"),
    ("max_pool_same", ["MaxPooling1D(3, strides=2, padding='same')", "GRU(3)"], "11,4"),
    ("avg_pool_same", ["AveragePooling1D(2, padding='same')", "SimpleRNN(3)"], "11,4"),
    ("global_pools", ["LSTM(4, return_sequences=True)", "GlobalMaxPooling1D()"], "6,3"),
    ("global_avg_keepdims", ["GRU(4, return_sequences=True)", "GlobalAveragePooling1D(keepdims=True)"], "6,3"),
    # RNN(cell): one cell, then stacks (a list, StackedRNNCells), with every sequence flag and masks.
    ("rnn_simple_cell", ["RNN(SimpleRNNCell(4, activation='relu'))"], "6,3"),
    ("rnn_lstm_cell_state", ["RNN(LSTMCell(4), return_sequences=True, return_state=True)"], "7,5"),
    ("rnn_gru_cell_before_back", ["RNN(GRUCell(3, reset_after=False), go_backwards=True, return_state=True)"], "7,5"),
    ("rnn_stacked_list", ["RNN([LSTMCell(4), GRUCell(3)], return_sequences=True, return_state=True)"], "7,5"),
    ("rnn_stacked_cells_back", ["RNN(StackedRNNCells([SimpleRNNCell(4), LSTMCell(2, use_bias=False)]), go_backwards=True, return_state=True)"], "6,3"),
    ("rnn_stacked_three_seq_back", ["RNN([GRUCell(3), SimpleRNNCell(2), LSTMCell(3)], return_sequences=True, go_backwards=True)"], "6,3"),
    ("rnn_stacked_mask_back", ["Embedding(20, 4, mask_zero=True)", "RNN([GRUCell(3), SimpleRNNCell(2)], return_sequences=True, go_backwards=True)", "Dense(2)"], "7"),
    ("rnn_stacked_mask_zero_out", ["Embedding(20, 4, mask_zero=True)", "RNN([LSTMCell(3), GRUCell(2)], return_sequences=True, zero_output_for_mask=True)"], "7"),
    ("rnn_stacked_masking_last", ["Masking(0.0)", "RNN([LSTMCell(3), GRUCell(2, reset_after=False)], return_state=True)"], "7,3"),
    ("rnn_cell_mask", ["Embedding(20, 4, mask_zero=True)", "RNN(LSTMCell(3), return_sequences=True)"], "7"),
    # Normalisation: Keras 3 defaults (epsilon 1e-3), center/scale flags, other axes.
    ("layer_norm", ["LSTM(4, return_sequences=True)", "LayerNormalization()"], "6,3"),
    ("layer_norm_no_center_eps", ["LayerNormalization(center=False, epsilon=0.1)", "GRU(3)"], "6,3"),
    ("layer_norm_no_scale", ["LayerNormalization(scale=False)", "SimpleRNN(3)"], "6,3"),
    ("layer_norm_neither", ["LayerNormalization(scale=False, center=False)", "SimpleRNN(3)"], "6,3"),
    ("layer_norm_axes", ["LayerNormalization(axis=[1, 2])", "SimpleRNN(2)"], "5,4"),
    ("layer_norm_time_axis", ["LayerNormalization(axis=1)", "LSTM(2)"], "5,4"),
    ("batch_norm", ["LSTM(4, return_sequences=True)", "BatchNormalization()"], "6,3"),
    ("batch_norm_neither_eps", ["BatchNormalization(center=False, scale=False, epsilon=0.01)", "GRU(3)"], "6,3"),
    ("batch_norm_scale_only", ["BatchNormalization(center=False)", "GRU(3)"], "6,3"),
    ("batch_norm_center_only", ["BatchNormalization(scale=False)", "GRU(3)"], "6,3"),
    ("batch_norm_time_axis", ["BatchNormalization(axis=1)", "SimpleRNN(2)"], "5,4"),
    ("batch_norm_mask", ["Embedding(20, 4, mask_zero=True)", "BatchNormalization()", "LSTM(3)"], "7"),
    # Conv1D: every padding, strides, dilation, no bias, activations.
    ("conv1d_valid", ["Conv1D(4, 3)", "LSTM(3)"], "11,2"),
    ("conv1d_same_strides", ["Conv1D(4, 3, strides=2, padding='same', activation='relu')", "GRU(3)"], "11,2"),
    ("conv1d_same_even_kernel", ["Conv1D(3, 4, padding='same', use_bias=False)", "SimpleRNN(2)"], "10,3"),
    ("conv1d_causal_dilated", ["Conv1D(4, 3, padding='causal', dilation_rate=2, activation='tanh')", "LSTM(3)"], "11,2"),
    ("conv1d_valid_stride", ["Conv1D(2, 2, strides=3)", "GRU(2)"], "13,3"),
    ("conv1d_valid_dilated", ["Conv1D(2, 3, dilation_rate=2)", "GRU(2)"], "13,3"),
    ("conv1d_same_dilated", ["Conv1D(3, 3, padding='same', dilation_rate=3)"], "12,2"),
    # Activation and noise layers, Identity, normalisations, the time axis.
    ("relu_layers", ["LSTM(4, return_sequences=True)", "ReLU()", "GRU(3, return_sequences=True)",
                     "ReLU(max_value=0.5, negative_slope=0.1, threshold=0.05)", "SimpleRNN(2)"], "5,3"),
    ("leaky_elu_softmax", ["GRU(4, return_sequences=True)", "LeakyReLU(negative_slope=0.2)", "ELU(alpha=0.7)",
                           "Softmax(axis=1)", "LeakyReLU(alpha=0.1)", "Softmax()", "LSTM(2)"], "6,3"),
    ("prelu_shared", ["LSTM(4, return_sequences=True)", "PReLU(shared_axes=[1])", "PReLU()", "GRU(2)"], "5,3"),
    ("identities", ["GaussianNoise(0.3)", "GRU(3, return_sequences=True)", "GaussianDropout(0.2)", "Identity()",
                    "UnitNormalization()", "UnitNormalization(axis=[1, 2])", "SimpleRNN(2)"], "5,3"),
    ("normalization", ["Normalization()", "LSTM(3, return_sequences=True)", "Normalization(axis=None)",
                       "Normalization(axis=(1, 2), invert=True)", "GRU(2)"], "5,3"),
    ("time_axis", ["ZeroPadding1D((1, 2))", "LSTM(3, return_sequences=True)", "Cropping1D((2, 1))", "UpSampling1D(3)",
                   "GRU(2)"], "5,3"),
]

# Merge layers need a Functional graph: two branches from one input.
MERGE_CASES = ["Concatenate", "Add", "Multiply", "Average", "Subtract", "Maximum", "Minimum"]


def _keras_outputs(keras, model, weights, x):
    from rnnshape.check.keras_build import build_model

    km = build_model(keras, model)
    for name, arrays in weights.items():
        layer = km.get_layer(name)
        layer.set_weights(arrays)
        if hasattr(layer, "finalize_state"):  # Normalization reads its weights into tensors here
            layer.finalize_state()
    out = km.predict(x, verbose=0)
    return out if isinstance(out, list) else [out]


def _random_input(model, report, rng):
    from rnnshape.layers.core import input_batch_shape

    shape = tuple(3 if d is None else d for d in input_batch_shape(model.inputs[0]))
    first = next(r for r in report.layers if r.class_name != "InputLayer")
    if first.class_name == "Embedding":
        x = rng.integers(0, first.config["input_dim"], size=shape).astype(np.float32)
        x[:, -2:] = 0  # padding at the end, so the mask matters
        x[0, 1] = 0  # and a hole in the middle
        return x
    x = rng.standard_normal(shape).astype(np.float32)
    if first.class_name == "Masking":
        x[:, -2:] = 0.0
        x[1, 2] = 0.0
    return x


def _compare(keras, model, convention="keras", trace=False, seed=0):
    report = infer_model(model)
    weights = random_weights(report, seed)
    gen = generate(model, weights, convention=convention, trace=trace, report=report)
    forward = load_forward(gen)
    x = _random_input(model, report, np.random.default_rng(seed + 1))
    ours = forward(x)
    ours = ours if isinstance(ours, list) else [ours]
    theirs = _keras_outputs(keras, model, weights, x)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        # The generated NumPy reproduces Keras's predict to float32 precision.
        assert np.max(np.abs(a - b)) <= ATOL


@pytest.mark.parametrize("convention", ["keras", "column"])
@pytest.mark.parametrize("exprs,shape", [pytest.param(e, s, id=i) for i, e, s in CASES])
def test_forward_matches_keras(keras, exprs, shape, convention):
    _compare(keras, _model(exprs, shape), convention)


def _model(exprs, shape):
    return from_expressions(exprs, input_shape=shape)


def _merge_model(class_name):
    from rnnshape.spec import Call, ModelSpec, TensorRef

    inp = LayerSpec("InputLayer", {"shape": [6, 3]}, "inp")
    a = LayerSpec("LSTM", {"units": 4, "return_sequences": True}, "a")
    b = LayerSpec("GRU", {"units": 4, "return_sequences": True}, "b")
    merge = LayerSpec(class_name, {}, "merge")
    out = LayerSpec("SimpleRNN", {"units": 2}, "out")
    calls = (
        Call(a, (TensorRef("inp"),)),
        Call(b, (TensorRef("inp"),)),
        Call(merge, (TensorRef("a"), TensorRef("b")), as_list=True),
        Call(out, (TensorRef("merge"),)),
    )
    return ModelSpec("merge", (inp,), calls, (TensorRef("out"), TensorRef("a")), sequential=False)


@pytest.mark.parametrize("class_name", MERGE_CASES)
def test_merge_layers_match_keras(keras, class_name):
    _compare(keras, _merge_model(class_name))


@pytest.mark.parametrize("seed", range(6))
def test_random_stacks_match_keras(keras, seed):
    """Random stacks of recurrent layers with random flags and activations."""
    rng = np.random.default_rng(100 + seed)
    layers = []
    for depth in range(rng.integers(1, 4)):
        cls = str(rng.choice(["SimpleRNN", "LSTM", "GRU"]))
        args = [str(int(rng.integers(1, 7))), "return_sequences=True"]
        if rng.random() < 0.3:
            args.append("go_backwards=True")
        if rng.random() < 0.3:
            args.append("use_bias=False")
        if cls == "GRU" and rng.random() < 0.5:
            args.append("reset_after=False")
        if rng.random() < 0.3:
            args.append(f"activation={str(rng.choice(['relu', 'sigmoid', 'softsign', 'elu']))!r}")
        layers.append(f"{cls}({', '.join(args)})")
    layers.append(f"Dense({int(rng.integers(1, 4))})")
    _compare(keras, from_expressions(layers, input_shape=f"{int(rng.integers(2, 8))},{int(rng.integers(1, 5))}"), seed=seed)


def test_every_issue_layer_has_a_template():
    issue_layers = {
        "SimpleRNN", "LSTM", "GRU", "Bidirectional", "Dense", "TimeDistributed", "Embedding", "Masking",
        "Dropout", "Flatten", "Reshape", "RepeatVector", "Permute", "MaxPooling1D", "AveragePooling1D",
        "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Concatenate", "Add",
        "RNN", "LayerNormalization", "BatchNormalization", "Conv1D",
    }
    assert issue_layers <= set(TEMPLATES)


def test_layer_without_template_is_an_error_naming_it():
    with pytest.raises(SpecError, match="ConvLSTM2D has no NumPy forward template"):
        template_for("ConvLSTM2D", layer="conv")


def test_unsupported_activation_is_an_error(keras):
    model = from_expressions(["SimpleRNN(3, activation='gelu')"], input_shape="4,2")
    with pytest.raises(SpecError, match="gelu"):
        generate(model)


@pytest.mark.parametrize(
    "expr,shape,needle",
    [
        ("LayerNormalization(rms_scaling=True)", "4,3", "rms_scaling"),
        ("BatchNormalization(renorm=True)", "4,3", "renorm"),
        ("Conv1D(4, 2, groups=2)", "6,4", "groups"),
    ],
)
def test_unsupported_flags_are_errors_naming_them(expr, shape, needle):
    model = _model([expr], shape)
    with pytest.raises(SpecError, match=needle):
        generate(model)


@pytest.mark.parametrize("cell", ["LSTMCell(3)", "[LSTMCell(3), GRUCell(2)]"])
def test_stateful_rnn_over_cells_is_an_error(cell):
    model = from_expressions([f"RNN({cell}, stateful=True)"], batch_input_shape="2,4,3")
    with pytest.raises(SpecError, match="stateful=True"):
        generate(model)


def test_stacked_cells_code_reads_like_the_maths():
    """One function per cell, then the stack: each cell reads the previous cell's outputs."""
    model = from_expressions(["RNN([LSTMCell(4), GRUCell(3)], return_state=True)"], input_shape="7,5")
    text = generate(model).python
    assert "def rnn_cell1(x):" in text and "def rnn_cell2(x):" in text
    assert "y, h1, c1 = rnn_cell1(x)" in text and "y, h2 = rnn_cell2(y)" in text
    assert "return y, h1, c1, h2" in text  # Keras's flattened state order, cell by cell


def test_random_variances_are_positive():
    report = infer_model(from_expressions(["BatchNormalization()"], input_shape="4,6"))
    gamma, beta, mean, variance = random_weights(report, 0)["batch_normalization"]
    assert variance.min() > 0 and not np.allclose(gamma, beta) and not np.allclose(mean, beta)


def test_random_weights_differ_per_gate():
    report = infer_model(from_expressions(["LSTM(4)"], input_shape="3,2"))
    kernel, recurrent, bias = random_weights(report, 0)["lstm"]
    gates = np.split(bias, 4)
    assert all(not np.allclose(gates[i], gates[j]) for i in range(4) for j in range(i + 1, 4))
    assert not np.allclose(random_weights(report, 1)["lstm"][0], kernel)


# ---------------------------------------------------------------- generated code itself

SEED_EXAMPLES = ["rnn_shapes", "rnn_architecture", "rnn_basics_batch", "rnn_from_scratch", "rnn_trace"]


@pytest.mark.parametrize("example", SEED_EXAMPLES)
def test_seed_example_golden(golden, example):
    (model,) = load_file(str(EXAMPLES / f"{example}.yaml"))
    golden(f"numpy/{example}.py", generate(model, seed=0).text)


def test_trace_and_column_goldens(golden):
    (model,) = load_file(str(EXAMPLES / "rnn_trace.yaml"))
    golden("numpy/rnn_trace_trace_column.py", generate(model, seed=0, trace=True, convention="column").text)


def _imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add((node.module or "").split(".")[0])
    return found


@pytest.mark.parametrize("example", SEED_EXAMPLES)
@pytest.mark.parametrize("flags", [{}, {"trace": True}, {"convention": "column"}])
def test_generated_module_compiles_imports_only_numpy_and_runs(tmp_path, example, flags):
    (model,) = load_file(str(EXAMPLES / f"{example}.yaml"))
    gen = generate(model, seed=3, **flags)
    path = tmp_path / "model.py"
    gen.write(str(path))
    py_compile.compile(str(path), doraise=True)
    assert _imports(gen.text) == {"numpy"}
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "output shape:" in run.stdout
    if flags.get("trace"):
        # Seed 004's lesson: every timestep prints its input, pre-activation and state.
        import re

        steps = len(re.findall(r"^simple_rnn: t = \d+$", run.stdout, flags=re.M))
        assert steps == (infer_model(model).layers[0].input_shapes[0][1] or 3)
        assert "pre-activation" in run.stdout and "h_t =" in run.stdout


def test_trace_prints_every_step(capsys):
    model = from_expressions(["LSTM(2)"], input_shape="4,3")
    forward = load_forward(generate(model, trace=True))
    forward(np.ones((1, 4, 3)))
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("lstm: t = ")] == [f"lstm: t = {t}" for t in range(4)]
    assert out.count("x_t =") == 4 and out.count("c_t =") == 4


def test_large_model_uses_a_sibling_npz(keras, tmp_path):
    model = from_expressions(["LSTM(64)", "Dense(3)"], input_shape="5,32")
    report = infer_model(model)
    weights = random_weights(report, 0)
    gen = generate(model, weights, npz_name="big.npz", report=report)
    assert gen.npz_name == "big.npz" and "np.array(" not in gen.python
    written = gen.write(str(tmp_path / "big.py"))
    assert sorted(os.path.basename(p) for p in written) == ["big.npz", "big.py"]
    module = load_module(gen, str(tmp_path / "load"))
    x = np.random.default_rng(0).standard_normal((2, 5, 32)).astype(np.float32)
    (expected,) = _keras_outputs(keras, model, weights, x)
    assert np.max(np.abs(module.forward(x) - expected)) <= ATOL


def test_markdown_holds_the_module_code():
    (model,) = load_file(str(EXAMPLES / "rnn_shapes.yaml"))
    gen = generate(model, fmt="md")
    blocks = [b.split("```", 1)[0] for b in gen.text.split("```python\n")[1:]]
    code = "\n\n".join(blocks)
    namespace: dict = {"__name__": "walkthrough"}
    exec(compile(code, "walkthrough.md", "exec"), namespace)  # our own generated code, not user input
    assert namespace["forward"](np.zeros((1, 10, 3))).shape == (1, 2)


def test_notebook_is_valid_and_executes(tmp_path, keras):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    (model,) = load_file(str(EXAMPLES / "rnn_shapes.yaml"))
    gen = generate(model, fmt="ipynb")
    nb = nbformat.reads(gen.text, as_version=4)
    nbformat.validate(nb)
    nbclient.NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "output shape: (2, 2)" in printed
    # The optional Keras cell ran and agreed.
    diff = float(printed.split("max |numpy - keras| =")[1].split()[0])
    assert diff <= ATOL


def test_notebook_keras_cell_names_each_layer_once(tmp_path) -> None:
    import ast
    import json as json_module

    path = tmp_path / "named.json"
    path.write_text(
        '{"class_name": "Sequential", "config": {"name": "m", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_shape": [null, 10, 3]}},'
        '{"class_name": "LSTM", "config": {"units": 4, "name": "enc"}},'
        '{"class_name": "Dense", "config": {"units": 2, "name": "head"}}]}}',
        encoding="utf-8",
    )
    (model,) = load_file(str(path))
    nb = json_module.loads(generate(model, fmt="ipynb").text)
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    keras_cell = next(c for c in cells if "keras.layers.LSTM(" in c)
    ast.parse(keras_cell)  # a duplicated keyword would be a SyntaxError
    assert "keras.layers.LSTM(units=4, name='enc')" in keras_cell
    assert keras_cell.count("name='head'") == 1


# ---------------------------------------------------------------- weights from files


@pytest.mark.parametrize("name", ["seq_rnn.keras", "seq_rnn.weights.h5", "seq_rnn.legacy.h5"])
def test_weights_from_files_reproduce_keras(keras, name):
    from rnnshape.weights import read_weights

    model = from_expressions(
        ["LSTM(16, return_sequences=True, name='lstm')", "Dropout(0.2, name='dropout')", "GRU(8, name='gru')", "Dense(1, activation='sigmoid', name='dense')"],
        input_shape="10,8",
    )
    weights = read_weights(str(KERAS_FILES / name))
    forward = load_forward(generate(model, weights))
    reference = keras.saving.load_model(str(KERAS_FILES / "seq_rnn.keras"), compile=False)
    x = np.random.default_rng(0).standard_normal((3, 10, 8)).astype(np.float32)
    assert np.max(np.abs(forward(x) - reference.predict(x, verbose=0))) <= ATOL


def test_keras2_h5_weights_have_keras3_layout():
    from rnnshape.weights import read_weights

    k2 = read_weights(str(KERAS_FILES / "k2_seq_rnn.h5"))
    k3 = read_weights(str(KERAS_FILES / "seq_rnn.keras"))
    assert {n: [a.shape for a in v] for n, v in k2.items()} == {n: [a.shape for a in v] for n, v in k3.items()}


def test_weights_from_functional_files_agree_across_formats():
    from rnnshape.weights import read_weights

    a = read_weights(str(KERAS_FILES / "func_rnn.keras"))
    b = read_weights(str(KERAS_FILES / "func_rnn.legacy.h5"))
    assert set(a) == set(b)
    for layer in a:
        assert [x.shape for x in a[layer]] == [x.shape for x in b[layer]]
        assert all(np.array_equal(x, y) for x, y in zip(a[layer], b[layer]))


# ---------------------------------------------------------------- CLI


def test_cli_writes_and_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "m.py"
    first = cli("numpy", "--input-shape", "10,3", "SimpleRNN(5)", "Dense(2)", "-o", str(out))
    assert first.code == 0 and out.exists()
    before = out.read_text()
    again = cli("numpy", "--input-shape", "10,3", "LSTM(5)", "-o", str(out))
    assert again.code == 2 and "--force" in again.stderr
    assert out.read_text() == before
    forced = cli("numpy", "--input-shape", "10,3", "LSTM(5)", "-o", str(out), "--force")
    assert forced.code == 0 and "def lstm" in out.read_text()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".rnnshape-")]


def test_cli_stdout_formats(cli):
    py = cli("numpy", str(EXAMPLES / "rnn_shapes.yaml"))
    assert py.code == 0 and py.stdout.startswith('"""NumPy forward pass')
    nb = cli("numpy", str(EXAMPLES / "rnn_shapes.yaml"), "--format", "ipynb")
    assert nb.code == 0 and json.loads(nb.stdout)["nbformat"] == 4
    md = cli("numpy", str(EXAMPLES / "rnn_shapes.yaml"), "-f", "md")
    assert md.code == 0 and "```python" in md.stdout


def test_cli_errors(cli, tmp_path):
    assert cli("numpy", "--input-shape", "3,2", "SimpleRNN(3, activation='gelu')").code == 1
    bad = cli("numpy", "--input-shape", "3,2", "SimpleRNN(3)", "--weights", str(tmp_path / "none.h5"))
    assert bad.code == 1 and "no such weights file" in bad.stderr
    assert cli("numpy", "--input-shape", "3,2", "SimpleRNN(3)", "--convention", "diagonal").code == 2


def test_numpy_command_never_imports_tensorflow(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = (
        "import sys; from rnnshape.cli import main; sys.argv=['rnnshape','numpy','--input-shape','4,2','GRU(3)','-o',"
        f"{str(tmp_path / 'g.py')!r}]; main(); assert 'tensorflow' not in sys.modules, 'tensorflow imported'"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
