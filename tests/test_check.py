"""`rnnshape check`: the comparison logic, the CLI exit codes 0/1/4, JSON, and the test seam."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, KERAS_FILES, ROOT
from rnnshape.check import runner
from rnnshape.check.budget import Estimate, estimate, refuse_if_too_large
from rnnshape.check.compare import KerasWeight, compare_weights, relative_path, weight_name_matches
from rnnshape.check.numeric import numeric_compare
from rnnshape.check.probe import PROBE_BATCH, PROBE_STEPS, concrete_spec, plan_probe, probe_arrays
from rnnshape.errors import TooLarge
from rnnshape.formats import from_expressions, input_layer_from_options, load_file
from rnnshape.infer import infer_model
from rnnshape.layers.base import WeightSpec
from rnnshape.spec import LayerSpec, sequential_model

EXAMPLE_FILES = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# ---------------------------------------------------------------- pure pieces (no TensorFlow)


@pytest.mark.parametrize(
    ("ours", "keras_relative", "expected"),
    [
        ("kernel", "lstm_cell/kernel", True),
        ("bias", "bias", True),
        ("forward_lstm/kernel", "forward_lstm/lstm_cell/kernel", True),
        ("backward_lstm/kernel", "forward_lstm/lstm_cell/kernel", False),
        ("kernel", "lstm_cell/recurrent_kernel", False),
        ("recurrent_kernel", "lstm_cell/kernel", False),
        ("stacked_rnn_cells/gru_cell/bias", "stacked_rnn_cells_1/gru_cell_1/bias", True),  # Keras uniquified
        ("simple_rnn/kernel", "simple_rnn_x/simple_rnn_cell/kernel", False),
        ("kernel", "lstm_cell/kernel_1", False),
    ],
)
def test_weight_names_match_on_the_last_part_and_in_order(ours: str, keras_relative: str, expected: bool) -> None:
    assert weight_name_matches(ours, keras_relative) is expected


def test_relative_path_drops_the_layer_prefix() -> None:
    assert relative_path("lstm_1/lstm_cell/kernel", "lstm_1") == "lstm_cell/kernel"
    assert relative_path("model/dense/bias", "dense") == "bias"
    assert relative_path("other/kernel", "dense") == "other/kernel"


def test_weights_are_paired_in_order_and_every_field_counts() -> None:
    ours = [WeightSpec("kernel", (3, 5)), WeightSpec("recurrent_kernel", (5, 5)), WeightSpec("bias", (5,))]
    keras = [
        KerasWeight("rnn/simple_rnn_cell/kernel", (3, 5), True),
        KerasWeight("rnn/simple_rnn_cell/recurrent_kernel", (5, 5), False),
    ]
    checks = compare_weights("rnn", ours, keras)
    assert [c.ok for c in checks] == [True, False, False]  # trainable differs; bias missing in Keras
    assert checks[2].keras is None and checks[0].relative_path == "simple_rnn_cell/kernel"


def test_probe_fixes_dynamic_axes_and_reinference_uses_them() -> None:
    model = load_file(str(EXAMPLES / "rnn_trace.yaml"))[0]  # batch_input_shape [null, null, 5]
    probe = plan_probe(model)
    assert probe[0].declared == (None, None, 5)
    assert probe[0].shape == (PROBE_BATCH, PROBE_STEPS, 5)
    assert not probe[0].is_integer and probe[0].dtype == "float32"
    concrete = infer_model(concrete_spec(model, probe))
    assert concrete.layers[0].outputs == ((PROBE_BATCH, PROBE_STEPS, 2),)
    (array,) = probe_arrays(probe, seed=3)
    assert array.shape == (PROBE_BATCH, PROBE_STEPS, 5)
    assert np.array_equal(array, probe_arrays(probe, seed=3)[0])  # seeded


def test_integer_inputs_get_ids_below_the_range() -> None:
    model = sequential_model(
        "ids", LayerSpec("InputLayer", {"shape": [6], "dtype": "int32"}), [LayerSpec("Dense", {"units": 2})]
    )
    (probe,) = plan_probe(model)
    assert probe.is_integer and probe.dtype == "int32" and probe.id_range == 10
    (array,) = probe_arrays((probe,), 0)
    assert array.dtype == np.int32 and 0 <= array.min() and array.max() < 10


def test_the_budget_estimates_params_and_activations() -> None:
    model = from_expressions(["SimpleRNN(5)", "Dense(2)"], input_shape="10,3")
    concrete = infer_model(concrete_spec(model, plan_probe(model)))
    est = estimate(concrete)
    assert est.param_bytes == 57 * 4
    # SimpleRNN reads (2, 10, 3) and writes (2, 5); Dense reads (2, 5) and writes (2, 2).
    assert est.activation_bytes == (60 + 10 + 10 + 4) * 4
    assert est.macs == 45 * 2 * 10 + 12 * 2
    refuse_if_too_large(est, "small")  # no exception
    with pytest.raises(TooLarge, match=r"would need about 14\.55 TB"):
        refuse_if_too_large(Estimate(16 * 10**12, 0, 0), "huge")


def test_normalisation_notes_name_the_dropped_keras2_arguments() -> None:
    layer = LayerSpec("LSTM", {"units": 3}, legacy={"time_major": False})
    model = sequential_model("k2", LayerSpec("InputLayer", {"shape": [4, 2]}), [layer])
    (note,) = runner.normalisation_notes(model)
    assert "equivalent Keras 3 model" in note and "time_major on 'lstm'" in note
    assert runner.normalisation_notes(from_expressions(["LSTM(3)"], input_shape="4,2")) == ()


def test_progress_reports_long_runs_only(tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    progress = runner.Progress(20, stream)
    for done in range(1, 21):
        progress.update(done, f"m{done}")
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("rnnshape check: 20/20 models checked")
    quiet = io.StringIO()
    short = runner.Progress(3, quiet)
    short.update(1, "m")
    assert quiet.getvalue() == ""


# ---------------------------------------------------------------- CLI against real Keras


def test_every_example_agrees_with_keras(keras, cli, in_root) -> None:
    result = cli("check", *EXAMPLE_FILES)
    assert result.code == 0, result.stdout + result.stderr
    assert "MISMATCH" not in result.stdout
    assert result.stdout.startswith("device: /physical_device:")
    assert "TensorFlow " in result.stdout and f"Keras {keras.__version__}" in result.stdout
    assert result.stdout.count(": agree\n") == len(EXAMPLE_FILES)
    assert f"{len(EXAMPLE_FILES)} models checked: {len(EXAMPLE_FILES)} agree" in result.stdout


def test_json_output_shape(keras, cli, in_root) -> None:
    result = cli("check", "--format", "json", "--device", "cpu", "examples/rnn_shapes.yaml")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"ok", "device", "tensorflow", "keras", "models"}
    assert data["ok"] is True and data["keras"] == keras.__version__
    assert data["device"]["requested"] == "cpu"
    assert data["device"]["used"] == ["/physical_device:CPU:0"]
    (model,) = data["models"]
    assert model["status"] == "agree" and model["mismatches"] == [] and model["error"] is None
    assert model["probe_inputs"] == [
        {"name": "input_layer", "declared_shape": [None, 10, 3], "shape": [2, 10, 3], "dtype": "float32"}
    ]
    rnn, dense = model["layers"]
    assert rnn["name"] == "simple_rnn" and rnn["class_name"] == "SimpleRNN" and rnn["ok"]
    assert rnn["output_shape"] == {"declared": [[None, 5]], "rnnshape": [[2, 5]], "keras": [[2, 5]]}
    assert rnn["params"]["rnnshape"] == rnn["params"]["keras"] == {"total": 45, "trainable": 45, "non_trainable": 0}
    assert [(w["rnnshape"]["name"], w["rnnshape"]["shape"]) for w in rnn["weights"]] == [
        ("kernel", [3, 5]), ("recurrent_kernel", [5, 5]), ("bias", [5]),
    ]
    assert [w["keras"]["path"] for w in rnn["weights"]] == [
        "simple_rnn/simple_rnn_cell/kernel", "simple_rnn/simple_rnn_cell/recurrent_kernel",
        "simple_rnn/simple_rnn_cell/bias",
    ]
    assert dense["params"]["keras"]["total"] == 12
    assert model["estimate"]["param_bytes"] == 228


def test_state_outputs_and_frozen_layers_are_compared_per_tensor(keras, cli) -> None:
    result = cli(
        "check", "--format", "json", "--batch-input-shape", "3,None,4",
        "LSTM(5, return_sequences=True, stateful=True, go_backwards=True)",
        "GRU(2, return_state=True, trainable=False, reset_after=False)",
    )
    assert result.code == 0, result.stdout
    lstm, gru = json.loads(result.stdout)["models"][0]["layers"]
    assert lstm["output_shape"]["keras"] == [[3, 8, 5]]
    assert gru["output_shape"]["keras"] == [[3, 2], [3, 2]]  # output and state h
    assert gru["params"]["keras"] == {"total": 48, "trainable": 0, "non_trainable": 48}


def test_an_injected_wrong_answer_exits_1_and_shows_where(keras, cli, in_root, monkeypatch, golden) -> None:
    real = runner.rnnshape_report

    def wrong_dense(model):
        report = real(model)
        layers = []
        for layer in report.layers:
            if layer.name == "dense":  # pretend rnnshape thought Dense(3) instead of Dense(2)
                out = layer.outputs[0][:-1] + (3,)
                weights = (WeightSpec("kernel", (5, 3)), WeightSpec("bias", (3,)))
                layer = replace(layer, outputs=(out,), weights=weights)
            layers.append(layer)
        return replace(report, layers=tuple(layers))

    monkeypatch.setattr(runner, "rnnshape_report", wrong_dense)
    result = cli("check", "examples/rnn_shapes.yaml")
    assert result.code == 1
    body = result.stdout.split("\n\n", 1)[1]  # without the device/version line
    golden("check_mismatch.txt", body)
    assert "dense (Dense)" in body and "MISMATCH: output, params, weight" in body
    assert "dense: output shape: rnnshape (2, 3), keras (2, 2)" in body
    assert "dense: weight #1: rnnshape kernel (5, 3), keras kernel (5, 2)" in body
    assert "(model): params (total/trainable/non-trainable): rnnshape 63/63/0, keras 57/57/0" in body
    simple_rnn_row = next(line for line in body.splitlines() if "simple_rnn (SimpleRNN)" in line)
    assert simple_rnn_row.rstrip().endswith("agree")

    data = json.loads(cli("check", "--format", "json", "examples/rnn_shapes.yaml").stdout)
    assert data["ok"] is False and data["models"][0]["status"] == "mismatch"
    aspects = {(m["layer"], m["aspect"]) for m in data["models"][0]["mismatches"]}
    assert ("dense", "output shape") in aspects and ("dense", "weight #2") in aspects


def test_a_model_rnnshape_refuses_is_an_error_and_never_built(keras, cli) -> None:
    result = cli("check", "--input-shape", "10,3", "LSTM(4)", "LSTM(2)")
    assert result.code == 1
    assert "ERROR" in result.stdout
    assert "expects a 3-D input" in result.stdout
    assert "not built with Keras: check builds only models that rnnshape accepts" in result.stdout
    assert "keras" not in result.stdout.split("\n", 1)[1].replace("not built with Keras", "")


def test_one_unreadable_file_does_not_stop_the_others(keras, cli, in_root) -> None:
    result = cli("check", "examples/rnn_shapes.yaml", "examples/no_such_model.yaml")
    assert result.code == 1
    assert "rnn-shapes (examples/rnn_shapes.yaml): agree" in result.stdout
    assert "examples/no_such_model.yaml: no such file" in result.stdout
    assert "2 models checked: 1 agree, 1 error" in result.stdout


def test_too_large_models_are_refused_unless_forced(keras, cli, in_root, monkeypatch) -> None:
    result = cli("check", "--input-shape", "10,3", "LSTM(1000000)")
    assert result.code == 1
    assert "REFUSED" in result.stdout and "would need about 14.55 TB" in result.stdout
    assert "--force" in result.stdout
    monkeypatch.setenv("RNNSHAPE_CHECK_MAX_BYTES", "1000")
    assert cli("check", "examples/stacked_lstm.yaml").code == 1
    forced = cli("check", "--force", "examples/stacked_lstm.yaml")
    assert forced.code == 0 and ": agree" in forced.stdout


def test_keras2_style_input_is_built_from_the_normalised_spec(keras, cli, tmp_path) -> None:
    path = tmp_path / "k2.yaml"
    path.write_text("layers:\n  - SimpleRNN: {units: 3, return_sequences: true, batch_input_shape: [8, 2, 10]}\n")
    result = cli("check", str(path))
    assert result.code == 0, result.stdout
    assert "note: built the equivalent Keras 3 model from rnnshape's normalised spec" in result.stdout
    assert "batch_input_shape on 'simple_rnn'" in result.stdout
    assert "(8, 2, 3)" in result.stdout


def test_device_cpu_is_reported_and_gpu_without_one_exits_4(keras, cli, in_root) -> None:
    import tensorflow as tf

    cpu = cli("check", "--device", "cpu", "examples/rnn_shapes.yaml")
    assert cpu.code == 0 and cpu.stdout.startswith("device: /physical_device:CPU:0 ·")
    if tf.config.list_physical_devices("GPU"):
        gpu = cli("check", "--device", "gpu", "examples/rnn_shapes.yaml")
        assert gpu.code == 0 and "/physical_device:GPU:" in gpu.stdout
    else:
        gpu = cli("check", "--device", "gpu", "examples/rnn_shapes.yaml")
        assert gpu.code == 4 and "TensorFlow sees no GPU" in gpu.stderr


def test_numeric_with_the_real_generator_matches_keras_on_every_example(keras, cli, in_root) -> None:
    result = cli("check", "--numeric", "--seed", "5", *EXAMPLE_FILES)
    assert result.code == 0, result.stdout
    assert result.stdout.count("(atol 1e-05, seed 5): pass") == len(EXAMPLE_FILES)


def test_missing_tensorflow_exits_4_with_the_install_hint(tmp_path: Path) -> None:
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        textwrap.dedent(
            """
            import sys

            class _Block:
                def find_spec(self, name, path=None, target=None):
                    if name.split(".")[0] in ("tensorflow", "keras"):
                        raise ModuleNotFoundError(f"No module named {name!r}")
                    return None

            sys.meta_path.insert(0, _Block())
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    proc = subprocess.run(
        [sys.executable, "-m", "rnnshape", "check", "examples/rnn_shapes.yaml"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 4, proc.stderr
    assert "pip install 'rnnshape[keras]'" in proc.stderr
    assert proc.stdout == ""


# ---------------------------------------------------------------- the Keras reference files


def _reference_files() -> list[Path]:
    # Real model files only: not the weights-only .h5 files, the .keras archive's metadata,
    # or the trimmed_* excerpts (keys removed for the reference document).
    skip = ("tree", "metadata", "weights", "trimmed_")
    return sorted(
        p for p in KERAS_FILES.iterdir() if p.suffix in (".json", ".keras", ".h5") and not any(s in p.name for s in skip)
    )


@pytest.mark.parametrize("path", _reference_files(), ids=lambda p: p.name)
def test_reference_keras_files_agree(keras, path: Path) -> None:
    # Unbuilt models record no input shape: give them the one they were written for.
    unbuilt = "unbuilt" in path.name
    input_layer = input_layer_from_options("10,8", None) if unbuilt else None
    models = load_file(str(path), input_layer=input_layer)
    run = runner.check_models(models, runner.CheckOptions(device="cpu"))
    from rnnshape.check.render import render_table

    assert run.ok, render_table(run)


# ---------------------------------------------------------------- --numeric, Keras side


def _reference_forward(model):
    """A hand-written NumPy forward pass for chains of SimpleRNN/LSTM/GRU/Dense/Dropout (test oracle)."""
    report = infer_model(model)

    def sigmoid(x):
        return 1.0 / (1.0 + np.exp(-x))

    def run(inputs, weights):
        x = inputs[0].astype(np.float64)
        for layer in report.layers:
            cfg = layer.config
            ws = [w.astype(np.float64) for w in weights.get(layer.name, [])]
            assert len(ws) == len(layer.weights)
            if layer.class_name == "Dense":
                x = x @ ws[0] + (ws[1] if cfg["use_bias"] else 0.0)
            elif layer.class_name in ("SimpleRNN", "LSTM", "GRU"):
                x = _rnn(layer.class_name, cfg, x, ws, sigmoid)
        return [x]

    return run


def _rnn(kind, cfg, x, ws, sigmoid):
    W, R = ws[0], ws[1]
    b = ws[2] if cfg["use_bias"] else None
    batch, steps, _ = x.shape
    u = R.shape[0]
    h = np.zeros((batch, u))
    c = np.zeros((batch, u))
    seq = []
    for t in range(steps - 1, -1, -1) if cfg["go_backwards"] else range(steps):
        if kind == "SimpleRNN":
            h = np.tanh(x[:, t] @ W + h @ R + (0 if b is None else b))
        elif kind == "LSTM":
            z = x[:, t] @ W + h @ R + (0 if b is None else b)
            i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u : 2 * u]), np.tanh(z[:, 2 * u : 3 * u]), sigmoid(z[:, 3 * u :])
            c = f * c + i * g
            h = o * np.tanh(c)
        else:
            if b is None:
                bi, br = np.zeros(3 * u), np.zeros(3 * u)
            elif cfg["reset_after"]:
                bi, br = b[0], b[1]
            else:
                bi, br = b, np.zeros(3 * u)
            xz = x[:, t] @ W + bi
            if cfg["reset_after"]:
                hr = h @ R + br
                z, r = sigmoid(xz[:, :u] + hr[:, :u]), sigmoid(xz[:, u : 2 * u] + hr[:, u : 2 * u])
                hh = np.tanh(xz[:, 2 * u :] + r * hr[:, 2 * u :])
            else:
                hr = h @ R[:, : 2 * u]
                z, r = sigmoid(xz[:, :u] + hr[:, :u]), sigmoid(xz[:, u : 2 * u] + hr[:, u:])
                hh = np.tanh(xz[:, 2 * u :] + (r * h) @ R[:, 2 * u :])
            h = z * h + (1.0 - z) * hh
        seq.append(h)
    return np.stack(seq, 1) if cfg["return_sequences"] else h


