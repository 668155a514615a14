"""`rnnshape explain` end to end: goldens for every example, every exit code, the JSON contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cases import CASES
from conftest import EXAMPLES, ROOT

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_tables_match_goldens(cli, golden, path: Path) -> None:
    result = cli("explain", str(path.relative_to(ROOT)))
    assert result.code == 0, result.stderr
    golden(f"explain/{path.stem}.txt", result.stdout)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_other_formats_match_goldens(cli, golden, fmt: str) -> None:
    result = cli("explain", "examples/stacked_lstm.yaml", "--format", fmt)
    assert result.code == 0
    golden(f"explain/stacked_lstm.{fmt}", result.stdout)


def test_weights_and_symbols_match_golden(cli, golden) -> None:
    result = cli("explain", "examples/rnn_shapes.yaml", "--weights", "--symbols")
    assert result.code == 0
    golden("explain/rnn_shapes.weights_symbols.txt", result.stdout)


def test_json_contract_for_the_seed_model(cli) -> None:
    result = cli("explain", "--input-shape", "10,3", "SimpleRNN(5)", "Dense(2)", "--format", "json")
    data = json.loads(result.stdout)
    assert data["layers"][0] == {
        "name": "simple_rnn",
        "class_name": "SimpleRNN",
        "input_shape": [None, 10, 3],
        "output_shape": [None, 5],
        "params": 45,
        "trainable_params": 45,
        "non_trainable_params": 0,
        "weights": [
            {"name": "kernel", "shape": [3, 5], "trainable": True},
            {"name": "recurrent_kernel", "shape": [5, 5], "trainable": True},
            {"name": "bias", "shape": [5], "trainable": True},
        ],
        "formula": "M(D+M+1) = 5(3+5+1) = 45",
        "macs": 400,
        "macs_formula": "T·M(D+M) = 10·5(3+5) = 400",
        "flops": 950,
        "flops_formula": "2·MACs + T·3M = 2·400 + 10·3·5 = 950",
    }
    assert (data["total_params"], data["trainable_params"], data["non_trainable_params"]) == (57, 57, 0)
    assert data["param_bytes"] == 228
    assert (data["total_macs"], data["unknown_macs"]) == (410, [])
    assert (data["total_flops"], data["unknown_flops"]) == (972, [])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_json_matches_hand_table(cli, case) -> None:
    args = ["explain", "--format", "json", *case.exprs]
    if case.input_shape:
        args += ["--input-shape", case.input_shape]
    if case.batch_input_shape:
        args += ["--batch-input-shape", case.batch_input_shape]
    data = json.loads(cli(*args).stdout)
    got = []
    for layer in data["layers"]:
        shapes = layer["output_shape"]
        shapes = [shapes] if not isinstance(shapes[0], list) else shapes
        got.append((layer["name"], tuple(tuple(s) for s in shapes), layer["params"]))
    assert got == list(case.expected)


def test_multiple_outputs_in_json_are_a_list_of_shapes(cli) -> None:
    data = json.loads(cli("explain", "-f", "json", "--input-shape", "7,5", "LSTM(4, return_state=True)").stdout)
    assert data["layers"][0]["output_shape"] == [[None, 4], [None, 4], [None, 4]]


def test_exit_0_on_success(cli) -> None:
    assert cli("explain", "examples/rnn_shapes.yaml").code == 0


def test_exit_1_on_shape_error_with_the_fix(cli) -> None:
    result = cli("explain", "--input-shape", "10,8", "LSTM(4)", "LSTM(2)")
    assert result.code == 1
    # The shapes up to the break (explain_failures.py tests the table itself).
    assert "│ lstm_1 (LSTM)  │ ✗ FAILED" in result.stdout
    assert "<arg 2>:1:1: layer 'lstm_1': LSTM expects a 3-D input" in result.stderr
    assert "hint: set return_sequences=True on 'lstm'" in result.stderr


def test_exit_1_on_expect_mismatch_names_layer_and_values(cli, tmp_path: Path) -> None:
    config = tmp_path / "m.yaml"
    config.write_text(
        "input_shape: [10, 3]\nlayers:\n  - SimpleRNN: 5\n  - Dense: 2\n"
        "expect:\n  output_shape: [null, 3]\n  params: 50\n  max_params: 40\n"
    )
    result = cli("explain", str(config))
    assert result.code == 1
    assert f"{config}:6:17: expect.output_shape: expected output shape (None, 3), but layer 'dense' (Dense) outputs (None, 2)" in result.stderr
    assert f"{config}:7:11: expect.params: expected 50 parameters, but the model has 57 (simple_rnn 45 + dense 12)" in result.stderr
    assert "over the budget of 40 (largest: 'simple_rnn' with 45)" in result.stderr
    # The table is still printed: the mismatch is about the model, not the input.
    assert "Total params: 57 (228.00 B)" in result.stdout


def test_exit_1_on_unreadable_file(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("layers: [\n  - LSTM: 4\n")
    result = cli("explain", str(bad))
    assert result.code == 1
    assert result.stderr.startswith(f"rnnshape: error: {bad}:")


def test_exit_1_for_missing_file_but_others_still_explained(cli) -> None:
    result = cli("explain", "nope.yaml", "examples/rnn_shapes.yaml")
    assert result.code == 1
    assert "nope.yaml: no such file" in result.stderr
    assert 'Model: "rnn-shapes"' in result.stdout


def test_exit_2_on_usage_errors(cli) -> None:
    assert cli("explain", "--no-such-option", "x.yaml").code == 2
    assert cli("explain").code == 2
    assert cli("explain", "--format", "xml", "examples/rnn_shapes.yaml").code == 2
    mixed = cli("explain", "examples/rnn_shapes.yaml", "Dense(2)")
    assert mixed.code == 2 and "either model files or layer expressions" in mixed.stderr


def test_notes_for_keras2_idioms_go_to_stderr(cli) -> None:
    result = cli("explain", "SimpleRNN(units=3, batch_input_shape=(8,2,10), return_sequences=True)")
    assert result.code == 0
    assert "(8, 2, 3)" in result.stdout and "42" in result.stdout
    assert "batch_input_shape= is Keras 2 syntax" in result.stderr


def test_layers_command_lists_the_registry(cli) -> None:
    from rnnshape.layers import REGISTRY

    out = cli("layers").stdout
    for name in REGISTRY:
        assert name in out


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_python_dash_m_is_the_same_cli() -> None:
    result = _run("-m", "rnnshape", "explain", "examples/rnn_shapes.yaml")
    assert result.returncode == 0
    assert "Total params: 57 (228.00 B)" in result.stdout


def test_explain_never_imports_tensorflow_or_numpy() -> None:
    probe = (
        "import sys\n"
        "from rnnshape.cli import main\n"
        "sys.argv = ['rnnshape', 'explain', 'examples/stacked_lstm.yaml', '--weights', '--symbols']\n"
        "try:\n    main()\nfinally:\n"
        "    heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'numpy', 'h5py'))\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = _run("-c", probe)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr


@pytest.mark.parametrize(("fmt", "uses_tabulate"), [("json", False), ("markdown", True), ("table", True)])
def test_each_output_format_imports_only_what_it_needs(fmt: str, uses_tabulate: bool) -> None:
    # JSON is json.dumps: tabulate (and wcwidth under it) would only cost start-up time.
    probe = (
        "import sys\n"
        "from rnnshape.cli import main\n"
        f"sys.argv = ['rnnshape', 'explain', 'examples/stacked_lstm.yaml', '-f', {fmt!r}]\n"
        "try:\n    main()\nfinally:\n"
        "    print('TABULATE', 'tabulate' in sys.modules, 'wcwidth' in sys.modules, file=sys.stderr)\n"
    )
    result = _run("-c", probe)
    assert result.returncode == 0, result.stderr
    if uses_tabulate:
        assert "TABULATE True" in result.stderr
    else:
        assert "TABULATE False False" in result.stderr


def test_internal_errors_exit_3_with_a_short_report() -> None:
    # A bug is simulated by breaking the core from outside; users never see a traceback.
    probe = (
        "import sys, rnnshape.infer as core\n"
        "def broken(model, **kw):\n    raise ZeroDivisionError('simulated bug')\n"
        "core.infer_until_error = broken\n"
        "from rnnshape.cli import main\n"
        "sys.argv = ['rnnshape', 'explain', 'examples/rnn_shapes.yaml']\n"
        "raise SystemExit(main())\n"
    )
    result = _run("-c", probe)
    assert result.returncode == 3
    assert "internal error: ZeroDivisionError: simulated bug" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
