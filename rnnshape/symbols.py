"""Named axes, as the seeds write them: N samples, T timesteps, D features, M units, K outputs.

Symbols follow provenance, not value: an axis keeps the name of the axis it came
from, and a layer that creates an axis (units) names it. Two axes of equal size but
different meaning therefore keep different names.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Container, Iterable, Mapping, Sequence, overload

from .spec import Shape
from .records import record

Symbols = tuple["str | None", ...]


@record
class Legend:
    symbol: str
    value: int | None
    meaning: str
    # An unbuilt model's unknown ("unknown") or a size that depends on it ("D + 8"); value is then None.
    formula: str | None = None


def input_symbols(rank: int, index: int, *, token_ids: bool = False) -> Symbols:
    """Axis names of a model input; a second input gets numbered names (T2, D2).

    A 2-D input of token ids (one that feeds an Embedding) is a sequence: (N, T).
    """
    suffix = "" if index == 0 else str(index + 1)
    if rank == 1:
        return ("N",)
    if rank == 2:
        return ("N", ("T" if token_ids else "D") + suffix)
    return ("N", "T" + suffix, *([None] * (rank - 3)), "D" + suffix)


def output_symbols(out: Shape, src: Shape, src_symbols: Symbols, units_symbol: str | None) -> Symbols:
    """Name each axis of ``out`` from the layer's own units or the matching input axis.

    Axes are matched from the right, so ``(N, T, D) -> (N, T, M)`` keeps ``T`` and a
    dropped time axis ``(N, T, D) -> (N, M)`` does not shift names.
    """
    names: list[str | None] = [None] * len(out)
    if len(out) == len(src) + 1 and out[: len(src)] == src:
        # A new last axis (Embedding, one_hot): the input's axes keep their names.
        names[: len(src)] = src_symbols
    else:
        # The batch axis (src[0]) never names another axis, even when both are None.
        for back in range(1, len(out)):
            if back < len(src) and out[-back] == src[-back]:
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


# What a formula letter stands for when no axis of the model names it.
_MEANINGS = {
    "k": "kernel size", "g": "groups", "r": "LoRA rank", "V": "vocabulary size", "h": "heads",
    "Ub": "units of the backward layer", "Dk": "key features", "Dv": "value features", "O": "output features",
    "v": "value size per head", "U": "units of a stacked cell",
}


class LegendBook(Sequence[Legend]):
    """The legend while inference writes it: its entries in order, and each symbol's value at
    hand. A model of 20,000 layers has about as many symbols; looking through all of them
    at every layer made inference quadratic."""

    def __init__(self) -> None:
        self.entries: list[Legend] = []
        self.values: dict[str, int | None] = {}

    def add(self, items: Iterable[Legend]) -> None:
        """Add the entries whose symbol the legend does not have yet."""
        for item in items:
            if item.symbol not in self.values:
                self.values[item.symbol] = item.value
                self.entries.append(item)

    @overload
    def __getitem__(self, index: int) -> Legend: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Legend]: ...
    def __getitem__(self, index: int | slice) -> Legend | Sequence[Legend]:
        return self.entries[index]

    def __len__(self) -> int:
        return len(self.entries)


class OtherUnits:
    """The units names of every layer but one (the model's set, not a copy per layer)."""

    def __init__(self, units: frozenset[str], own: str) -> None:
        self.units, self.own = units, own

    def __contains__(self, name: object) -> bool:
        return name != self.own and name in self.units


def settle_names(
    names: Mapping[str, str], values: Mapping[str, int], meanings: Mapping[str, str], legend: LegendBook,
    layer: str, reserved: Container[str] = (),
) -> tuple[dict[str, str], list[Legend]]:
    """Make every symbol of a formula a legend entry that means one value.

    A symbol the legend already has with the same value is kept; one it has with another
    value (``D`` for the features of a later layer's input) gets a fresh number (``D2``),
    and a symbol new to the legend is added, so no letter silently means two sizes.
    ``meanings`` says what a key stands for; ``reserved`` are the units names of other layers.
    """
    known: ChainMap[str, int | None] = ChainMap({}, legend.values)  # what this call adds, over the legend
    settled: dict[str, str] = {}
    added: list[Legend] = []
    for key, symbol in names.items():
        value = values[key]
        if symbol.isdigit() or (symbol in known and known[symbol] == value):
            settled[key] = symbol
            continue
        if symbol in known or symbol in reserved:
            symbol = _fresh(symbol, known, reserved)
        known[symbol] = value
        settled[key] = symbol
        added.append(Legend(symbol, value, meanings.get(key) or f"{_MEANINGS.get(_base(symbol), symbol)} of {layer}"))
    return settled, added


def _base(symbol: str) -> str:
    return symbol.rstrip("0123456789") or symbol


def _fresh(symbol: str, known: Container[str], reserved: Container[str]) -> str:
    base = _base(symbol)
    number = 2
    while f"{base}{number}" in known or f"{base}{number}" in reserved:
        number += 1
    return f"{base}{number}"


def input_legend(shape: Shape, symbols: Symbols) -> list[Legend]:
    """The legend lines of a model input's named axes."""
    meanings = {"N": "batch (samples)", "T": "timesteps", "D": "input features"}
    legend = []
    for dim, sym in zip(shape, symbols):
        if sym is not None:
            legend.append(Legend(sym, dim, meanings.get(sym[0], "axis")))
    return legend
