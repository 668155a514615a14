"""How fast `rnnshape lint` is: 1,000 and 2,000 generated configs, one process each.

Prints files/second for both sizes and the ratio of their times (2.0 = linear).
Run from the repository root:  python bench/lint_bench.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A mix of clean models and typical mistakes, so every stage of the linter runs.
TEMPLATES = [
    "input_shape: [{t}, {d}]\nlayers:\n  - LSTM: {{units: {u}, return_sequences: true}}\n  - LSTM: {u2}\n  - Dense: 1\n"
    "expect:\n  output_shape: [null, 1]\n",
    "input_shape: [{t}, {d}]\nlayers:\n  - GRU: {u}\n  - GRU: {u2}\n",  # RS101
    "batch_input_shape: [8, {t}, {d}]\nlayers:\n  - SimpleRNN: {{units: {u}, return_sequences: true, stateful: true}}\n"
    "  - Dropout: 0.2\n  - Dense: {u2}   # rnnshape: ignore[RS204]\n",
    "input_shape: [{t}, {d}]\nlayers:\n  - LSTM: {{units: {u}, time_major: false, recurrent_dropout: 0.1}}\n"
    "  - Dense: {{units: 1, activation: softmax}}\n",
]


def write_configs(folder: Path, count: int) -> None:
    for i in range(count):
        text = TEMPLATES[i % len(TEMPLATES)].format(t=5 + i % 50, d=1 + i % 16, u=4 + i % 64, u2=1 + i % 8)
        (folder / f"model_{i:05d}.yaml").write_text(text, encoding="utf-8")


def time_lint(folder: Path) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one `rnnshape lint` process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "rnnshape", "lint", "--format", "json", str(folder)],
        capture_output=True, env=env, cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"lint failed with exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    times: dict[int, float] = {}
    cpus: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (1000, 2000):
            folder = Path(tmp) / str(count)
            folder.mkdir()
            write_configs(folder, count)
            # Best of three: the machine may be shared, the minimum is the least disturbed run.
            runs = [time_lint(folder) for _ in range(3)]
            wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            times[count], cpus[count] = wall, cpu
            print(
                f"{count:5d} files: {wall:.2f} s wall ({count / wall:,.0f} files/s), "
                f"{cpu:.2f} s CPU ({count / cpu:,.0f} files/s per core), one process"
            )
    print(f"ratio 2000/1000 (wall): {times[2000] / times[1000]:.2f} (2.00 = linear; less means a fixed start-up cost)")
    print(f"ratio 2000/1000 (CPU):  {cpus[2000] / cpus[1000]:.2f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