NUMERIC_MODELS = [
    ["SimpleRNN(5)", "Dense(2)"],
    ["LSTM(4, return_sequences=True)", "Dropout(0.5)", "LSTM(3, go_backwards=True)"],
    ["GRU(4, return_sequences=True)", "GRU(3, reset_after=False, use_bias=False)", "Dense(2)"],
]


@pytest.mark.parametrize("layers", NUMERIC_MODELS, ids=lambda ls: "+".join(ls))
def test_numeric_compare_agrees_with_a_correct_forward_pass(keras, layers) -> None:
    from rnnshape.check.keras_build import build_model

    model = from_expressions(layers, input_shape="6,3")
    result = numeric_compare(model, build_model(keras, model), _reference_forward(model), atol=1e-5, seed=4)
    assert result.problem is None
    assert result.passed, result
    assert result.max_abs_diff < 1e-5 and result.input_shapes == ((PROBE_BATCH, 6, 3),)


def test_numeric_compare_catches_a_swapped_gate_order(keras) -> None:
    from rnnshape.check.keras_build import build_model

    model = from_expressions(["LSTM(4)"], input_shape="5,3")
    correct = _reference_forward(model)

    def swapped(inputs, weights):  # reads gates as f, i, c, o
        W, R, b = weights["lstm"]
        u = 4
        order = np.r_[u : 2 * u, 0:u, 2 * u : 4 * u]
        return correct(inputs, {"lstm": [W[:, order], R[:, order], b[order]]})

    result = numeric_compare(model, build_model(keras, model), swapped, atol=1e-5, seed=1)
    assert not result.passed and result.max_abs_diff > 1e-3


