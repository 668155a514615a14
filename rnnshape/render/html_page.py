"""``rnnshape explain --format html``: one self-contained page per run.

For each model: the explain table (``render.html``: formulas, every weight), the
``graph`` and ``unrolled`` diagrams inline, and the NumPy forward pass in a collapsible
section. Nothing is fetched: no CDN, no external fonts, scripts or images; the CSS is
inline and every text from a model file is escaped.
"""

from __future__ import annotations

from typing import Sequence

from ..draw.svg import escape
from ..errors import RnnshapeError
from ..report import ModelReport
from ..spec import ModelSpec
from .html import render_html, style_tag

PAGE_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem; color: #1b1f24;
       background: #ffffff; max-width: 100%; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; } h3 { font-size: 1.05rem; }
pre code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
.diagram { overflow-x: auto; margin: 0.5rem 0 1rem; }
pre { background: #f5f7fa; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
.note { color: #8a4b00; }
"""


def render_page(entries: Sequence[tuple[ModelSpec, ModelReport]], *, symbols: bool = False) -> str:
    """The whole page for every explained model."""
    title = "rnnshape: " + ", ".join(report.name for _, report in entries)
    body = [f"<h1>{_e(title)}</h1>"]
    for model, report in entries:
        body += _model_section(model, report, symbols)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{PAGE_CSS}</style>\n{style_tag()}\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _model_section(model: ModelSpec, report: ModelReport, symbols: bool) -> list[str]:
    from ..draw import render
    from ..draw.labels import recurrent_core

    parts = [f"<section>\n<h2>Model “{_e(report.name)}”</h2>", f"<p>From <code>{_e(report.source)}</code></p>"]
    # The table is the notebook's HTML fragment (one renderer for the page and _repr_html_).
    parts.append(render_html(report, weights=True, symbols=symbols, style=False))
    parts += ["<h3>Graph</h3>", f'<div class="diagram">{render("graph", model, report, symbols=symbols)}</div>']
    if any(recurrent_core(layer) is not None for layer in report.layers):
        unrolled = render("unrolled", model, report, symbols=symbols)
        parts += ["<h3>The first recurrent layer, unrolled</h3>", f'<div class="diagram">{unrolled}</div>']
    parts.append(_forward_pass(model, report))
    parts.append("</section>")
    return parts


def _forward_pass(model: ModelSpec, report: ModelReport) -> str:
    """The NumPy forward pass (random weights, seed 0), folded away."""
    from ..numpy_gen import generate

    try:
        code = generate(model, None, seed=0, report=report).text
    except RnnshapeError as err:
        return f'<p class="note">No NumPy forward pass: {_e(str(err))}</p>'
    return (
        "<details>\n<summary>The NumPy forward pass (<code>rnnshape numpy</code>, seeded random weights)</summary>\n"
        f"<pre><code>{_e(code)}</code></pre>\n</details>"
    )


def _e(text: str) -> str:
    """Escaped for HTML text and attributes; control characters made visible."""
    return escape(text)
