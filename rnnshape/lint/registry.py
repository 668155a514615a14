"""Every lint rule, by code. Codes are never reused: a retired rule keeps its number.

Each rule's record sits beside its check in the module of its theme; this table only
gathers them, in code order (the order `rnnshape rules` lists them).
"""

from __future__ import annotations

from . import rules_budget, rules_cudnn, rules_file, rules_keras2, rules_partial, rules_shape, rules_smells
from .rule import Rule

RULE_MODULES = (rules_shape, rules_budget, rules_keras2, rules_smells, rules_cudnn, rules_file, rules_partial)

RULES: dict[str, Rule] = {
    rule.code: rule for rule in sorted((r for m in RULE_MODULES for r in m.RULES), key=lambda r: r.code)
}


def matches(code: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``code`` is selected by any of ``patterns`` (codes or prefixes; ALL)."""
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def known_pattern(pattern: str) -> bool:
    return pattern == "ALL" or any(code.startswith(pattern) for code in RULES)