def test_numeric_compare_reports_a_shape_disagreement(keras) -> None:
    from rnnshape.check.keras_build import build_model

    model = from_expressions(["SimpleRNN(3)"], input_shape="4,2")
    result = numeric_compare(model, build_model(keras, model), lambda x, w: [np.zeros((2, 4))], atol=1e-5)
    assert not result.passed and "shape" in (result.problem or "")


def test_seeded_weights_are_the_generators_random_weights(keras) -> None:
    """One random-weight generator: Keras gets exactly what `rnnshape numpy` embeds for the seed."""
    from rnnshape.check.keras_build import build_model
    from rnnshape.check.numeric import seeded_weights
    from rnnshape.numpy_gen import random_weights

    spec = from_expressions(["LSTM(3, return_sequences=True)", "BatchNormalization()", "GRU(2)", "Dense(2)"], input_shape="4,2")
    model = build_model(keras, spec)
    first = seeded_weights(model, 7)
    assert all(np.array_equal(a, b) for a, b in zip(first["lstm"], seeded_weights(model, 7)["lstm"]))
    ours = random_weights(infer_model(spec), 7)
    assert list(first) == list(ours) == ["lstm", "batch_normalization", "gru", "dense"]
    for name, arrays in ours.items():
        assert len(first[name]) == len(arrays)
        assert all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(first[name], arrays)), name
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), [w for ws in first.values() for w in ws]))
    kernel = first["lstm"][0]  # (2, 12): gates i, f, c, o side by side, every value its own draw
    assert len({float(v) for v in kernel.ravel()}) == kernel.size
    assert (first["batch_normalization"][3] >= 0.5).all()  # moving_variance is positive


