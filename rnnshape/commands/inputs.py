"""Loaded inputs as the commands receive them: models, errors, and warnings to print."""

from __future__ import annotations

from typing import TypeVar

from ..edge import report_error
from ..errors import EXIT_OK, RnnshapeError

T = TypeVar("T")


def without_warnings(entries: list[T]) -> list[T]:
    """Print the warnings among loaded models (skipped parts of a .py file) and drop them."""
    kept = []
    for entry in entries:
        if isinstance(entry, RnnshapeError) and entry.exit_code == EXIT_OK:
            report_error(entry)
        else:
            kept.append(entry)
    return kept
