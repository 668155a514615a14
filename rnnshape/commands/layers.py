"""`rnnshape layers`: the supported Keras layers, grouped, with their parameter formulas."""

from __future__ import annotations

import textwrap

import typer
from tabulate import tabulate

from ..errors import EXIT_OK
from ..layers.catalog import aliases_of, layer_groups
from ..layers.macs import convention


MAC_CONVENTION = (
    "MACs: multiply-accumulates of the matrix products for one sample in one forward pass "
    "(an (m, k) @ (k, n) product is m·k·n); element-wise work is 0 here. "
    "T timesteps, D input features, M/K/F units; see docs/cost.md."
)


def run() -> int:
    """Print one table per group of layers."""
    blocks = []
    for title, defs in layer_groups():
        rows = [
            [
                "\n".join([d.class_name, *(f"  = {a}" for a in aliases_of(d.class_name))]),
                f"{d.formula_text}\nMACs: {convention(d)}", d.summary,
            ]
            for d in defs
        ]
        table = tabulate(
            rows, headers=["Layer", "Parameters; MACs", "What it does"], tablefmt="simple",
            disable_numparse=True, maxcolwidths=[None, 28, 46],
        )
        blocks.append(f"{title}\n{table}")
    blocks.append(textwrap.fill(MAC_CONVENTION, width=100))
    typer.echo("\n\n".join(blocks))
    return EXIT_OK