def test_a_functional_seq2seq_with_two_inputs_and_state_wiring_agrees(keras) -> None:
    from rnnshape.spec import Call, ModelSpec, TensorRef

    enc_in = LayerSpec("InputLayer", {"shape": [5, 3]}, "encoder_in")
    dec_in = LayerSpec("InputLayer", {"shape": [7, 2]}, "decoder_in")
    encoder = LayerSpec("LSTM", {"units": 4, "return_state": True}, "encoder")
    decoder = LayerSpec("LSTM", {"units": 4, "return_sequences": True}, "decoder")
    head = LayerSpec("Dense", {"units": 3}, "head")
    calls = (
        Call(encoder, (TensorRef("encoder_in"),)),
        Call(decoder, (TensorRef("decoder_in"),), initial_state=(TensorRef("encoder", 0, 1), TensorRef("encoder", 0, 2))),
        Call(head, (TensorRef("decoder"),)),
    )
    model = ModelSpec("seq2seq", (enc_in, dec_in), calls, (TensorRef("head"),), sequential=False)
    run = runner.check_models([model], runner.CheckOptions(device="cpu"))
    (result,) = run.models
    assert result.ok, result.mismatches
    by_name = {layer.name: layer for layer in result.layers}
    assert by_name["encoder"].keras == ((2, 4), (2, 4), (2, 4))
    assert by_name["head"].keras == ((2, 7, 3),)
    assert [p.shape for p in result.probe] == [(2, 5, 3), (2, 7, 2)]


