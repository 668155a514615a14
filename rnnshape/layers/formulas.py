"""Composing parameter formulas of nested layers (wrappers, stacked cells)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from .base import Formula, Term

_KEY = re.compile(r"\{(\w+)\}")


def scaled(factor: int, inner: Formula) -> Formula:
    """``2·[inner]``: the default Bidirectional copy doubles the inner layer's count."""
    return Formula(f"{factor}·[{inner.template}]", inner.terms)


def summed(parts: Sequence[tuple[Formula, str | None, str | None]]) -> Formula:
    """``[a] + [b] + ...``; each part's keys get a prefix so that equal letters stay apart.

    A part is ``(formula, units_symbol, in_symbol)``: a non-None symbol renames that
    part's units (``U`` -> ``U2``) or input features (``D`` -> ``U1`` for the second
    cell of a stack, whose input is the first cell's output).
    """
    templates: list[str] = []
    terms: dict[str, Term] = {}
    for index, (formula, units, features) in enumerate(parts):
        prefix = f"p{index}_"
        templates.append(_KEY.sub(lambda m: "{" + prefix + m.group(1) + "}", formula.template))
        for key, term in formula.terms.items():
            if term.role == "units" and units:
                term = replace(term, role="fixed", symbol=units)
            elif term.role == "in" and features:
                term = replace(term, role="fixed", symbol=features)
            terms[prefix + key] = term
    if len(templates) == 1:
        return Formula(templates[0], terms)
    return Formula(" + ".join(f"[{t}]" for t in templates), terms)
