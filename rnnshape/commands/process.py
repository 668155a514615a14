"""Running the Typer app as a process: turning its outcome into the exit status."""

from __future__ import annotations

import os
import signal
import sys

import typer

from ..errors import EXIT_INTERRUPTED


def run_app(app: typer.Typer) -> int:
    """Run ``app`` on ``sys.argv`` and return the exit status for the console script."""
    try:
        app(prog_name="rnnshape")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:  # Ctrl-C outside a command (while starting up or parsing options)
        sys.stderr.write("rnnshape: interrupted\n")
        code = EXIT_INTERRUPTED
    else:
        code = 0
    # The work is done and reported: a Ctrl-C while Python shuts down changes nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED:
        # CPython remembers a KeyboardInterrupt that escaped any code it ran via PyRun_*
        # (e.g. inside an import that was interrupted), even when rnnshape caught it, and
        # then kills itself with SIGINT at exit instead of returning 130. The interrupt is
        # handled and reported (and partial files removed), so leave without that step.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    if "tensorflow" in sys.modules:
        _leave_without_teardown(code)
    return code


def _leave_without_teardown(code: int) -> None:
    """Exit now, once everything written has reached its file, skipping interpreter teardown.

    After `check`, tearing TensorFlow down (its modules, graphs and thread pools) takes
    about 0.6 s and produces nothing: the results are printed and every file rnnshape
    writes is closed by then. Only the standard streams still hold buffered output, so
    they are flushed first; if that fails (a closed pipe), Python's own exit handles it.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
