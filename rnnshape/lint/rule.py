"""A lint rule as data: stable code, name, level, message, fix title, doc, and its check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from .problem import Finding, Level
from ..records import record

if TYPE_CHECKING:
    from .context import ModelContext

Check = Callable[["ModelContext"], Iterator[Finding]]


@record
class Rule:
    """One lint rule.

    ``check`` runs on a model (its spec, and its report when inference succeeded).
    Rules without a check are raised by the engine itself: from an error that stops
    inference (RS1xx) or from a file that cannot be read (RS9xx).
    ``doc`` has the sections What it does / Why is this bad? / Example / Fix.
    """

    code: str
    name: str
    level: Level
    summary: str
    fix: str
    doc: str
    check: Check | None = None
    # "spec": runs on the model as written, before inference; "report": needs the
    # inferred shapes, so it runs only when inference succeeded.
    stage: str = "spec"

    def describe(self) -> str:
        """The full text ``rnnshape rules CODE`` prints."""
        head = f"{self.code} {self.name} [{self.level.value}]"
        return f"{head}\n{'=' * len(head)}\n\n{self.summary}\n\n{self.doc.strip()}\n"
