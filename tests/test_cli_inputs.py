"""Issue 14, inputs and lint's voice: standard input and pipes, YAML layers in call syntax,
a rank error at the input, lint's summary and its config warnings, the GPU exit code."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnnshape.cli import app

ROOT = Path(__file__).resolve().parent.parent
MODEL = "input_shape: [10, 3]\nlayers:\n  - LSTM: 4\n"
runner = CliRunner()


def _rnnshape(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "rnnshape", *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120
    )


def test_dash_reads_standard_input() -> None:
    result = _rnnshape("explain", "-", stdin=MODEL.encode())
    assert result.returncode == 0, result.stderr
    assert b"lstm (LSTM)" in result.stdout and b"128" in result.stdout
    broken = _rnnshape("explain", "-", stdin=b"input_shape: [10, 3]\nlayers:\n  - LTSM: 4\n")
    assert broken.returncode == 1
    assert broken.stderr.startswith(b"rnnshape: error: <stdin>:3:5:")


def test_standard_input_has_the_file_size_limit() -> None:
    env_limit = {"RNNSHAPE_MAX_FILE_BYTES": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "rnnshape", "explain", "-"], input=MODEL.encode() + b"#" * 200,
        capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT), **env_limit}, timeout=120,
    )
    assert result.returncode == 1
    assert b"<stdin>" in result.stderr and b"RNNSHAPE_MAX_FILE_BYTES" in result.stderr


def test_a_binary_model_on_standard_input_is_refused() -> None:
    result = _rnnshape("explain", "-", stdin=(ROOT / "examples" / "keras" / "seq_rnn.keras").read_bytes())
    assert result.returncode == 1 and b"give its file name" in result.stderr


def test_dev_stdin_and_a_fifo_are_read(tmp_path: Path) -> None:
    assert _rnnshape("explain", "/dev/stdin", stdin=MODEL.encode()).returncode == 0
    fifo = tmp_path / "model.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as handle:
            handle.write(MODEL)

    writer = threading.Thread(target=write)
    result: list[subprocess.CompletedProcess[bytes]] = []
    # The reader opens without waiting; start the writer first so the data is there.
    writer.start()
    result.append(_rnnshape("explain", str(fifo)))
    writer.join(timeout=60)
    assert result[0].returncode == 0, result[0].stderr
    assert b"lstm (LSTM)" in result[0].stdout


def test_a_fifo_nobody_writes_to_is_empty_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "model.yaml"
    os.mkfifo(fifo)
    result = _rnnshape("explain", str(fifo))
    assert result.returncode == 1 and b"is empty" in result.stderr


def test_yaml_layer_in_call_syntax(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("input_shape: [10, 3]\nlayers:\n  - Bidirectional(LSTM(4, return_sequences=True))\n  - Dense(2)\n")
    result = runner.invoke(app, ["explain", "-f", "json", str(model)])
    assert result.exit_code == 0, result.stderr
    assert '"total_params": ' in result.stdout and "bidirectional" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("input_shape: [10, 3]\nlayers:\n  - GRU(2, bogus=3)\n")
    failed = runner.invoke(app, ["explain", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:3:" in failed.stderr and "no argument 'bogus'" in failed.stderr


def test_rank_error_at_the_input_says_it_wants_t_d(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explain", "--input-shape", "10", "LSTM(5)"])
    assert result.exit_code == 1
    assert "--input-shape T,D" in result.stderr
    model = tmp_path / "m.yaml"
    model.write_text("input_shape: [10]\nlayers:\n  - LSTM: 4\n")
    linted = runner.invoke(app, ["lint", str(model)])
    assert "T,D (timesteps, features)" in linted.stdout and "--input-shape" not in linted.stdout


def test_lint_empty_folder_says_nothing_matched(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 0
    assert "no model files found" in result.stderr
    assert runner.invoke(app, ["lint", "-f", "json", str(tmp_path)]).stdout.startswith("{")


def test_lint_clean_file_on_a_terminal_says_it_is_clean() -> None:
    leader, follower = pty.openpty()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(
            [sys.executable, "-m", "rnnshape", "lint", "examples/rnn_shapes.yaml"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=120,
        )
        os.close(follower)
        said = os.read(leader, 4096)
    finally:
        os.close(leader)
    assert proc.returncode == 0 and proc.stdout == b""
    assert b"no problems in 1 file" in said
    piped = _rnnshape("lint", "examples/rnn_shapes.yaml")
    assert piped.stdout == b"" and piped.stderr == b""  # hooks and pipes stay quiet


def test_misspelt_config_key_is_warned(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nignroe = ["RS204"]\n')
    (tmp_path / "m.yaml").write_text(MODEL)
    result = _rnnshape("lint", "m.yaml", cwd=tmp_path)
    assert result.returncode == 0
    assert b"has no setting 'ignroe'; did you mean 'ignore'?" in result.stderr


def test_readme_gives_the_gpu_exit_code() -> None:
    # tests/test_check.py runs `check --device gpu` with real TensorFlow (exit 4 without a GPU).
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in table.splitlines() if line.startswith("| 4 |"))
    assert "--device gpu" in row
    assert "| 2 |" in table and "--input-shape ten,3" in table


def test_lint_examples_fails_only_in_the_broken_folder() -> None:
    result = runner.invoke(app, ["lint", "-f", "json", str(ROOT / "examples")])

    problems = [p for f in json.loads(result.stdout)["files"] for p in f["problems"]]
    errors = [p for p in problems if p["level"] == "error"]
    assert errors and all(str(ROOT / "examples" / "broken") in p["path"] for p in errors)
    assert (ROOT / "examples" / "broken" / "README.md").is_file()
    others = [str(p) for p in (ROOT / "examples").iterdir() if p.name != "broken"]
    assert runner.invoke(app, ["lint", *others]).exit_code == 0
