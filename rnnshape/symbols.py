"""Named axes, as the seeds write them: N samples, T timesteps, D features, M units, K outputs.

Symbols follow provenance, not value: an axis keeps the name of the axis it came
from, and a layer that creates an axis (units) names it. Two axes of equal size but
different meaning therefore keep different names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .spec import Shape

Symbols = tuple["str | None", ...]


@dataclass(frozen=True)
class Legend:
    symbol: str
    value: int | None
    meaning: str


def input_symbols(rank: int, index: int) -> Symbols:
    """Axis names of a model input; a second input gets numbered names (T2, D2)."""
    suffix = "" if index == 0 else str(index + 1)
    if rank == 1:
        return ("N",)
    if rank == 2:
        return ("N", "D" + suffix)
    return ("N", "T" + suffix, *([None] * (rank - 3)), "D" + suffix)


def output_symbols(out: Shape, src: Shape, src_symbols: Symbols, units_symbol: str | None) -> Symbols:
    """Name each axis of ``out`` from the layer's own units or the matching input axis.

    Axes are matched from the right, so ``(N, T, D) -> (N, T, M)`` keeps ``T`` and a
    dropped time axis ``(N, T, D) -> (N, M)`` does not shift names.
    """
    names: list[str | None] = [None] * len(out)
    for back in range(1, len(out) + 1):
        if back <= len(src) and out[-back] == src[-back]:
            names[-back] = src_symbols[-back]
    if units_symbol is not None and out:
        names[-1] = units_symbol
    if out:
        names[0] = "N"
    return tuple(names)


def format_symbolic(shape: Shape, symbols: Symbols) -> str:
    """``(N, T, M)``; axes without a name show their size."""
    parts = [s if s is not None else str(d) for d, s in zip(shape, symbols)]
    return "(" + ", ".join(parts) + ")"


def number_symbols(letters: Sequence[str | None]) -> list[str | None]:
    """Give each layer's units letter a number when the letter is used more than once."""
    totals = {x: letters.count(x) for x in set(letters) if x}
    seen: dict[str, int] = {}
    named: list[str | None] = []
    for letter in letters:
        if letter is None:
            named.append(None)
            continue
        seen[letter] = seen.get(letter, 0) + 1
        named.append(letter if totals[letter] == 1 else f"{letter}{seen[letter]}")
    return named
