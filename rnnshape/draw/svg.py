"""A small SVG canvas: boxes, arrows and real text, with the extent of everything drawn.

Every diagram style draws on a ``Canvas`` and never writes SVG markup itself. Text is
SVG ``<text>`` (selectable and searchable in a browser), set in one monospaced font,
so its width is known without font metrics: the styles lay text out from
``text_width`` and the browser test checks the real boxes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..text import visible

FONT_SIZE = 13  # px: legible at 100 % zoom
SMALL_SIZE = 11  # px: axis names and notes
LINE = 17  # px from one baseline to the next at FONT_SIZE
# Advance width of a monospaced glyph, in em. DejaVu Sans Mono, Menlo and Consolas are
# 0.60-0.62; the extra margin keeps estimates on the safe side of the real widths.
CHAR_EM = 0.64
MARGIN = 16

FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"

STYLE = f"""
text {{ font-family: {FONT_FAMILY}; font-size: {FONT_SIZE}px; fill: #1b1f24; }}
text.small {{ font-size: {SMALL_SIZE}px; fill: #4a5360; }}
text.title {{ font-weight: bold; }}
text.shape {{ fill: #0b5394; }}
text.note {{ font-size: {SMALL_SIZE}px; fill: #8a4b00; }}
rect.layer {{ fill: #eef3fb; stroke: #41618c; stroke-width: 1.2; }}
rect.input {{ fill: #f1f8ee; stroke: #4f7a3a; stroke-width: 1.2; }}
rect.output {{ fill: #fdf3e7; stroke: #a86b1f; stroke-width: 1.2; }}
rect.cell {{ fill: #eef3fb; stroke: #41618c; stroke-width: 1.4; }}
rect.gate {{ fill: #fbf7ea; stroke: #8c7a41; stroke-width: 1.2; }}
rect.merge {{ fill: #f5eefb; stroke: #6b4191; stroke-width: 1.2; }}
rect.frame {{ fill: none; stroke: #b8c2cf; stroke-width: 1; stroke-dasharray: 4 3; }}
path.edge {{ fill: none; stroke: #4a5360; stroke-width: 1.3; }}
path.state {{ fill: none; stroke: #a8322d; stroke-width: 1.3; }}
path.face {{ stroke: #41618c; stroke-width: 1; }}
path.face.front {{ fill: #dbe6f5; }}
path.face.top {{ fill: #eef3fb; }}
path.face.side {{ fill: #c5d5ec; }}
"""

# Characters XML 1.0 does not allow in a document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """``text`` safe inside an SVG element or attribute; control characters made visible.

    Names come from model files: ``text.visible`` writes control, bidi-override and lone
    surrogate characters as escapes (as every text renderer does), the rest XML forbids
    goes the same way, and markup characters become entities.
    """
    text = _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The width ``text`` takes in the diagram font (an upper estimate)."""
    return len(text) * size * CHAR_EM


@dataclass
class Extent:
    left: float = float("inf")
    top: float = float("inf")
    right: float = float("-inf")
    bottom: float = float("-inf")

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.left, self.top = min(self.left, x0, x1), min(self.top, y0, y1)
        self.right, self.bottom = max(self.right, x0, x1), max(self.bottom, y0, y1)


class Canvas:
    """Collects drawing elements; ``render`` frames them all in the SVG's view box."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.parts: list[str] = []
        self.extent = Extent()

    def rect(self, x: float, y: float, w: float, h: float, cls: str, *, rx: float = 4) -> None:
        self.parts.append(f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(rx)}"/>')
        self.extent.add(x, y, x + w, y + h)

    def text(
        self, x: float, y: float, text: str, cls: str = "", *, anchor: str = "middle", size: int | None = None
    ) -> None:
        """One line of text whose vertical middle is ``y``; ``anchor`` is start, middle or end."""
        if size is None:
            size = SMALL_SIZE if "small" in cls.split() or "note" in cls.split() else FONT_SIZE
        width = text_width(text, size)
        x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        attrs = f' class="{cls}"' if cls else ""
        # dominant-baseline is unevenly supported; a baseline a third of the size below the
        # middle centres digits and capitals in every browser.
        self.parts.append(
            f'<text{attrs} x="{_n(x)}" y="{_n(y + size * 0.35)}" text-anchor="{anchor}">{escape(text)}</text>'
        )
        self.extent.add(x0, y - size * 0.7, x0 + width, y + size * 0.7)

    def lines(self, x: float, y: float, texts: Sequence[tuple[str, str]], *, anchor: str = "middle") -> None:
        """Several lines of ``(text, class)`` centred vertically on ``y``."""
        top = y - (len(texts) - 1) * LINE / 2
        for i, (text, cls) in enumerate(texts):
            self.text(x, top + i * LINE, text, cls, anchor=anchor)

    def path(self, points: Sequence[tuple[float, float]], cls: str = "edge", *, arrow: bool = True) -> None:
        """A polyline through ``points``, with an arrowhead at its end."""
        if len(points) < 2:
            return
        d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in points)
        marker = ' marker-end="url(#arrow)"' if arrow else ""
        self.parts.append(f'<path class="{cls}" d="{d}"{marker}/>')
        for x, y in points:
            self.extent.add(x, y, x, y)

    def polygon(self, points: Sequence[tuple[float, float]], cls: str) -> None:
        d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in points) + " Z"
        self.parts.append(f'<path class="{cls}" d="{d}"/>')
        for x, y in points:
            self.extent.add(x, y, x, y)

    def render(self) -> str:
        """The whole SVG document, its size the drawing's extent plus a margin."""
        ext = self.extent
        if ext.left > ext.right:
            ext = Extent(0, 0, 0, 0)
        x0, y0 = ext.left - MARGIN, ext.top - MARGIN
        w, h = ext.right - ext.left + 2 * MARGIN, ext.bottom - ext.top + 2 * MARGIN
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(w)}" height="{_n(h)}" '
            f'viewBox="{_n(x0)} {_n(y0)} {_n(w)} {_n(h)}" role="img">\n'
            f"<title>{escape(self.title)}</title>\n"
            f"<style>{STYLE}</style>\n"
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5360"/></marker></defs>\n'
            f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>\n'
        )
        return head + "\n".join(self.parts) + "\n</svg>\n"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, so goldens do not depend on float noise."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
