"""`rnnshape layers`: the supported Keras layers, grouped, with their parameter formulas."""

from __future__ import annotations

import textwrap

import typer
from tabulate import tabulate

from ..errors import EXIT_OK
from ..layers.catalog import aliases_of, layer_groups
from ..layers import flops
from ..layers.base import LayerDef
from ..layers.macs import convention


MAC_CONVENTION = (
    "MACs: multiply-accumulates of the matrix products for one sample in one forward pass "
    "(an (m, k) @ (k, n) product is m·k·n); element-wise work is 0 here. "
    "T timesteps, D input features, M/K/F units; see docs/cost.md."
)
FLOP_CONVENTION = (
    "FLOPs: 2·MACs (a multiply-accumulate is two floating-point operations) plus the element-wise "
    "work shown here, per sample: bias adds, the sum of input and recurrent products, gate products "
    "(LSTM c = f*c + i*g: 3M, h = o*tanh(c): 2M), normalisation, pooling, merges ((n-1) per element). "
    "An activation counts 1 per output element whatever its inside (tanh, sigmoid, relu; softmax 5, "
    "linear 0); a reduction of n values n-1 per result; comparisons, masks, reshaping, lookups, and "
    "dropout or noise at inference count 0. Per recurrent step and unit: SimpleRNN 3, LSTM 17, "
    "GRU 17 (14 with reset_after=False), fewer without bias or with a linear activation."
)


def _flops_text(entry: LayerDef) -> str:
    """``2·MACs + T·17M``, without the parts that are zero."""
    work, macs = flops.convention(entry), convention(entry)
    if work == "0":
        return "0" if macs == "0" else "2·MACs"
    return work if macs == "0" else f"2·MACs + {work}"


def run() -> int:
    """Print one table per group of layers."""
    blocks = []
    for title, defs in layer_groups():
        rows = [
            [
                "\n".join([d.class_name, *(f"  = {a}" for a in aliases_of(d.class_name))]),
                f"{d.formula_text}\nMACs: {convention(d)}\nFLOPs: {_flops_text(d)}", d.summary,
            ]
            for d in defs
        ]
        table = tabulate(
            rows, headers=["Layer", "Parameters; MACs; FLOPs", "What it does"], tablefmt="simple",
            disable_numparse=True, maxcolwidths=[None, 28, 46],
        )
        blocks.append(f"{title}\n{table}")
    blocks.append(textwrap.fill(MAC_CONVENTION, width=100))
    blocks.append(textwrap.fill(FLOP_CONVENTION, width=100))
    typer.echo("\n\n".join(blocks))
    return EXIT_OK
