"""``draw --style boxes``: every tensor of the model as a box, in data-flow order.

The lessons' mental picture: a batch of sequences (N, T, D) is a 3-D box, N deep, T
wide and D tall. A (N, D) tensor is a flat sheet, (N,) a bar, and a tensor with more
axes is the box of its first, second and last axes with the axes between named beside
it. Edge lengths grow with the logarithm of the size, so 3 and 300 both fit and differ.
"""

from __future__ import annotations

import math

from ..report import LayerReport, ModelReport
from ..spec import Shape, TensorRef
from ..symbols import Symbols
from .labels import dims_named, output_names, tensor_text
from .svg import LINE, SMALL_SIZE, Canvas, text_width

PER_ROW = 4
GAP = 36
UNKNOWN = 56  # edge length of an axis of unknown size


def edge(dim: int | None) -> float:
    """Drawn length of an axis of ``dim`` elements."""
    if dim is None:
        return UNKNOWN
    return max(18.0, min(120.0, 18 + 16 * math.log2(max(dim, 1))))


def axis_text(size: str, name: str) -> str:
    """``T = 10``; an unnamed axis is its size; an unknown named one its name (``T``)."""
    if not name:
        return size
    return name if size == "?" else f"{name} = {size}"


def render(report: ModelReport, *, symbols: bool) -> str:
    """The SVG of every tensor as a box."""
    canvas = Canvas(f"tensors of {report.name}")
    by_name = {layer.name: layer for layer in report.layers}
    cards: list[tuple[str, str, Shape, Symbols]] = []
    for ref, (shape, syms, _) in report.tensors.items():
        cards.append((_caption(ref, by_name, len(cards) + 1), tensor_text(report, ref, symbols), shape, syms))
    sizes = [_card_size(caption, text, shape, syms) for caption, text, shape, syms in cards]
    x = y = 0.0
    row_h = 0.0
    for k, ((caption, text, shape, syms), (w, h)) in enumerate(zip(cards, sizes)):
        if k and k % PER_ROW == 0:
            x, y = 0.0, y + row_h + GAP
            row_h = 0.0
        _card(canvas, x, y, w, (caption, text), shape, syms)
        x += w + GAP
        row_h = max(row_h, h)
    return canvas.render()


def _caption(ref: TensorRef, by_name: dict[str, LayerReport], number: int) -> str:
    layer = by_name.get(ref.layer)
    if layer is None or layer.class_name == "InputLayer":
        return f"{number}. input {ref.layer}"
    what = output_names(layer)[ref.tensor] if len(layer.outputs) > 1 else "output"
    call = f" (call {ref.node + 1})" if ref.node else ""
    return f"{number}. {ref.layer}{call}: {what}"


def _geometry(shape: Shape) -> tuple[float, float, float]:
    """Width, height and depth of the drawn box: T wide, D tall, N deep."""
    if len(shape) <= 1:
        return edge(shape[0] if shape else 1), 14.0, 0.0
    if len(shape) == 2:
        return edge(shape[1]), edge(shape[0]), 0.0
    return edge(shape[1]), edge(shape[-1]), edge(shape[0]) * 0.55


def _card_size(caption: str, text: str, shape: Shape, syms: Symbols) -> tuple[float, float]:
    w, h, d = _geometry(shape)
    label_w = max((text_width(axis_text(s, n), SMALL_SIZE) for s, n in dims_named(shape, syms)), default=0)
    drawing_w = label_w + 10 + w + d + 10 + label_w
    text_w = max(text_width(caption), text_width(text), text_width(_inner(shape, syms), SMALL_SIZE))
    return max(drawing_w, text_w) + 8, 2 * LINE + 8 + d + h + 2 * LINE + 8


def _inner(shape: Shape, syms: Symbols) -> str:
    """The axes between the second and the last of a 4-D+ tensor, said in words."""
    if len(shape) < 4:
        return ""
    middle = dims_named(shape, syms)[2:-1]
    return "each entry holds " + " × ".join(axis_text(s, n) for s, n in middle)


def _card(canvas: Canvas, x: float, y: float, width: float, texts: tuple[str, str], shape: Shape, syms: Symbols) -> None:
    """A tensor's card: ``texts`` are its caption and its shape as written."""
    caption, text = texts
    canvas.text(x, y, caption, "title", anchor="start")
    canvas.text(x, y + LINE, text, "shape", anchor="start")
    w, h, d = _geometry(shape)
    dims = dims_named(shape, syms)
    label_w = max((text_width(axis_text(s, n), SMALL_SIZE) for s, n in dims), default=0)
    left = x + label_w + 10
    top = y + 2 * LINE + 8 + d
    canvas.polygon([(left, top), (left + w, top), (left + w, top + h), (left, top + h)], "face front")
    if d:
        canvas.polygon([(left, top), (left + d, top - d), (left + w + d, top - d), (left + w, top)], "face top")
        canvas.polygon([(left + w, top), (left + w + d, top - d), (left + w + d, top + h - d), (left + w, top + h)], "face side")
    if len(shape) >= 3:
        (n_size, n_name), (t_size, t_name), (d_size, d_name) = dims[0], dims[1], dims[-1]
        canvas.text(left + w / 2, top + h + LINE * 0.7, axis_text(t_size, t_name), "small")
        canvas.text(left - 6, top + h / 2, axis_text(d_size, d_name), "small", anchor="end")
        canvas.text(left + w + d + 6, top - d / 2 + h / 2, axis_text(n_size, n_name), "small", anchor="start")
        if len(shape) >= 4:
            canvas.text(x, top + h + LINE * 1.7, _inner(shape, syms), "note", anchor="start")
    elif len(shape) == 2:
        (n_size, n_name), (d_size, d_name) = dims
        canvas.text(left + w / 2, top + h + LINE * 0.7, axis_text(d_size, d_name), "small")
        canvas.text(left - 6, top + h / 2, axis_text(n_size, n_name), "small", anchor="end")
    elif shape:
        (n_size, n_name), = dims
        canvas.text(left + w / 2, top + h + LINE * 0.7, axis_text(n_size, n_name), "small")
