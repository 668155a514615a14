"""Inline suppressions: ``# rnnshape: ignore[RS204]`` (or ``ignore[RS2, RS101]``, or bare ``ignore``)."""

from __future__ import annotations

import functools
import re

from ..errors import Position
from .problem import Problem
from .registry import RULES, known_pattern, matches
from ..records import record


@functools.cache
def ignore_comment(marker: str) -> re.Pattern[str]:
    """``rnnshape: ignore[...]`` after a format's comment marker (the registry's ``ignore_comment``)."""
    return re.compile(re.escape(marker) + r"\s*rnnshape:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


@record
class Suppression:
    line: int
    col: int
    codes: tuple[str, ...]  # ("ALL",) for a bare ignore


def find_suppressions(text: str, marker: str) -> list[Suppression]:
    """The ignore comments in ``text``, written after ``marker`` (the file format's comment sign)."""
    found: list[Suppression] = []
    if "rnnshape" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = ignore_comment(marker).search(line)
        if match is None:
            continue
        raw = match.group("codes")
        codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip()) if raw is not None else ("ALL",)
        found.append(Suppression(number, match.start() + 1, codes or ("ALL",)))
    return found


def bad_codes(suppressions: list[Suppression], source: str) -> list[Problem]:
    """RS903 for every code in an ignore comment that no rule has."""
    rule = RULES["RS903"]
    out = []
    for sup in suppressions:
        for code in sup.codes:
            if not known_pattern(code):
                out.append(
                    Problem(rule.code, rule.level, f"'{code}' in this ignore comment is not a rule code",
                            Position(source, sup.line, sup.col), None, rule.fix, (sup.line,))
                )
    return out


def is_suppressed(problem: Problem, by_line: dict[int, tuple[str, ...]]) -> bool:
    lines = {problem.pos.line, *problem.layer_lines}
    return any(line in by_line and matches(problem.code, by_line[line]) for line in lines if line)