def test_loading_the_check_package_does_not_import_tensorflow() -> None:
    code = (
        "import sys, rnnshape.cli, rnnshape.check.render, rnnshape.check.numeric, rnnshape.check.runner\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TensorFlow imported eagerly'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_numeric_option_end_to_end_with_a_forward_function(keras, cli, in_root, monkeypatch) -> None:
    """The CLI wiring of --numeric, with this file's NumPy oracle standing in for rnnshape.numpy_gen."""
    from rnnshape.check import numeric
    from rnnshape.errors import SpecError as Unsupported

    def forward_function(model):
        if any(c.layer.class_name == "Dropout" and c.layer.args.get("rate", 0) > 0.5 for c in model.calls):
            raise Unsupported("no forward template for this layer")
        return _reference_forward(model)

    monkeypatch.setattr(numeric, "forward_function", forward_function)
    good = cli("check", "--numeric", "--seed", "3", "examples/stacked_lstm.yaml", "examples/gru_forecaster.yaml")
    assert good.code == 0, good.stdout
    assert good.stdout.count("(atol 1e-05, seed 3): pass") == 2

    data = json.loads(cli("check", "--numeric", "--format", "json", "examples/rnn_shapes.yaml").stdout)
    result = data["models"][0]["numeric"]
    assert result["passed"] is True and result["max_abs_diff"] < 1e-5 and result["atol"] == 1e-5

    tight = cli("check", "--numeric", "--atol", "0", "--seed", "1", "examples/stacked_lstm.yaml")
    assert tight.code == 1 and ": FAIL" in tight.stdout  # float32 Keras vs float64 NumPy is never exactly 0

    unsupported = cli("check", "--numeric", "--input-shape", "4,2", "SimpleRNN(2)", "Dropout(0.7)")
    assert unsupported.code == 1
    assert "numeric: no NumPy forward pass:" in unsupported.stdout and "no forward template" in unsupported.stdout


def test_all_inputs_share_the_batch_one_of_them_fixes() -> None:
    from rnnshape.spec import Call, ModelSpec, TensorRef

    enc = LayerSpec("InputLayer", {"shape": [5, 3]}, "enc_in")
    dec = LayerSpec("InputLayer", {"batch_shape": [4, None, 2]}, "dec_in")
    calls = (Call(LayerSpec("LSTM", {"units": 2}, "a"), (TensorRef("enc_in"),)),
             Call(LayerSpec("LSTM", {"units": 2}, "b"), (TensorRef("dec_in"),)))
    model = ModelSpec("two", (enc, dec), calls, (TensorRef("a"), TensorRef("b")), sequential=False)
    assert [p.shape for p in plan_probe(model)] == [(4, 5, 3), (4, PROBE_STEPS, 2)]


def test_fresh_names_restart_keras_auto_naming(keras) -> None:
    keras.layers.Dense(1), keras.layers.Dense(1)
    runner.fresh_names(keras)
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.LSTM(2).name == "lstm"


def test_nothing_loadable_is_answered_without_tensorflow() -> None:
    probe = (
        "import sys\n"
        "from rnnshape.cli import main\n"
        "sys.argv = ['rnnshape', 'check', 'examples/no_such_model.yaml']\n"
        "rc = main()\n"
        "sys.stderr.write('RC=%d TF=%s\\n' % (rc, 'tensorflow' in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "examples/no_such_model.yaml: no such file" in result.stderr
    assert "RC=1 TF=False" in result.stderr
