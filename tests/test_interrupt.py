"""Ctrl-C: a real SIGINT to a real process exits 130, prints no traceback, leaves no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc to see the child start")


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "rnnshape", *args], cwd=cwd, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _interrupt_after(proc: subprocess.Popen[bytes], library: str, delay: float) -> None:
    """Send SIGINT ``delay`` seconds after the command is running, unless it has finished.

    "Running" is when the child has mapped ``library`` (a C extension the command imports
    lazily), i.e. Python's own start-up is over: a Ctrl-C before that reaches an
    interpreter that has not yet run any rnnshape code.
    """
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if library in maps.read_text():
                break
        except OSError:
            break
        time.sleep(0.005)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)


def test_sigint_during_a_long_lint_exits_130(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    text = "input_shape: [10, 3]\nlayers:\n" + "  - LSTM: {units: 8, return_sequences: true}\n" * 40
    for i in range(3000):
        (models / f"m{i:04d}.yaml").write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in models.iterdir()}
    proc = _start(["lint", str(models)], tmp_path)
    _interrupt_after(proc, "_yaml", 1.0)  # lint of 3,000 files takes far longer than starting
    out, err = proc.communicate(timeout=120)
    stderr = err.decode()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == "rnnshape: interrupted"
    assert {p.name: p.read_bytes() for p in models.iterdir()} == before  # inputs untouched


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 0.6])
def test_sigint_during_numpy_output_leaves_no_partial_file(tmp_path: Path, delay: float) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("input_shape: [20, 8]\nlayers:\n  - LSTM: {units: 64, return_sequences: true}\n"
                     "  - GRU: 32\n  - Dense: 4\n", encoding="utf-8")
    (tmp_path / "ref").mkdir()
    reference = tmp_path / "ref" / "forward.py"
    done = subprocess.run(
        [sys.executable, "-m", "rnnshape", "numpy", str(model), "-o", str(reference)],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    target = tmp_path / "forward.py"
    proc = _start(["numpy", str(model), "-o", str(target)], tmp_path)
    _interrupt_after(proc, "_multiarray_umath", delay)
    _, err = proc.communicate(timeout=120)
    stderr = err.decode()
    assert "Traceback" not in stderr
    assert proc.returncode in (0, 130), stderr
    if proc.returncode == 130:
        assert stderr.strip().splitlines()[-1] == "rnnshape: interrupted"
    # Either the whole file or none: never a partial one, never a leftover temp file.
    if target.exists():
        assert target.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")
        for npz in (tmp_path / "ref").glob("*.npz"):  # the weights file is written before the code
            assert (tmp_path / npz.name).read_bytes() == npz.read_bytes()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".rnnshape-")]


def test_atomic_write_interrupted_mid_write_leaves_nothing(tmp_path: Path) -> None:
    from rnnshape.output import write_files

    def write_then_interrupt(handle: object) -> None:
        handle.write(b"partial")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    first = (str(tmp_path / "out.npz"), lambda handle: handle.write(b"npz"))
    with pytest.raises(KeyboardInterrupt):
        write_files([first, (str(tmp_path / "out.py"), write_then_interrupt)])
    assert list(tmp_path.iterdir()) == []


def test_numpy_refuses_to_overwrite_without_force(tmp_path: Path, cli) -> None:
    target = tmp_path / "forward.py"
    target.write_text("# mine\n", encoding="utf-8")
    result = cli("numpy", "--input-shape", "10,3", "SimpleRNN(5)", "-o", str(target))
    assert result.code == 2
    assert "exists; pass --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    result = cli("numpy", "--input-shape", "10,3", "SimpleRNN(5)", "-o", str(target), "--force")
    assert result.code == 0
    assert "def forward" in target.read_text(encoding="utf-8")


def test_keyboard_interrupt_inside_a_command_is_exit_130(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import rnnshape.formats as formats

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(formats, "load_models", interrupted)
    result = cli("explain", "LSTM(4)", "--input-shape", "10,3")
    assert result.code == 130
    assert result.stderr.strip() == "rnnshape: interrupted"
