"""Every lint rule, by code. Codes are never reused: a retired rule keeps its number."""

from __future__ import annotations

from .rule import Rule
from .rules_file import RULES as FILE_RULES
from .rules_keras import RULES as KERAS_RULES
from .rules_partial import RULES as PARTIAL_RULES
from .rules_shape import RULES as SHAPE_RULES

RULES: dict[str, Rule] = {rule.code: rule for rule in (*SHAPE_RULES, *KERAS_RULES, *FILE_RULES, *PARTIAL_RULES)}


def matches(code: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``code`` is selected by any of ``patterns`` (codes or prefixes; ALL)."""
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def known_pattern(pattern: str) -> bool:
    return pattern == "ALL" or any(code.startswith(pattern) for code in RULES)
