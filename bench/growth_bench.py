"""Does `rnnshape explain` cost the same per layer on a big model as on a small one?

Writes Sequential models of 1, 2,000 and 20,000 layers (an LSTM then three Dense, over
and over), times `rnnshape explain -f json` on each as a fresh process, and prints the
per-layer cost, (t(N) - t(1)) / (N - 1), at both sizes and their ratio (target <= 1.3x:
linear growth). The layer limit is raised through its environment variable.

Usage: python bench/growth_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from explain_bench import ROOT, byte_compile, time_once

SIZES = (1, 2_000, 20_000)
TARGET = 1.3


def write_model(folder: Path, layers: int) -> Path:
    lines = ["name: growth", "input_shape: [10, 3]", "layers:"]
    for i in range(layers):
        lines.append("  - LSTM: {units: 4, return_sequences: true}" if i % 4 == 0 else "  - Dense: 4")
    path = folder / f"growth_{layers}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def measure(runs: int) -> dict[int, float]:
    """Median seconds of `explain -f json` per model size."""
    env = {"RNNSHAPE_MAX_LAYERS": str(max(SIZES)), "RNNSHAPE_MAX_YAML_NODES": str(100 * max(SIZES))}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: write_model(Path(tmp), n) for n in SIZES}
        commands = {n: [sys.executable, "-m", "rnnshape", "explain", "-f", "json", str(p)] for n, p in paths.items()}
        samples: dict[int, list[float]] = {n: [] for n in SIZES}
        for _ in range(runs):  # interleaved, so that drift in the machine's load hits every size alike
            for n, cmd in commands.items():
                samples[n].append(time_once(cmd, env))
    return {n: statistics.median(values) for n, values in samples.items()}


def per_layer_ratio(medians: dict[int, float]) -> tuple[float, float, float]:
    small, big = SIZES[1], SIZES[2]
    per_small = (medians[small] - medians[1]) / (small - 1)
    per_big = (medians[big] - medians[1]) / (big - 1)
    return per_small, per_big, per_big / per_small


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    byte_compile()
    medians = measure(args.runs)
    per_small, per_big, ratio = per_layer_ratio(medians)
    for n, t in medians.items():
        print(f"{n:>6} layers  median {t * 1000:9.1f} ms")
    print(f"per layer: {per_small * 1e6:.0f} us at {SIZES[1]:,}, {per_big * 1e6:.0f} us at {SIZES[2]:,}")
    print(f"growth: per-layer cost at {SIZES[2]:,} / at {SIZES[1]:,} = {ratio:.2f}x   (target <= {TARGET}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
