"""Running the Typer app as a process: turning its outcome into the exit status."""

from __future__ import annotations

import copy
import os
import signal
import sys
from typing import Sequence

import typer

from ..errors import EXIT_INTERRUPTED


def run_app(app: typer.Typer) -> int:
    """Run ``app`` on ``sys.argv`` and return the exit status for the console script."""
    try:
        only_the_invoked_command(app, sys.argv[1:])(prog_name="rnnshape")
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
        leave_now(code)
    return code


# Options of the app itself that neither take a value nor list the commands.
_PLAIN_APP_OPTIONS = frozenset({"--debug"})


def only_the_invoked_command(app: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """``app`` with only the command that ``args`` run, when that is certain.

    Typer builds the Click object of every command (reading each signature and its
    annotations) on every run; one command of seven is all a run needs. Whatever
    could show the others (no command, ``--help`` or ``--version`` before it, an
    unknown name, shell completion) gets the whole app.
    """
    if "_RNNSHAPE_COMPLETE" in os.environ:  # the shell asks for completions: they list every command
        return app
    for arg in args:
        if arg in _PLAIN_APP_OPTIONS:
            continue
        chosen = [info for info in app.registered_commands if _command_name(info) == arg]
        if len(chosen) != 1:
            return app
        narrowed = copy.copy(app)
        narrowed.registered_commands = chosen
        return narrowed
    return app


def _command_name(info: typer.models.CommandInfo) -> str | None:
    """The name Typer gives the command: its own, or its function's with dashes."""
    if info.name is not None:
        return info.name
    return None if info.callback is None else info.callback.__name__.lower().replace("_", "-")


def leave_now(code: int) -> None:
    """Exit now, once everything written has reached its file, skipping interpreter teardown.

    Tearing the interpreter down (every module, object and, after `check`, TensorFlow's
    graphs and thread pools, about 0.6 s) produces nothing: the results are printed and
    every file rnnshape writes is closed by then. Only the standard streams still hold
    buffered output, so they are flushed first; if that fails (a closed pipe), this
    returns and Python's own exit handles it.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
