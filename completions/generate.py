"""Write the static shell completion scripts for `rnnshape` from the Typer app.

The scripts are what `rnnshape --show-completion SHELL` prints: Typer's scripts for
the app's program name and completion variable. They call `rnnshape` back to compute completions,
so new commands and options complete without regenerating; regenerate anyway after
adding commands (tests/test_completions.py fails while the files are stale):

    python completions/generate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROG = "rnnshape"
COMPLETE_VAR = "_RNNSHAPE_COMPLETE"
FILES = {"bash": "rnnshape.bash", "zsh": "_rnnshape", "fish": "rnnshape.fish"}


def script(shell: str) -> str:
    """Exactly what `rnnshape --show-completion SHELL` prints (Typer's own script)."""
    from typer._completion_shared import get_completion_script

    import rnnshape.cli  # noqa: F401 - the app whose completion protocol the script speaks

    text = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)
    return text if text.endswith("\n") else text + "\n"


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    for shell, name in FILES.items():
        (HERE / name).write_text(script(shell), encoding="utf-8")
        print(f"wrote completions/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
