"""The one place where exceptions become messages and exit codes.

The codes themselves are defined once, in ``errors`` (EXIT_*): 0 clean, 1 problems
found, 2 usage error, 3 internal error (a bug), 4 optional dependency missing,
130 interrupted.
"""

from __future__ import annotations

import functools
import sys
import traceback
from typing import Callable, TypeVar

import typer

from .errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, RnnshapeError
from .text import visible

F = TypeVar("F", bound=Callable[..., int])

# Set by the --debug option of the main callback.
DEBUG = {"on": False}


def error(message: str) -> None:
    typer.echo(f"rnnshape: error: {visible_lines(message)}", err=True)


def visible_lines(message: str) -> str:
    """A message's own lines kept; control characters inside them (from a file) made visible."""
    return "\n".join(visible(line) for line in message.split("\n"))


def report_error(err: RnnshapeError) -> int:
    from .hints import fitted  # only a run that fails needs it

    err = fitted(err)  # an alternative naming an option this command lacks is dropped
    if err.exit_code == 0:  # errors.Skipped: a warning that changes nothing about the exit code
        typer.echo(f"rnnshape: warning: {visible_lines(str(err))}", err=True)
    else:
        error(str(err))
    return err.exit_code


def unencodable_as_escapes() -> None:
    """Print what the output encoding cannot hold (a lone surrogate in a name from a file, a
    non-ASCII name on a C-locale terminal) as a backslash escape instead of failing: text
    renderers escape such characters already (``rnnshape.text.visible``), and in JSON output
    the escape ``\\udc80`` is still a valid string escape."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to adjust
                pass


def handled(command: F) -> Callable[..., None]:
    """Run a command that returns an exit code, translating every failure on the way out."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        unencodable_as_escapes()
        try:
            code = command(*args, **kwargs)
        except RnnshapeError as err:
            code = report_error(err)
        except KeyboardInterrupt:
            typer.echo("rnnshape: interrupted", err=True)
            code = EXIT_INTERRUPTED
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): nothing more to say.
            sys.stderr.close()
            code = EXIT_OK
        except MemoryError:
            # Limits keep every input small; running out anyway is a resource problem, not a bug.
            error("out of memory (the input is too large for the memory available; see `Safety and limits` in the README)")
            code = EXIT_PROBLEMS
        except OSError as exc:
            # Reading inputs is wrapped in FormatError; this is the environment failing a write
            # (disk full, output folder removed, permission denied).
            name = f"{exc.filename}: " if exc.filename else ""
            error(f"{name}{exc.strerror or exc}")
            code = EXIT_PROBLEMS
        except Exception as exc:  # noqa: BLE001 - anything else is a bug in rnnshape
            code = EXIT_INTERNAL
            if DEBUG["on"]:
                traceback.print_exc()
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            place = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
            error(
                f"internal error: {type(exc).__name__}: {exc}{place}\n"
                "  This is a bug in rnnshape; rerun with --debug for the traceback and please report it."
            )
        if code:
            raise typer.Exit(code)

    return wrapper
