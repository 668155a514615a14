"""Rendering a ModelReport as a terminal table or Markdown (the JSON contract: explain_json.py)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from ..layers.base import format_shape
from ..report import FailedLayer, LayerReport, ModelReport, readable_size
from ..spec import Shape
from ..symbolic import legend_value
from ..symbols import format_symbolic
from ..text import visible


def shape_cell(shapes: tuple[Shape, ...], symbols: tuple[Any, ...] | None = None) -> str:
    """Keras's Output Shape cell: one shape, or a bracketed list for several outputs."""
    if symbols is not None:
        parts = [format_symbolic(s, sym) for s, sym in zip(shapes, symbols)]
    else:
        parts = [format_shape(s) for s in shapes]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def layer_shape_cell(layer: LayerReport, symbols: bool) -> str:
    """A layer's Output Shape cell; an unbuilt model's unknown axes written as their formula (``D``)."""
    if layer.symbolic is not None and not symbols:
        texts = layer.symbolic.outputs
        return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    return shape_cell(layer.outputs, layer.output_symbols if symbols else None)


def weight_cells(layer: LayerReport, symbols: bool) -> list[tuple[str, str, str, str]]:
    """Per weight: its name, shape, size and a note (non-trainable); sizes that depend on an unknown as formulas."""
    axes = layer.weight_axes or (None,) * max(len(layer.weights), len(layer.symbolic.weights) if layer.symbolic else 0)
    rows = []
    if layer.symbolic is not None and layer.symbolic.weights:
        for sw, named in zip(layer.symbolic.weights, axes):
            shape = f"{named} = {sw.text}" if symbols and named and named != sw.text else sw.text
            rows.append((sw.name, shape, sw.size.text(), "" if sw.trainable else "non-trainable"))
        return rows
    for w, named in zip(layer.weights, axes):
        shape = f"{named} = {w.shape}" if symbols and named else str(w.shape)
        rows.append((w.name, shape, f"{w.size:,}", "" if w.trainable else "non-trainable"))
    return rows


def totals_lines(report: ModelReport) -> list[str]:
    """The three lines under a Keras summary, byte sizes included, exactly as Keras prints them;
    ``+ unknown`` and a line naming them where some layers' weights cannot be counted. An unbuilt
    model's totals are formulas in its unknowns, with their bytes as formulas too."""
    more = " + unknown" if report.unknown_params else ""
    if report.unknowns:
        total, trainable = report.params_poly, report.trainable_poly
        size, trainable_size = report.param_bytes_poly, report.trainable_bytes_poly
        lines = [
            f"Total params: {total.text()}{more} ({size.text()} bytes{more})",
            f"Trainable params: {trainable.text()}{more} ({trainable_size.text()} bytes{more})",
            f"Non-trainable params: {(total - trainable).text()}{more} ({(size - trainable_size).text()} bytes{more})",
        ]
    else:
        lines = [
            f"Total params: {report.total_params:,}{more} ({readable_size(report.param_bytes)}{more})",
            f"Trainable params: {report.trainable_params:,}{more} ({readable_size(report.trainable_bytes)}{more})",
            f"Non-trainable params: {report.non_trainable_params:,}{more} ({readable_size(report.non_trainable_bytes)}{more})",
        ]
    if report.unknown_params:
        names = ", ".join(f"'{visible(r.name)}'" for r in report.unknown_params)
        lines.append(f"Not counted: the weights of {names}, made by a custom layer class whose code is never run")
    return lines


def params_cell(layer: LayerReport) -> str:
    """A layer's Param # cell: its count (a formula in an unbuilt model's unknowns), or ``unknown``
    where rnnshape cannot count it."""
    return layer.params_text if layer.params_known else "unknown"


