"""Diagrams of a model, drawn from rnnshape's own inference: ``rnnshape draw``.

Four styles, each a module with a ``render`` that returns one SVG document:
``graph`` (layers and tensors), ``unrolled`` (a recurrent layer over time), ``boxes``
(every tensor as an N×T×D box) and ``cell`` (the gates inside one step).
"""

from __future__ import annotations

from ..report import ModelReport
from ..spec import ModelSpec

STYLES = ("graph", "unrolled", "boxes", "cell")
DEFAULT_STEPS = 8


def render(
    style: str, model: ModelSpec, report: ModelReport, *, symbols: bool = False, layer: str | None = None,
    steps: int = DEFAULT_STEPS,
) -> str:
    """The SVG of ``style`` for one inferred model."""
    if style == "graph":
        from . import graph_style

        return graph_style.render(model, report, symbols=symbols)
    if style == "unrolled":
        from . import unrolled

        return unrolled.render(model, report, layer_name=layer, steps=steps, symbols=symbols)
    if style == "boxes":
        from . import boxes

        return boxes.render(report, symbols=symbols)
    if style == "cell":
        from . import cell

        return cell.render(report, layer_name=layer, symbols=symbols)
    raise ValueError(f"unknown style {style!r}")
