"""`rnnshape rules`: the lint rules, or one rule's documentation."""

from __future__ import annotations

import typer

from ..errors import EXIT_OK, UsageError
from ..layers.base import did_you_mean
from ..lint import RULES
from ..render.lint import render_rules_table


def run(code: str | None) -> int:
    """List every rule, or print the documentation of the rule ``code`` (any case)."""
    if code is None:
        typer.echo(render_rules_table(), nl=False)
        return EXIT_OK
    rule = RULES.get(code.strip().upper())
    if rule is None:
        raise UsageError(f"no rule '{code}'", hint=did_you_mean(code.upper(), list(RULES)) or "run `rnnshape rules` to list them")
    typer.echo(rule.describe(), nl=False)
    return EXIT_OK
