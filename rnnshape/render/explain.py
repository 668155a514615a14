"""Rendering a ModelReport as a terminal table or Markdown (the JSON contract: explain_json.py)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from ..layers.base import format_shape
from ..report import LayerReport, ModelReport, readable_size
from ..spec import Shape
from ..symbols import format_symbolic
from ..text import visible


def shape_cell(shapes: tuple[Shape, ...], symbols: tuple[Any, ...] | None = None) -> str:
    """Keras's Output Shape cell: one shape, or a bracketed list for several outputs."""
    if symbols is not None:
        parts = [format_symbolic(s, sym) for s, sym in zip(shapes, symbols)]
    else:
        parts = [format_shape(s) for s in shapes]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def totals_lines(report: ModelReport) -> list[str]:
    """The three lines under a Keras summary, byte sizes included, exactly as Keras prints them."""
    return [
        f"Total params: {report.total_params:,} ({readable_size(report.param_bytes)})",
        f"Trainable params: {report.trainable_params:,} ({readable_size(report.trainable_bytes)})",
        f"Non-trainable params: {report.non_trainable_params:,} ({readable_size(report.non_trainable_bytes)})",
    ]


def _rows(report: ModelReport, *, weights: bool, symbols: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["Layer (type)", "Output Shape", "Param #", "Formula"]
    graph = not report.chain_like
    if graph:
        headers.append("Connected to")
    rows: list[list[str]] = []
    for layer in report.layers:
        row = [
            visible(f"{layer.name} ({layer.class_name})"),
            shape_cell(layer.outputs, layer.output_symbols if symbols else None),
            f"{layer.params:,}",
            layer.formula,
        ]
        if graph:
            row.append(visible(", ".join(layer.inbound)) or "-")
        rows.append(row)
        if weights:
            rows += _weight_rows(layer, graph, symbols)
    return headers, rows


def _weight_rows(layer: LayerReport, graph: bool, symbols: bool) -> list[list[str]]:
    rows = []
    axes = layer.weight_axes or (None,) * len(layer.weights)
    for w, named in zip(layer.weights, axes):
        note = "" if w.trainable else "non-trainable"
        shape = f"{named} = {w.shape}" if symbols and named else str(w.shape)
        row = [f"└ {visible(w.name)}", shape, f"{w.size:,}", note]
        if graph:
            row.append("")
        rows.append(row)
    return rows


def legend_lines(report: ModelReport) -> list[str]:
    lines = []
    for item in report.legend:
        value = "dynamic" if item.value is None else str(item.value)
        lines.append(f"{item.symbol} = {value}: {item.meaning}")
    return lines


def render_table(report: ModelReport, *, weights: bool = False, symbols: bool = False, unicode: bool = True) -> str:
    headers, rows = _rows(report, weights=weights, symbols=symbols)
    align = ["left", "left", "right", "left"] + (["left"] if len(headers) == 5 else [])
    table = tabulate(
        rows, headers=headers, tablefmt="simple_outline" if unicode else "outline", colalign=align, disable_numparse=True
    )
    lines = [f'Model: "{visible(report.name)}"', table]
    lines += [" " + line for line in totals_lines(report)]
    if symbols and report.legend:
        lines.append(" where " + "; ".join(legend_lines(report)))
    return "\n".join(lines) + "\n"


def render_markdown(report: ModelReport, *, weights: bool = False, symbols: bool = False) -> str:
    headers, rows = _rows(report, weights=weights, symbols=symbols)
    escaped = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    align = ["left", "left", "right", "left"] + (["left"] if len(headers) == 5 else [])
    table = tabulate(escaped, headers=headers, tablefmt="github", colalign=align, disable_numparse=True)
    lines = [f"### Model: `{visible(report.name)}`", "", table, ""]
    lines += [f"- {line}" for line in totals_lines(report)]
    if symbols and report.legend:
        lines += ["", "Axes: " + "; ".join(f"`{line}`" for line in legend_lines(report))]
    return "\n".join(lines) + "\n"
