"""What a lint check yields (a ``Finding``) and what the linter reports (a ``Problem``)."""

from __future__ import annotations

import enum

from ..errors import Position
from ..spec import LayerSpec
from ..records import record


class Level(str, enum.Enum):
    """How bad a problem is. Errors fail the run; warnings fail it with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@record
class Finding:
    """One hit of a check: which layer (and argument) it is about, in words.

    ``fix`` overrides the rule's generic fix title with a specific one (e.g. naming
    the previous layer). The engine turns a finding into a positioned ``Problem``.
    """

    message: str
    layer: LayerSpec | None = None
    arg: str | None = None
    fix: str | None = None
    pos: Position | None = None
    # A level other than the rule's: a check that could not decide says so as an info.
    level: Level | None = None


@record
class Problem:
    code: str
    level: Level
    message: str
    pos: Position
    layer: str | None = None  # the model-level layer name, for files without lines
    fix: str | None = None
    # Lines of the layer (and of the model-level layer it is nested in): an inline
    # ignore comment on any of them, or on the problem's own line, suppresses it.
    layer_lines: tuple[int, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        # The message breaks ties, so findings at one position come out in one order on every run.
        return (self.pos.source, self.pos.cell or 0, self.pos.line or 0, self.pos.col or 0, self.code, self.message)
