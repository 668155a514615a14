"""The hostile-input corpus: committed small files in tests/bad-inputs/, plus generated ones.

Large or unrepresentable inputs (a 50 MB JSON, 10,000-deep nesting, a directory named
``model.yaml``, a symlink loop, a FIFO) are made by the generators here into a scratch
folder, next to copies of the committed files. ``tests/bad-inputs/expected.yaml`` lists
for each case the command, the exit code and the first line of the message; both
``tests/test_bad_inputs.py`` and ``bench/hostile_bench.py`` run from it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "bad-inputs"
MANIFEST = CORPUS / "expected.yaml"
DEPTH = 10_000

_LSTM = {"class_name": "LSTM", "config": {"units": 4}}


def _deep_keras_model(depth: int) -> str:
    inner = json.dumps(_LSTM)
    for _ in range(depth):
        inner = '{"class_name": "Bidirectional", "config": {"layer": ' + inner + "}}"
    return (
        '{"class_name": "Sequential", "config": {"name": "deep", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_shape": [null, 10, 3]}}, ' + inner + "]}}"
    )


def gen_deep_yaml(folder: Path) -> None:
    layer = "{Bidirectional: {layer: " * DEPTH + "LSTM" + "}}" * DEPTH
    (folder / "deep_10000.yaml").write_text(f"input_shape: [10, 3]\nlayers:\n  - {layer}\n", encoding="utf-8")


def gen_deep_block_yaml(folder: Path) -> None:
    (folder / "deep_dashes.yaml").write_text("input_shape: [10, 3]\nlayers:\n" + "- " * DEPTH + "LSTM\n", encoding="utf-8")


def gen_deep_json(folder: Path) -> None:
    (folder / "deep_10000.json").write_text(_deep_keras_model(DEPTH), encoding="utf-8")


def gen_deep_keras(folder: Path) -> None:
    # Stored, not deflated: the nesting itself must be refused, not the compression ratio.
    with zipfile.ZipFile(folder / "deep_10000.keras", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("config.json", _deep_keras_model(DEPTH))


def gen_big_json(folder: Path) -> None:
    pad = "x" * (50 * 1024 * 1024)
    text = (
        '{"class_name": "Sequential", "config": {"name": "big", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_shape": [null, 10, 3]}},'
        '{"class_name": "Dense", "config": {"units": 2, "name": "' + pad + '"}}]}}'
    )
    (folder / "big_50mb.json").write_text(text, encoding="utf-8")


def gen_many_layers(folder: Path) -> None:
    (folder / "layers_20000.yaml").write_text("input_shape: [10, 3]\nlayers:\n" + "  - Dense: 3\n" * 20_000, encoding="utf-8")


def gen_long_string(folder: Path) -> None:
    text = 'input_shape: [10, 3]\nlayers:\n  - Dense: {units: 3, name: "' + "x" * 200_000 + '"}\n'
    (folder / "long_string.yaml").write_text(text, encoding="utf-8")


def gen_directory(folder: Path) -> None:
    (folder / "model.yaml").mkdir()


def gen_symlink_loop(folder: Path) -> None:
    os.symlink("loop_b.yaml", folder / "loop_a.yaml")
    os.symlink("loop_a.yaml", folder / "loop_b.yaml")


def gen_fifo(folder: Path) -> None:
    os.mkfifo(folder / "fifo.yaml")


# ---------------------------------------------------------------- weights files (issue 12 item 3/4)

DENSE_MODEL = "input_shape: [3]\nlayers:\n  - Dense: {units: 2, name: dense}\n"


def _h5(path: Path, fill: Callable[..., None]) -> None:
    import h5py
    import numpy as np

    with h5py.File(path, "w") as handle:
        group = handle.create_group("layers/dense/vars")
        group.attrs["name"] = "dense"
        fill(handle, group, h5py, np)


def gen_hostile_weights(folder: Path) -> None:
    """Weights files that reach outside themselves or expand hugely, for ``numpy --weights``."""
    (folder / "dense.yaml").write_text(DENSE_MODEL, encoding="utf-8")
    (folder / "secret.txt").write_bytes(b"s3cret-bytes-of-another-file!!!!")

    def external_storage(handle: Any, group: Any, h5py: Any, np: Any) -> None:
        group.create_dataset("0", shape=(3, 2), dtype="<f4", external=[(str(folder / "secret.txt"), 0, 24)])
        group["1"] = np.zeros(2, "f4")

    def external_link(handle: Any, group: Any, h5py: Any, np: Any) -> None:
        group["0"] = h5py.ExternalLink(str(folder / "secret.h5"), "/kernel")
        group["1"] = np.zeros(2, "f4")

    def virtual(handle: Any, group: Any, h5py: Any, np: Any) -> None:
        layout = h5py.VirtualLayout(shape=(3, 2), dtype="f4")
        layout[:] = h5py.VirtualSource(str(folder / "secret.h5"), "kernel", shape=(3, 2))
        group.create_virtual_dataset("0", layout)
        group["1"] = np.zeros(2, "f4")

    def bomb(handle: Any, group: Any, h5py: Any, np: Any) -> None:
        # Never written, so no chunk is stored: a few KB on disk, 2 GB once read.
        group.create_dataset("0", shape=(25_000, 20_000), dtype="f4", chunks=(1000, 1000), compression="gzip", fillvalue=1.0)
        group["1"] = np.zeros(2, "f4")

    import h5py
    import numpy as np

    with h5py.File(folder / "secret.h5", "w") as handle:
        handle["kernel"] = np.arange(6, dtype="f4").reshape(3, 2)
    for name, fill in (("external_storage", external_storage), ("external_link", external_link), ("virtual", virtual), ("weights_bomb", bomb)):
        _h5(folder / f"{name}.weights.h5", fill)
    # A .keras whose model.weights.h5 is compressed far past the ratio limit (all zeros).
    config = json.dumps({"class_name": "Sequential", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 3]}},
        {"class_name": "Dense", "config": {"units": 2, "name": "dense"}}]}})
    with zipfile.ZipFile(folder / "weights_ratio.keras", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", config)
        archive.writestr("model.weights.h5", bytes(64 * 1024 * 1024))


def gen_differentials(folder: Path) -> None:
    """Files two readers see differently: duplicate members, a zip inside an HDF5 userblock."""
    shown = json.dumps({"class_name": "Sequential", "config": {"name": "shown", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 10, 3]}},
        {"class_name": "LSTM", "config": {"units": 4}}]}})
    hidden = shown.replace('"shown"', '"hidden"').replace('"units": 4', '"units": 400000')
    with zipfile.ZipFile(folder / "two_configs.keras", "w") as archive:
        archive.writestr("config.json", shown)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"; writing one is the point
            archive.writestr("config.json", hidden)
    import h5py

    with h5py.File(folder / "polyglot.h5", "w", userblock_size=4096) as handle:
        handle.attrs["model_config"] = hidden
    buffer = _zip_bytes(shown)
    with open(folder / "polyglot.h5", "r+b") as handle:
        handle.write(buffer)


def _zip_bytes(config: str) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", config)
    data = buffer.getvalue()
    assert len(data) <= 4096
    return data


def gen_python_sizes(folder: Path) -> None:
    """A 14 MB list literal (its syntax tree alone would take gigabytes) and a 15 MB string argument."""
    head = "from keras import layers, models\n"
    (folder / "list_14mb.py").write_text(
        head + "x = [" + "1," * 7_000_000 + "]\nm = models.Sequential([layers.Input((10, 3)), layers.LSTM(4)])\n",
        encoding="utf-8",
    )
    (folder / "string_15mb.py").write_text(
        head + "m = models.Sequential([layers.Input((10, 3)), layers.LSTM('" + "y" * 15_000_000 + "')])\n",
        encoding="utf-8",
    )


GENERATORS: dict[str, Callable[[Path], None]] = {
    "deep_yaml": gen_deep_yaml,
    "deep_block_yaml": gen_deep_block_yaml,
    "deep_json": gen_deep_json,
    "deep_keras": gen_deep_keras,
    "big_json": gen_big_json,
    "many_layers": gen_many_layers,
    "long_string": gen_long_string,
    "directory": gen_directory,
    "symlink_loop": gen_symlink_loop,
    "fifo": gen_fifo,
    "hostile_weights": gen_hostile_weights,
    "differentials": gen_differentials,
    "python_sizes": gen_python_sizes,
}

# Arguments too long to list in the manifest; ``{expr:NAME}`` in a command stands for one.
EXPRESSIONS = {
    # RNN( is the shortest wrapper: 10,000 levels stay under Linux's 128 KiB per argument.
    "deep_rnn": "RNN(" * DEPTH + "LSTMCell(3)" + ")" * DEPTH,
    "deep_bidirectional": "Bidirectional(" * 30 + "TimeDistributed(" * 30 + "LSTM(3)" + ")" * 60,
    "long": "LSTM(" + "1" * 20_000 + ")",
}


@dataclass(frozen=True)
class Case:
    name: str
    command: list[str]
    exit: int
    first_line: str
    generate: str | None = None
    stream: str = "stderr"  # where the message is: lint reports problems on stdout
    env: dict[str, str] | None = None

    def message_line(self, stdout: str, stderr: str) -> str:
        text = stdout if self.stream == "stdout" else stderr
        lines = text.strip().splitlines()
        return lines[0] if lines else ""


def cases() -> list[Case]:
    raw = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [
        Case(c["name"], c["command"], c["exit"], c["first_line"], c.get("generate"), c.get("stream", "stderr"), c.get("env"))
        for c in raw
    ]


def prepare(folder: Path) -> None:
    """Copy the committed files and run every generator into ``folder``."""
    for path in CORPUS.iterdir():
        if path.name != "expected.yaml" and path.is_file():
            shutil.copyfile(path, folder / path.name)
    for generate in GENERATORS.values():
        generate(folder)


def argv(case: Case) -> list[str]:
    out = []
    for arg in case.command:
        if arg.startswith("{expr:") and arg.endswith("}"):
            out.append(EXPRESSIONS[arg[6:-1]])
        else:
            out.append(arg)
    return out


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_bytes: int
    timed_out: bool


# Runs the command as its own child and reports that child's peak RSS. A process forked
# from pytest would count pytest's own memory (Linux carries the parent's high-water mark
# over fork and exec into ru_maxrss); this launcher is small, so its child's figure is the
# command's own (plus at most the launcher's ~10 MB).
_LAUNCHER = """
import resource, subprocess, sys
report, limit, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def cap():
    if limit:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
code = subprocess.run(cmd, preexec_fn=cap).returncode
with open(report, "w") as handle:
    handle.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))
sys.exit(code if code >= 0 else 128 - code)
"""


def run_case(case: Case, folder: Path, *, timeout: float = 60.0, memory_limit: int | None = None) -> Outcome:
    """Run one case as a fresh process in ``folder`` (so messages name files relatively)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", COLUMNS="120", **(case.env or {}))
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, report.name, str(memory_limit or 0),
             sys.executable, "-m", "rnnshape", *argv(case)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        timed_out = False
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        seconds = time.perf_counter() - start
        text = report.read().strip()
    return Outcome(
        proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds,
        int(text) if text else 0, timed_out,
    )
