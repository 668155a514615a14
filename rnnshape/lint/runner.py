"""Lint files: find them, read them, lint every model, apply suppressions and selection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import RnnshapeError
from ..formats import decode_text, load_file, read_limited
from .discover import SNIFF_BYTES, SNIFFERS, iter_paths, not_a_model, read_head, suffix
from .engine import lint_model, problem_from_error
from .problem import Level, Problem
from .settings import Settings
from .suppress import bad_codes, find_suppressions, is_suppressed

# Formats whose text can carry `# rnnshape: ignore[...]` comments.
COMMENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class FileResult:
    path: str
    problems: tuple[Problem, ...] = ()
    skipped: str | None = None  # why the file was not linted
    suppressed: int = 0


def lint_file(path: str, settings: Settings) -> FileResult:
    text_format = suffix(path) in SNIFFERS
    head = read_head(path) if text_format else b""
    reason = not_a_model(path, head if text_format else None)
    if reason is not None:
        return FileResult(path, skipped=reason)
    problems: list[Problem] = []
    try:
        models = load_file(path)
    except RnnshapeError as err:
        problems.append(problem_from_error(err, path))
    else:
        for model in models:
            problems.extend(lint_model(model))
    suppressed = 0
    if suffix(path) in COMMENT_SUFFIXES:
        try:
            data = head if len(head) < SNIFF_BYTES else read_limited(path)
            text = decode_text(data, path)
        except RnnshapeError:
            text = ""
        sups = find_suppressions(text)
        if sups:
            by_line = {s.line: s.codes for s in sups}
            kept = [p for p in problems if not is_suppressed(p, by_line)]
            suppressed = len(problems) - len(kept)
            problems = kept + bad_codes(sups, path)
    chosen = sorted({p for p in problems if settings.wants(p.code)}, key=lambda p: p.sort_key)
    return FileResult(path, tuple(chosen), None, suppressed)


def lint_paths(paths: Sequence[str], settings: Settings) -> list[FileResult]:
    files = list(iter_paths(paths, settings.exclude))
    return [lint_file(path, settings) for path in files]


def exit_code(results: Sequence[FileResult], strict: bool) -> int:
    failing = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return 1 if any(p.level in failing for r in results for p in r.problems) else 0


__all__ = ["FileResult", "SNIFFERS", "exit_code", "lint_file", "lint_paths"]
