"""RS125: the memory budget of an ``expect:`` block (the other expectations are checked in rules_shape)."""

from __future__ import annotations

from typing import Iterator

from ..expect import memory_budget
from .context import ModelContext
from .problem import Finding, Level
from .rule import Rule


def _memory_budget(ctx: ModelContext) -> Iterator[Finding]:
    """expect.max_memory against the weights plus one sample's activation peak (explain's check)."""
    if ctx.report is None or ctx.model.expect is None:
        return
    for mismatch in memory_budget(ctx.report, ctx.model.expect):
        yield Finding(mismatch.message, pos=mismatch.pos)


RS125 = Rule(
    "RS125", "memory-budget", Level.ERROR,
    "One sample's inference needs more memory than expect.max_memory allows.",
    "Shrink the largest tensors or weights, or raise the budget",
    """
What it does
    Compares the memory one sample's inference needs (explain --cost, docs/cost.md):
    the weights at their dtypes plus the largest set of activations alive at once,
    with expect.max_memory (bytes, or a size such as "2 MB", 1024-based like Keras's
    summary). When a tensor's size is unknown (timesteps None) the budget cannot be
    checked, which is reported too.

Why is this bad?
    The budget stands for the memory of the deployment target; a long sequence's
    input and every return_sequences output grow with its timesteps.

Example
    input_shape: [1000, 64]
    layers: [{LSTM: {units: 256, return_sequences: true}}]
    expect: {max_memory: 1 MB}             # RS125: weights 1.25 MB, activations 1.23 MB

Fix
    Use fewer units or shorter sequences, or raise max_memory.
""",
    _memory_budget,
    stage="report",
)

RULES = (RS125,)
