"""The IPython extension: ``%load_ext rnnshape`` registers the ``%rnnshape`` magics.

- ``%rnnshape explain model --weights`` (and ``lint``, ``numpy``, ``check``): the API on a
  variable of the notebook (or, when no variable has that name, on files or layer
  expressions as the CLI takes them), with the CLI's options.
- ``%%rnnshape``: the models the cell defines, read statically by the ``.py`` reader
  without running the cell; the notebook's literal constants and Keras imports are known.
  ``%%rnnshape --run`` runs the cell afterwards.

Results are displayed as rich objects: HTML in Jupyter, the text table in a terminal.
User mistakes print ``rnnshape: error: ...`` (no traceback); nothing here exits.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Any

from .errors import RnnshapeError, UsageError

_COMMANDS = ("explain", "lint", "numpy", "check")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%rnnshape", add_help=False, exit_on_error=False)
    parser.add_argument("command", choices=_COMMANDS)
    parser.add_argument("specs", nargs="+")
    parser.add_argument("--input-shape")
    parser.add_argument("--batch-input-shape")
    parser.add_argument("--model")
    parser.add_argument("--assume", action="append", default=[])
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--weights", nargs="?", const="table", default=None)
    parser.add_argument("--symbols", action="store_true")
    parser.add_argument("--format", "-f", default=None)
    parser.add_argument("--select", action="append")
    parser.add_argument("--ignore", action="append")
    parser.add_argument("--convention", default="keras")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", "-o")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--numeric", action="store_true")
    parser.add_argument("--device", default="auto")
    return parser


def _cell_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%%rnnshape", add_help=False, exit_on_error=False)
    parser.add_argument("--run", action="store_true")
    parser.add_argument("--weights", action="store_true")
    parser.add_argument("--symbols", action="store_true")
    parser.add_argument("--assume", action="append", default=[])
    parser.add_argument("--set", action="append", default=[])
    return parser


def _parse(parser: argparse.ArgumentParser, line: str) -> argparse.Namespace | None:
    try:
        return parser.parse_args(shlex.split(line))
    except (argparse.ArgumentError, ValueError, SystemExit) as err:  # argparse exits on some errors
        print(f"rnnshape: usage error: {err}\n{parser.format_usage()}", file=sys.stderr)
        return None


def _target(args: argparse.Namespace, namespace: dict[str, Any]) -> Any:
    """A variable of the notebook when the one spec names one; else the specs as the CLI reads them."""
    (first, *rest) = args.specs
    if not rest and first.isidentifier():
        if first in namespace:
            return namespace[first]
        if not os.path.exists(first):
            raise UsageError(f"no variable named '{first}' in the notebook, and no such file")
    return args.specs[0] if len(args.specs) == 1 and "(" not in args.specs[0] else list(args.specs)


def line_magic(line: str, namespace: dict[str, Any]) -> Any:
    """``%rnnshape COMMAND TARGET [options]``: the API's answer, for IPython to display."""
    args = _parse(_parser(), line)
    if args is None:
        return None
    try:
        target = _target(args, namespace)
        return _run_command(args, target)
    except RnnshapeError as err:
        print(f"rnnshape: error: {err}", file=sys.stderr)
        return None


def _run_command(args: argparse.Namespace, obj: Any) -> Any:
    from . import api

    shape = {"input_shape": args.input_shape, "model": args.model, "set": args.set}
    if args.command == "explain":
        report = api.explain(
            obj, batch_input_shape=args.batch_input_shape, assume=args.assume, weights=bool(args.weights),
            symbols=args.symbols, **shape,
        )
        return _formatted(report, args.format)
    if args.command == "lint":
        return _LintResult(api.lint(obj, args.select, args.ignore, **shape))
    if args.command == "numpy":
        weights = args.weights if args.weights in ("live", "random") else "live"
        text = api.numpy_source(
            obj, weights, args.convention, seed=args.seed, output=args.output, force=args.force, **shape
        )
        return None if args.output else _Text(text)
    return api.check(obj, args.numeric, device=args.device, seed=args.seed, **shape)


def _formatted(report: Any, fmt: str | None) -> Any:
    """The Report itself (rich display), or one of the CLI's text formats."""
    if fmt in (None, "html"):
        return report
    if fmt == "json":
        import json

        return _Text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    if fmt == "markdown":
        return _Text(report._repr_markdown_())
    return _Text(str(report))


class _Text(str):
    """Text shown as it is (not as a quoted string) when a magic returns it."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


class _LintResult(list):  # type: ignore[type-arg]
    """The problems, shown as ``lint`` prints them."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        from .lint.runner import FileResult
        from .render.lint import render_text

        printer.text(render_text([FileResult("<model>", tuple(self))]) or "rnnshape lint: no problems\n")


def cell_magic(line: str, cell: str, shell: Any) -> None:
    """``%%rnnshape [--run]``: show the cell's models without running it; run it with --run."""
    from IPython.display import display

    args = _parse(_cell_parser(), line)
    if args is None:
        return
    from .api import explain
    from .inputs import cell_entries, settings_of
    from .spec import ModelSpec

    try:
        # The blank first line stands for the %%rnnshape line: positions count the cell's lines as Jupyter shows them.
        entries = cell_entries("\n" + cell, shell.user_ns, settings=settings_of(args.set))
    except RnnshapeError as err:
        entries = [err]
    for entry in entries:
        if isinstance(entry, ModelSpec):
            try:
                report = explain(entry, assume=args.assume, weights=args.weights, symbols=args.symbols)
                display(report)  # type: ignore[no-untyped-call]
            except RnnshapeError as err:
                print(f"rnnshape: error: {err}", file=sys.stderr)
        else:
            kind = "warning" if entry.exit_code == 0 else "error"
            print(f"rnnshape: {kind}: {entry}", file=sys.stderr)
    if args.run:
        shell.run_cell(cell)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext rnnshape``: register ``%rnnshape`` and ``%%rnnshape``."""

    def rnnshape_line(line: str) -> Any:
        return line_magic(line, ipython.user_ns)

    def rnnshape_cell(line: str, cell: str) -> None:
        cell_magic(line, cell, ipython)

    ipython.register_magic_function(rnnshape_line, "line", "rnnshape")
    ipython.register_magic_function(rnnshape_cell, "cell", "rnnshape")


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext rnnshape``: nothing to undo beyond IPython's own bookkeeping."""
