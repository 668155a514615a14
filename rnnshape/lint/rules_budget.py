"""RS125: the memory budget of an ``expect:`` block (the other budgets sit with the expectations in rules_shape)."""

from __future__ import annotations

from .problem import Level
from .rule import Rule
from .rules_shape import _expectation as expectation_check

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
    expectation_check("max_memory"),
    stage="report",
)

RULES = (RS125,)
