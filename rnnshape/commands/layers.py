"""`rnnshape layers`: the supported Keras layers, grouped, with their parameter formulas."""

from __future__ import annotations

import typer
from tabulate import tabulate

from ..errors import EXIT_OK
from ..layers.catalog import aliases_of, layer_groups


def run() -> int:
    """Print one table per group of layers."""
    blocks = []
    for title, defs in layer_groups():
        rows = [
            ["\n".join([d.class_name, *(f"  = {a}" for a in aliases_of(d.class_name))]), d.formula_text, d.summary]
            for d in defs
        ]
        table = tabulate(
            rows, headers=["Layer", "Parameters", "What it does"], tablefmt="simple",
            disable_numparse=True, maxcolwidths=[None, 28, 46],
        )
        blocks.append(f"{title}\n{table}")
    typer.echo("\n\n".join(blocks))
    return EXIT_OK
