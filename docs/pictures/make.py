"""Draw the README's pictures: one per `rnnshape draw` style, each from a repository example.

    python docs/pictures/make.py          # rewrite docs/pictures/*.svg
    python docs/pictures/make.py --check  # exit 1 if any picture differs from what draw makes now

tests/test_draw_docs.py runs the check, so the pictures follow every change to the drawings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# picture -> the arguments of `rnnshape draw` that make it (the README shows the same commands)
PICTURES: dict[str, list[str]] = {
    "graph.svg": ["examples/keras/seq2seq.json", "--style", "graph"],
    "unrolled.svg": ["examples/rnn_shapes.yaml", "--style", "unrolled", "--steps", "5"],
    "boxes.svg": ["examples/stacked_lstm.yaml", "--style", "boxes", "--symbols"],
    "cell.svg": ["examples/stacked_lstm.yaml", "--style", "cell", "--layer", "lstm_1"],
}


def draw(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "rnnshape", "draw", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, args in PICTURES.items():
        svg = draw(args)
        path = HERE / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                stale.append(name)
        else:
            path.write_text(svg, encoding="utf-8")
    for name in stale:
        print(f"docs/pictures/{name} is out of date: run python docs/pictures/make.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