def _rows(
    report: ModelReport, *, weights: bool, symbols: bool, failure: FailedLayer | None = None, marker: str = ""
) -> tuple[list[str], list[list[str]]]:
    headers = ["Layer (type)", "Output Shape", "Param #", "Formula"]
    graph = not report.chain_like
    if graph:
        headers.append("Connected to")
    rows: list[list[str]] = []
    for layer in report.layers:
        row = [
            visible(f"{layer.name} ({layer.class_name})"),
            layer_shape_cell(layer, symbols),
            params_cell(layer),
            layer.formula,
        ]
        if graph:
            row.append(visible(", ".join(layer.inbound)) or "-")
        rows.append(row)
        if weights:
            rows += _weight_rows(layer, graph, symbols)
    if failure is not None and failure.layer is not None:
        rows.append(_failed_row(failure, graph, marker))
    return headers, rows


def _failed_row(failure: FailedLayer, graph: bool, marker: str) -> list[str]:
    """The layer inference stopped at: what it was given, and the marker instead of outputs."""
    given = ", ".join(format_shape(s) for s in failure.input_shapes)
    row = [visible(f"{failure.layer} ({failure.class_name})"), marker, "-", f"input {given}" if given else "-"]
    if graph:
        row.append(visible(", ".join(failure.inbound)) or "-")
    return row


def _weight_rows(layer: LayerReport, graph: bool, symbols: bool) -> list[list[str]]:
    rows = []
    for name, shape, size, note in weight_cells(layer, symbols):
        row = [f"└ {visible(name)}", shape, size, note]
        if graph:
            row.append("")
        rows.append(row)
    return rows


def legend_lines(report: ModelReport) -> list[str]:
    lines = []
    for item in report.legend:
        lines.append(f"{item.symbol} = {legend_value(item)}: {item.meaning}")
    return lines


def render_table(
    report: ModelReport, *, weights: bool = False, symbols: bool = False, unicode: bool = True,
    failure: FailedLayer | None = None,
) -> str:
    """Keras's summary table; with ``failure``, the rows up to the break and the failing layer marked."""
    marker = "✗ FAILED" if unicode else ">> FAILED <<"
    headers, rows = _rows(report, weights=weights, symbols=symbols, failure=failure, marker=marker)
    align = ["left", "left", "right", "left"] + (["left"] if len(headers) == 5 else [])
    table = tabulate(
        rows, headers=headers, tablefmt="simple_outline" if unicode else "outline", colalign=align, disable_numparse=True
    )
    lines = [f'Model: "{visible(report.name)}"', table]
    lines += [" " + line for line in _totals_or_stop(report, failure)]
    if symbols and report.legend:
        lines.append(" where " + "; ".join(legend_lines(report)))
    return "\n".join(lines) + "\n"


def render_markdown(
    report: ModelReport, *, weights: bool = False, symbols: bool = False, failure: FailedLayer | None = None
) -> str:
    headers, rows = _rows(report, weights=weights, symbols=symbols, failure=failure, marker="**✗ FAILED**")
    escaped = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    align = ["left", "left", "right", "left"] + (["left"] if len(headers) == 5 else [])
    table = tabulate(escaped, headers=headers, tablefmt="github", colalign=align, disable_numparse=True)
    lines = [f"### Model: `{visible(report.name)}`", "", table, ""]
    lines += [f"- {line}" for line in _totals_or_stop(report, failure)]
    if symbols and report.legend:
        lines += ["", "Axes: " + "; ".join(f"`{line}`" for line in legend_lines(report))]
    return "\n".join(lines) + "\n"


def _totals_or_stop(report: ModelReport, failure: FailedLayer | None) -> list[str]:
    """The totals; for a model that failed, no totals (they would count only part of it)."""
    if failure is None:
        return totals_lines(report)
    where = f"at layer '{visible(failure.layer)}'" if failure.layer else "after its last layer"
    return [f"Not explained past the failure {where}: the error follows."]


def render_not_explained(file: str | None, *, markdown: bool, skipped: bool = False) -> str:
    """The place of a model that could not be read (or was skipped), among several."""
    name = visible(file or "model")
    said = "Skipped: the warning follows." if skipped else "Not explained: the error follows."
    if markdown:
        return f"### Model: `{name}`\n\n- {said}\n"
    return f'Model: "{name}"\n {said}\n'
