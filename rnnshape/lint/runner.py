"""Lint files: find them, read them, lint every model, apply suppressions and selection."""

from __future__ import annotations

from typing import Sequence

from ..errors import (
    EXIT_OK,
    EXIT_PROBLEMS,
    FormatError,
    ModelSkipped,
    NoInputShape,
    NoModel,
    Position,
    RejectedArgument,
    RnnshapeError,
    Skipped,
)
from ..formats import decode_text, load_entries, read_limited
from ..formats.registry import by_suffix
from ..formats.registry import SNIFF_BYTES
from ..unbuilt import needs_input_shape
from ..spec import ModelSpec
from .discover import iter_paths, not_a_model, read_head
from .engine import lint_model, problem_from_error, rejected_argument_problem, skipped_model_problem
from .probe import shape_errors_despite_unknowns
from .problem import Level, Problem
from .settings import Settings
from .suppress import bad_codes, find_suppressions, is_suppressed
from ..records import record


@record
class FileResult:
    path: str
    problems: tuple[Problem, ...] = ()
    skipped: str | None = None  # why the file was not linted
    suppressed: int = 0


def lint_file(path: str, settings: Settings) -> FileResult:
    fmt = by_suffix(path)
    sniffed = fmt is not None and fmt.sniff is not None  # a type that may hold something else
    head = read_head(path) if sniffed else b""
    reason = not_a_model(path, head if sniffed else None)
    if reason is not None:
        return FileResult(path, skipped=reason)
    problems: list[Problem] = []
    try:
        entries = load_entries(path, settings=dict(settings.values))
    except RnnshapeError as err:
        entries = [err]
    if any(isinstance(e, NoModel) for e in entries):
        # A .py/.ipynb that mentions Keras but builds no model (a training utility).
        return FileResult(path, skipped="defines no Keras model")
    if any(isinstance(e, Skipped) for e in entries):
        # "no model could be read" only sums up the skipped models, each reported as RS904.
        entries = [e for e in entries if not (isinstance(e, FormatError) and (e.pos is None or e.pos.line is None))]
    for entry in entries:
        if isinstance(entry, RejectedArgument):
            problems.append(rejected_argument_problem(entry))
        elif isinstance(entry, Skipped):
            problems.append(skipped_model_problem(entry, path))
            if isinstance(entry, ModelSkipped) and isinstance(entry.known_part, ModelSpec):
                # Errors in the part read before the unknown value hold whatever it is; the
                # other findings may be about the model's end, which is not known.
                problems.extend(p for p in lint_model(entry.known_part) if p.level is Level.ERROR)
        elif isinstance(entry, NoInputShape) and isinstance(entry.model, ModelSpec):
            # Valid Keras 3: noted, and its layers still checked where no shape is needed.
            problems.append(problem_from_error(entry, path))
            problems.extend(lint_model(entry.model, shapes=False))
        elif isinstance(entry, RnnshapeError):
            problems.append(problem_from_error(entry, path))
        elif entry.symbolic_input:
            # Valid Keras 3 too, and checked in full on its symbolic input: noted as such.
            problems.append(problem_from_error(unbuilt_note(entry), path))
            problems.extend(lint_model(entry))
        else:
            problems.extend(lint_model(entry))
    if any(isinstance(e, ModelSkipped) and e.setting for e in entries):
        problems.extend(shape_errors_despite_unknowns(path, entries, dict(settings.values)))
    suppressed = 0
    if fmt is not None and fmt.ignore_comment is not None:
        try:
            data = head if len(head) < SNIFF_BYTES else read_limited(path)
            text = decode_text(data, path)
        except RnnshapeError:
            text = ""
        sups = find_suppressions(text, fmt.ignore_comment)
        if sups:
            by_line = {s.line: s.codes for s in sups}
            kept = [p for p in problems if not is_suppressed(p, by_line)]
            suppressed = len(problems) - len(kept)
            problems = kept + bad_codes(sups, path)
    chosen = sorted({p for p in problems if settings.wants(p.code)}, key=lambda p: p.sort_key)
    return FileResult(path, tuple(chosen), None, suppressed)


def unbuilt_note(model: ModelSpec) -> NoInputShape:
    """RS905 for a model read on a symbolic input (rnnshape.unbuilt): where it declares none."""
    return NoInputShape(
        f"model '{model.name}' declares no input shape: valid Keras 3 (built at its first call); "
        "its shapes are checked with the input's feature size as the unknown D",
        pos=model.inputs[0].pos or Position(model.source),
        hint=needs_input_shape(model, "").hint,
    )


def lint_paths(paths: Sequence[str], settings: Settings) -> list[FileResult]:
    files = list(iter_paths(paths, settings.exclude))
    return [lint_file(path, settings) for path in files]


def exit_code(results: Sequence[FileResult], strict: bool) -> int:
    failing = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return EXIT_PROBLEMS if any(p.level in failing for r in results for p in r.problems) else EXIT_OK


__all__ = ["FileResult", "exit_code", "lint_file", "lint_paths"]
