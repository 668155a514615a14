"""How fast is `rnnshape explain` next to building the same summary with Keras?

Runs each workload as a fresh process (what a user or pre-commit pays), several
times, and prints medians and ratios measured in this same run:

  floor_json  python -c "import typer, yaml"            (what the JSON output needs)
  json        rnnshape explain -f json on the seed model
  floor       python -c "import typer, tabulate, yaml"  (what the table needs)
  table       rnnshape explain on the seed model         (python -m rnnshape)
  keras       import keras, build the seed model, model.summary()

The rnnshape process leaves without interpreter teardown (rnnshape/__main__.py), which
the floors pay. For a like-for-like view of rnnshape's own start-up, two more floors
import the same and leave the same way (os._exit); their ratios are printed for
information beside the two targets.

Usage: python bench/explain_bench.py [--runs N] [--keras]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KERAS_SCRIPT = """
import os
import resource
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
i = keras.Input(shape=(10, 3))
x = keras.layers.SimpleRNN(5)(i)
x = keras.layers.Dense(2)(x)
keras.Model(i, x).summary()
"""

WORKLOADS = {
    "floor_json": [sys.executable, "-c", "import typer, yaml"],
    "json": [sys.executable, "-m", "rnnshape", "explain", "-f", "json", "examples/rnn_shapes.yaml"],
    "floor": [sys.executable, "-c", "import typer, tabulate, yaml"],
    "table": [sys.executable, "-m", "rnnshape", "explain", "examples/rnn_shapes.yaml"],
    "floor_json_exit": [sys.executable, "-c", "import typer, yaml, os; os._exit(0)"],
    "floor_exit": [sys.executable, "-c", "import typer, tabulate, yaml, os; os._exit(0)"],
    "keras": [sys.executable, "-c", KERAS_SCRIPT],
}


def time_once(cmd: list[str], extra_env: dict[str, str] | None = None) -> float:
    """Seconds of CPU (user + system) one run of ``cmd`` takes.

    CPU time, not wall time: on a machine shared with other work the wall clock mostly
    measures the neighbours, while these single-threaded runs' CPU time stays put.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(extra_env or {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def byte_compile() -> None:
    """Write rnnshape's .pyc files first, as `pip install` does: the dependencies in the
    floor are byte-compiled too, and PYTHONDONTWRITEBYTECODE would otherwise make every
    run recompile rnnshape from source."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "rnnshape")], check=True)


def wall_once(cmd: list[str]) -> float:
    """Seconds of wall time one run takes (for multi-threaded work, where CPU time over-counts)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, list[float]]:
    """CPU seconds of every run of each fast workload, sorted."""
    fast = {k: v for k, v in WORKLOADS.items() if k != "keras"}
    for cmd in fast.values():
        time_once(cmd)  # warm the page cache
    # Interleave the workloads so that drift in the machine's load hits all alike.
    samples: dict[str, list[float]] = {name: [] for name in fast}
    for _ in range(runs):
        for name, cmd in fast.items():
            samples[name].append(time_once(cmd))
    return {name: sorted(values) for name, values in samples.items()}


def ratios(medians: dict[str, float]) -> list[str]:
    """The two start-up ratios, each beside its target, then the same without teardown on either side."""
    return [
        f"explain -f json / import typer, yaml           = {medians['json'] / medians['floor_json']:.2f}x   (target <= 1.10x)",
        f"explain (table) / import typer, tabulate, yaml = {medians['table'] / medians['floor']:.2f}x   (target <= 1.05x)",
        f"  neither tearing down: json {medians['json'] / medians['floor_json_exit']:.2f}x, "
        f"table {medians['table'] / medians['floor_exit']:.2f}x   (for information)",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="runs per fast workload")
    parser.add_argument("--keras", action="store_true", help="also time Keras building the same summary (wall time)")
    args = parser.parse_args()
    byte_compile()
    samples = measure(args.runs)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, values in samples.items():
        print(f"{name:10s} CPU median {medians[name] * 1000:8.1f} ms  (min {values[0] * 1000:.1f}, max {values[-1] * 1000:.1f}, n={len(values)})")
    for line in ratios(medians):
        print(line)
    if args.keras:
        keras = statistics.median(wall_once(WORKLOADS["keras"]) for _ in range(max(3, args.runs // 3)))
        table = statistics.median(wall_once(WORKLOADS["table"]) for _ in range(max(3, args.runs // 3)))
        print(f"keras summary / explain (wall) = {keras / table:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
