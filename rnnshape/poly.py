"""Exact polynomials with integer coefficients in named unknowns: ``128D + 4,224``.

An unbuilt model's parameter counts are such polynomials in its unknown input
dimensions (rnnshape.symbolic derives them from the layers' own weight rules). Kept
tiny and free of imports: it sits on the ``explain`` path.
"""

from __future__ import annotations

from .records import record
from typing import Mapping

# A monomial: each symbol with its power, sorted by symbol; () is the constant term.
Monomial = tuple[tuple[str, int], ...]


@record
class Poly:
    """A sum of integer multiples of monomials; zero coefficients are never stored."""

    terms: Mapping[Monomial, int]

    @staticmethod
    def const(value: int) -> Poly:
        return Poly({(): value} if value else {})

    @staticmethod
    def symbol(name: str) -> Poly:
        return Poly({((name, 1),): 1})

    @staticmethod
    def affine(name: str, slope: int, intercept: int) -> Poly:
        """``slope·name + intercept``."""
        return Poly.symbol(name) * Poly.const(slope) + Poly.const(intercept)

    @property
    def constant(self) -> int | None:
        """The value when no unknown is left in it, else None."""
        if any(mono for mono in self.terms):
            return None
        return self.terms.get((), 0)

    def __add__(self, other: Poly) -> Poly:
        summed = dict(self.terms)
        for mono, coef in other.terms.items():
            summed[mono] = summed.get(mono, 0) + coef
        return Poly({m: c for m, c in summed.items() if c})

    def __sub__(self, other: Poly) -> Poly:
        return self + Poly({m: -c for m, c in other.terms.items()})

    def __mul__(self, other: Poly) -> Poly:
        product: dict[Monomial, int] = {}
        for mono_a, coef_a in self.terms.items():
            for mono_b, coef_b in other.terms.items():
                mono = _mono_product(mono_a, mono_b)
                product[mono] = product.get(mono, 0) + coef_a * coef_b
        return Poly({m: c for m, c in product.items() if c})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and dict(self.terms) == dict(other.terms)

    def __hash__(self) -> int:
        return hash(frozenset(self.terms.items()))

    def evaluate(self, values: Mapping[str, int]) -> int:
        total = 0
        for mono, coef in self.terms.items():
            term = coef
            for name, power in mono:
                term *= values[name] ** power
            total += term
        return total

    def text(self) -> str:
        """``128D + 4,224``, ``4D``, ``2D² - 3``: highest degree first, thousands separators."""
        if not self.terms:
            return "0"
        parts: list[str] = []
        for mono in sorted(self.terms, key=lambda m: (-sum(p for _, p in m), m)):
            coef = self.terms[mono]
            body = "·".join(name + _power(power) for name, power in mono)
            size = abs(coef)
            shown = f"{size:,}" if not body or size != 1 else ""
            sign = "-" if coef < 0 else "+"
            if not parts:
                parts.append(("-" if coef < 0 else "") + shown + body)
            else:
                parts.append(f" {sign} {shown}{body}")
        return "".join(parts)

    def grouped(self) -> str:
        """The text, in parentheses when it is a sum, for use inside a product."""
        text = self.text()
        return f"({text})" if len(self.terms) > 1 or text.startswith("-") else text


def _mono_product(a: Monomial, b: Monomial) -> Monomial:
    powers = dict(a)
    for name, power in b:
        powers[name] = powers.get(name, 0) + power
    return tuple(sorted(powers.items()))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(power: int) -> str:
    return "" if power == 1 else str(power).translate(_SUPERSCRIPTS)
