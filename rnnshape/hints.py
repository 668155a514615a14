"""Fitting a hint to the command that prints it.

Library code words its hints once, for every command; some name command-line options
(``--input-shape``, ``--assume``) that only some commands have. The command that prints a
hint drops the alternatives that name an option it lacks, so no hint sends a user to an
option that does not exist there. Alternatives are the parts of a hint separated by
``"; "`` or ``", or "``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, TypeVar

if TYPE_CHECKING:
    from .errors import RnnshapeError

E = TypeVar("E", bound="RnnshapeError")

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
_SEPARATOR = re.compile(r"(; |, or )")
# First words that are names and keep their case at the start of a sentence.
_NAMES = frozenset({"rnnshape", "pip", "python", "keras", "tensorflow", "h5py", "numpy", "tf"})


def options_named(text: str) -> set[str]:
    """The long options a text names, e.g. ``{"--input-shape"}``."""
    return set(OPTION.findall(text))


def current_options() -> frozenset[str] | None:
    """The long options of the command being run (None outside a command line)."""
    from typer._click.globals import get_current_context  # Typer's own (vendored) click

    ctx = get_current_context(silent=True)
    if ctx is None:
        return None
    names: set[str] = set()
    while ctx is not None:  # the command's own options and the app's (--debug)
        for param in ctx.command.params:
            names.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
        ctx = ctx.parent
    return frozenset(names)


def fit_hint(hint: str | None, options: AbstractSet[str] | None) -> str | None:
    """``hint`` without the alternatives that name an option outside ``options``; None when
    nothing is left. ``options`` None keeps the hint as it is."""
    if hint is None or options is None or options_named(hint) <= options:
        return hint
    parts = _SEPARATOR.split(hint)
    kept: list[str] = []
    for index in range(0, len(parts), 2):
        clause = parts[index]
        if options_named(clause) <= options:
            if kept:
                kept.append(parts[index - 1])
            kept.append(clause)
    return "".join(kept) or None


def sentence_start(text: str) -> str:
    """``text`` with a capital first letter when its first word is an ordinary word: a name,
    a command or code (``rnnshape``, ``pip``, ``return_sequences=True``) keeps its case."""
    first = text.split(" ", 1)[0]
    if not first.isalpha() or not first.islower() or first in _NAMES:
        return text
    return text[0].upper() + text[1:]


def fitted(err: E) -> E:
    """``err`` as the running command prints it: its hint fitted to the command's options."""
    hint = fit_hint(err.hint, current_options())
    if hint == err.hint:
        return err
    new = err.amended()
    new.hint = hint
    return new
