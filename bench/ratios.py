"""Every speed ratio of issue 11 in one run, each beside its target.

    python bench/ratios.py [--runs 15] [--check-runs 3]

  explain -f json / python -c "import typer, yaml"             <= 1.10x   (CPU time)
  explain table   / python -c "import typer, tabulate, yaml"   <= 1.05x   (CPU time)
  per-layer cost at 20,000 layers / at 2,000                  <= 1.3x    (CPU time)
  check of 12 Keras 3 files / one Keras process loading them   <= 1.10x   (wall time)

Each figure comes from the bench script named beside it, which can also run alone.
Timings depend on the machine and its load; nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import statistics

import check_files_bench
import explain_bench
import growth_bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per start-up workload")
    parser.add_argument("--growth-runs", type=int, default=3)
    parser.add_argument("--check-runs", type=int, default=3)
    args = parser.parse_args()
    explain_bench.byte_compile()
    samples = explain_bench.measure(args.runs)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    lines = [f"{line}   [explain_bench.py]" for line in explain_bench.ratios(medians)]
    _, _, growth = growth_bench.per_layer_ratio(growth_bench.measure(args.growth_runs))
    lines.append(f"per-layer cost, 20,000 / 2,000 layers          = {growth:.2f}x   (target <= {growth_bench.TARGET}x)   [growth_bench.py]")
    check, keras = check_files_bench.measure(args.check_runs)
    lines.append(
        f"check 12 .keras files / Keras load + summary    = {check / keras:.2f}x   "
        f"(target <= {check_files_bench.TARGET}x)   [check_files_bench.py]"
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
