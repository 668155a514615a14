"""A ModelReport's table as an HTML fragment: for Jupyter (``Report._repr_html_``) and for
the self-contained page of ``explain --format html``, which wraps this fragment.

The fragment is a ``<div class="rnnshape">`` holding its own ``<style>`` (every rule is
scoped under ``.rnnshape``, so nothing leaks into the notebook) and the table. Colours are
``currentColor`` and translucent tints, never fixed text or background colours, so the
table reads in light and dark Jupyter themes alike. Every piece of text from the model
(names, formulas, shapes) is escaped: a model file is data.
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from ..report import LayerReport, ModelReport
from .explain import layer_shape_cell, legend_lines, params_cell, totals_lines, weight_cells

# Scoped to .rnnshape. Borders derive from the surrounding text colour (color-mix, after a
# mid-grey fallback for older browsers), so a dark theme gets light rules and a light theme dark ones.
CSS = """\
.rnnshape { font-family: inherit; color: inherit; margin: 0.5em 0; }
.rnnshape .rnnshape-title { font-weight: 600; margin-bottom: 0.3em; }
.rnnshape table { border-collapse: collapse; border: 1px solid rgba(128, 128, 128, 0.5);
  border: 1px solid color-mix(in srgb, currentColor 35%, transparent); }
.rnnshape th, .rnnshape td { padding: 0.25em 0.7em; text-align: left; vertical-align: top;
  border-bottom: 1px solid rgba(128, 128, 128, 0.3); color: inherit; background: transparent;
  border-bottom: 1px solid color-mix(in srgb, currentColor 18%, transparent); }
.rnnshape th { font-weight: 600; border-bottom: 1px solid rgba(128, 128, 128, 0.6);
  border-bottom: 1px solid color-mix(in srgb, currentColor 45%, transparent); }
.rnnshape th, .rnnshape td { white-space: nowrap; }
.rnnshape td.rnnshape-formula { white-space: normal; }
.rnnshape td.rnnshape-num { text-align: right; font-variant-numeric: tabular-nums; }
.rnnshape code { font-family: var(--jp-code-font-family, monospace); background: transparent; color: inherit; padding: 0; }
.rnnshape .rnnshape-class { opacity: 0.7; }
.rnnshape tr.rnnshape-weight td { opacity: 0.75; font-size: 0.92em; border-bottom-style: dotted; }
.rnnshape tr.rnnshape-weight td:first-child { padding-left: 1.8em; }
.rnnshape .rnnshape-totals, .rnnshape .rnnshape-legend { margin: 0.4em 0 0 0; padding: 0; list-style: none; }
.rnnshape .rnnshape-notes { margin: 0.4em 0 0 0; padding: 0; list-style: none; opacity: 0.8; }
"""


def style_tag() -> str:
    """The ``<style>`` element of ``CSS``: once per page when several tables share it."""
    return f"<style>\n{CSS}</style>"


def render_html(report: ModelReport, *, weights: bool = False, symbols: bool = False, style: bool = True) -> str:
    """The report as an HTML fragment: title, table (with formulas), totals and legend.

    ``weights`` adds a row under each layer for every weight with its shape; ``symbols``
    writes shapes with named axes and adds the legend, as ``explain --weights --symbols``
    do. ``style=False`` leaves out the ``<style>`` element (a page that already has it,
    from ``style_tag()``). The columns, cells and totals are those of the text table.
    """
    graph = not report.chain_like
    headers = ["Layer (type)", "Output Shape", "Param #", "Formula"] + (["Connected to"] if graph else [])
    parts = [style_tag()] if style else []
    parts.append('<div class="rnnshape">')
    parts.append(f'<div class="rnnshape-title">Model: <code>{escape(report.name)}</code></div>')
    parts.append("<table>")
    parts.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead>")
    parts.append("<tbody>")
    for layer in report.layers:
        parts.append(_layer_row(layer, graph, symbols))
        if weights:
            parts.extend(_weight_rows(layer, graph, symbols))
    parts.append("</tbody></table>")
    parts.append(_list("rnnshape-totals", totals_lines(report)))
    if symbols and report.legend:
        parts.append(_list("rnnshape-legend", legend_lines(report), code=True))
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def _layer_row(layer: LayerReport, graph: bool, symbols: bool) -> str:
    cells = [
        f"<code>{escape(layer.name)}</code> <span class=\"rnnshape-class\">({escape(layer.class_name)})</span>",
        f"<code>{escape(layer_shape_cell(layer, symbols))}</code>",
        escape(params_cell(layer)),
        f"<code>{escape(layer.formula)}</code>" if layer.formula else "",
    ]
    if graph:
        cells.append(escape(", ".join(layer.inbound) or "-"))
    return _row(cells)


def _weight_rows(layer: LayerReport, graph: bool, symbols: bool) -> list[str]:
    rows = []
    for name, shape, size, note in weight_cells(layer, symbols):
        cells = [f"└ <code>{escape(name)}</code>", f"<code>{escape(shape)}</code>", escape(size), note]
        if graph:
            cells.append("")
        rows.append(_row(cells, css="rnnshape-weight"))
    return rows


# The class of each column's cells: the count is right-aligned, the formula may wrap.
_COLUMN_CLASSES = {2: ' class="rnnshape-num"', 3: ' class="rnnshape-formula"'}


def _row(cells: list[str], *, css: str | None = None) -> str:
    """One ``<tr>``; ``cells`` are already escaped HTML."""
    opening = f'<tr class="{css}">' if css else "<tr>"
    return opening + "".join(f"<td{_COLUMN_CLASSES.get(i, '')}>{c}</td>" for i, c in enumerate(cells)) + "</tr>"


def _list(css: str, lines: Iterable[str], *, code: bool = False) -> str:
    items = "".join(f"<li><code>{escape(x)}</code></li>" if code else f"<li>{escape(x)}</li>" for x in lines)
    return f'<ul class="{css}">{items}</ul>'
