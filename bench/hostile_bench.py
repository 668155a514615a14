"""Wall time and peak memory of every hostile input in tests/bad-inputs/expected.yaml.

Each case runs as a fresh `python -m rnnshape ...` process (what pre-commit or a user
pays, interpreter start-up included); peak RSS is that process's own (see tests/hostile.py).

    python bench/hostile_bench.py [--repeat 3]

Prints one row per case (the median time of the repeats) and the maximum of each
column. The issue's budget is 2 seconds and 200 MB per input; figures depend on the
machine and its load, and nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile import cases, prepare, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder)
        for case in cases():
            outcomes = [run_case(case, folder, timeout=120) for _ in range(args.repeat)]
            seconds = statistics.median(o.seconds for o in outcomes)
            peak = max(o.peak_rss_bytes for o in outcomes) / 1024**2
            codes = sorted({o.code for o in outcomes})
            rows.append((case.name, " ".join(case.command[:1]), codes, seconds, peak))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'cmd':<8} exit  {'wall s':>7}  {'peak MB':>8}")
    for name, cmd, codes, seconds, peak in rows:
        print(f"{name:<{width}}  {cmd:<8} {','.join(map(str, codes)):<4}  {seconds:7.2f}  {peak:8.1f}")
    print(f"{'max':<{width}}  {'':<8} {'':<4}  {max(r[3] for r in rows):7.2f}  {max(r[4] for r in rows):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
