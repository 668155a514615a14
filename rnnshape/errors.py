"""One exception family for everything a user can get wrong.

The CLI edge turns these into a one-line message and an exit code; library code
never exits. Anything that is *not* an ``RnnshapeError`` is a bug (exit 3).
"""

from __future__ import annotations

from typing import Final, Self
from .records import record

# Exit codes, the only definitions: the CLI edge (edge.py) and every error class use these.
EXIT_OK: Final = 0  # clean (warnings only)
EXIT_PROBLEMS: Final = 1  # problems found, or an input that cannot be used
EXIT_USAGE: Final = 2  # the command line is wrong (Typer's own usage errors use 2 too)
EXIT_INTERNAL: Final = 3  # a bug in rnnshape
EXIT_MISSING_DEPENDENCY: Final = 4  # an optional dependency (TensorFlow, h5py) is not installed
EXIT_INTERRUPTED: Final = 130  # Ctrl-C, as shells report SIGINT


@record
class Position:
    """Where something came from: a file (or ``<arg 1>`` for a CLI expression).

    ``cell`` is the 1-based cell number in a notebook (all cells counted, Markdown
    included); ``line`` then counts within that cell and the text reads
    ``nb.ipynb:cell 3:line 2:col 5``.
    """

    source: str
    line: int | None = None
    col: int | None = None
    cell: int | None = None

    def where(self) -> str:
        """``line 12`` or ``cell 3, line 2``: the place within its file, for messages."""
        line = f"line {self.line}" if self.line is not None else "somewhere"
        return f"cell {self.cell}, {line}" if self.cell is not None else line

    def __str__(self) -> str:
        if self.cell is not None:
            parts = [self.source, f"cell {self.cell}"]
            if self.line is not None:
                parts.append(f"line {self.line}")
                if self.col is not None:
                    parts.append(f"col {self.col}")
            return ":".join(parts)
        parts = [self.source]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class RnnshapeError(Exception):
    """Base of all user-facing errors. ``exit_code`` is what the CLI returns."""

    exit_code: int = EXIT_PROBLEMS

    def __init__(
        self,
        message: str,
        *,
        pos: Position | None = None,
        layer: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.layer = layer
        self.hint = hint

    def amended(
        self, *, message: str | None = None, hint: str | None = None, layer: str | None = None, pos: Position | None = None
    ) -> Self:
        """A copy that says more (the layer it happened in, a better hint), of the same class
        and with the same fields otherwise. Code that knows more raises the copy; the error
        it caught stays as it was raised."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.message = self.message if message is None else message
        new.hint = self.hint if hint is None else hint
        new.layer = self.layer if layer is None else layer
        new.pos = self.pos if pos is None else pos
        new.args = (new.message,)
        return new

    def __str__(self) -> str:
        text = self.message
        if self.layer:
            # A layer name from a file stays on this line (no newline can fake another message).
            layer = self.layer.encode("unicode_escape").decode("ascii") if not self.layer.isprintable() else self.layer
            text = f"layer '{layer}': {text}"
        if self.pos is not None:
            text = f"{self.pos}: {text}"
        if self.hint:
            text = f"{text}\n  hint: {self.hint}"
        return text


class SpecError(RnnshapeError):
    """The model description itself is wrong: unknown layer, bad argument, bad value."""


class UnknownLayer(SpecError):
    """A layer class rnnshape does not know; ``removed`` when Keras 3 dropped it,
    ``in_keras`` when it is a real Keras 3 layer that rnnshape does not support."""

    def __init__(
        self, message: str, *, class_name: str, removed: bool = False, in_keras: bool = False, **kw: object
    ) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.class_name = class_name
        self.removed = removed
        self.in_keras = in_keras


class CustomLayerClass(SpecError):
    """A layer whose class the model file defines (``class MyCell(layers.Layer)``): its code
    is never run, so inference stops there unless --assume gives its output shape."""

    def __init__(self, message: str, *, class_name: str, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.class_name = class_name


class NoInputShape(SpecError):
    """A Sequential model that declares no input shape. Valid Keras 3 (built at its
    first call), but shapes cannot be followed. ``model`` holds its layers on an input
    of undeclared shape, for the checks that need no shapes (lint)."""

    def __init__(self, message: str, *, model: object = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.model = model


class ArgumentError(SpecError):
    """One keyword argument is wrong: ``kind`` is "unknown", "invalid" or "missing"."""

    def __init__(self, message: str, *, arg: str, kind: str, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.arg = arg
        self.kind = kind


class ShapeError(RnnshapeError):
    """The model is well-formed but its shapes do not fit together."""


class UnknownAxis(ShapeError):
    """A layer builds its weights on an axis whose size is unknown (None)."""


class RankError(ShapeError):
    """A layer got an input of the wrong rank; the core adds which layer made it."""

    def __init__(self, message: str, *, expected: tuple[int, ...], got: int, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.expected = expected
        self.got = got


class FormatError(RnnshapeError):
    """A file could not be read or parsed."""


class MissingDependency(RnnshapeError):
    """An optional dependency (TensorFlow, h5py) is needed for this command."""

    exit_code = EXIT_MISSING_DEPENDENCY


class NoModel(FormatError):
    """A source file (.py/.ipynb) that defines no Keras model at all: not a model file."""


class NothingRead(FormatError):
    """A source file whose every model was skipped: it sums up the warnings before it, which
    say why each was; it is a failure (exit 1), since no model of the file was explained."""


class Skipped(RnnshapeError):
    """A warning, not a failure: part of a source file could not be read statically.

    A model in a ``.py``/``.ipynb`` file whose values come from a function call, a loop,
    a custom layer class, ... is skipped with this; the other models still run (exit 0).
    """

    exit_code = EXIT_OK

    def failure(self, *, hint: str | None = None) -> SpecError:
        """The error this warning stands for when the user asked for exactly this part (--model)."""
        return SpecError(self.message, pos=self.pos, hint=hint)


class ModelSkipped(Skipped):
    """One model of a source file that cannot be read statically: ``subject skipped: reason``.

    The parts are kept, so the failure it becomes when asked for by name is worded from
    them rather than by editing this message.
    """

    def __init__(
        self, subject: str, reason: str, *, pos: Position | None = None, hint: str | None = None, known_part: object = None,
        model: str | None = None, setting: str | None = None,
    ) -> None:
        super().__init__(f"{subject} skipped: {reason}", pos=pos, hint=hint)
        self.subject = subject
        self.model = model  # the model's name (what --model takes)
        self.setting = setting  # the value from data --set would give (a NAME of --set NAME=VALUE)
        self.reason = reason
        # The model's layers read before the unknown value (a ModelSpec), for lint: Keras
        # builds them first, so a shape error among them does not depend on that value.
        self.known_part = known_part

    def failure(self, *, hint: str | None = None) -> SpecError:
        return SpecError(f"{self.subject} cannot be read statically: {self.reason}", pos=self.pos, hint=hint)


class RejectedArgument(Skipped):
    """A Keras 2 argument Keras 3 rejects on a layer (``batch_input_shape=``) in code that is
    not read as a model: a warning here, an error for lint (RS201), which checks what Keras raises."""

    def __init__(self, message: str, *, class_name: str, key: str, pos: Position) -> None:
        super().__init__(message, pos=pos)
        self.class_name = class_name
        self.key = key


class UsageError(RnnshapeError):
    """The command line itself is wrong (exit 2, like Typer's own usage errors)."""

    exit_code = EXIT_USAGE


class TooLarge(RnnshapeError):
    """A model that would take absurd memory or time to build and run (``check`` refuses it)."""
