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
    # A rule is asked for by its code (RS101, any case) or by the name `rules` lists.
    by_name = {rule.name: rule for rule in RULES.values()}
    wanted = code.strip()
    rule = RULES.get(wanted.upper()) or by_name.get(wanted.lower())
    if rule is None:
        close = did_you_mean(wanted.upper(), list(RULES)) or did_you_mean(wanted.lower(), list(by_name))
        raise UsageError(f"no rule '{code}'", hint=close or "run `rnnshape rules` to list them")
    typer.echo(rule.describe(), nl=False)
    return EXIT_OK
