"""``python -m rnnshape``: the same command-line interface as ``rnnshape``."""

import sys

if __name__ == "__main__":
    try:
        from .cli import main
    except KeyboardInterrupt:  # Ctrl-C while Python is still importing the CLI
        sys.stderr.write("rnnshape: interrupted\n")
        raise SystemExit(130) from None
    raise SystemExit(main())
