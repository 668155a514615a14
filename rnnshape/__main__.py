"""``python -m rnnshape``: the same command-line interface as ``rnnshape``."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
