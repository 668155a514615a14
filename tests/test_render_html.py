"""The HTML fragment of a report: the text table's cells, escaped, with scoped CSS."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from rnnshape.formats import from_expressions
from rnnshape.infer import infer_model
from rnnshape.render.explain import render_table
from rnnshape.render.html import CSS, render_html, style_tag


class _Cells(HTMLParser):
    """Collects the text of each table row's cells; fails on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.stack: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data


def _report(*exprs: str, shape: str = "10,3"):
    return infer_model(from_expressions(list(exprs), input_shape=shape))


def _cells(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    assert parser.stack == []
    return parser.rows


def test_rows_match_the_text_table() -> None:
    report = _report("LSTM(8, return_sequences=True)", "SimpleRNN(5)", "Dense(2)")
    rows = _cells(render_html(report))
    assert rows[0] == ["Layer (type)", "Output Shape", "Param #", "Formula"]
    text = render_table(report)
    for layer, row in zip(report.layers, rows[1:]):
        assert row[0] == f"{layer.name} ({layer.class_name})"
        assert row[2] == f"{layer.params:,}"
        assert row[3] == layer.formula
        assert row[1] in text and row[3] in text
    assert len(rows) == 1 + len(report.layers)
    assert f"Total params: {report.total_params:,}" in render_html(report)


def test_weights_and_symbols_on_request() -> None:
    report = _report("LSTM(4)")
    plain = _cells(render_html(report))
    detailed_html = render_html(report, weights=True, symbols=True)
    detailed = _cells(detailed_html)
    lstm = report.layers[-1]
    assert len(detailed) == len(plain) + len(lstm.weights)
    assert [r[0] for r in detailed if r[0].startswith("└")] == [f"└ {w.name}" for w in lstm.weights]
    assert "(N, T, D)" not in str(plain) and "(N, M)" in str(detailed)
    assert "M = 4" in detailed_html  # the legend


def test_everything_from_the_model_is_escaped() -> None:
    report = _report("Dense(2, name='<script>alert(1)</script>')", shape="3")
    html = render_html(report)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_css_is_scoped_and_theme_neutral() -> None:
    selectors = [rule.split("{")[0] for rule in re.findall(r"[^{}]+\{", CSS)]
    assert selectors and all(s.strip().startswith(".rnnshape") for s in ", ".join(selectors).split(","))
    # No fixed text or background colour: the theme's own colours show through.
    assert not re.search(r"(?<!-)color:\s*#|background(-color)?:\s*#", CSS)
    assert render_html(_report("Dense(2)", shape="3"), style=False).count("<style>") == 0
    assert render_html(_report("Dense(2)", shape="3")).startswith(style_tag())


def test_graph_models_get_the_connected_to_column() -> None:
    from rnnshape.formats import load_file

    report = infer_model(load_file("tests/keras-files/k3_extra_seq2seq.json")[0])
    assert not report.chain_like
    rows = _cells(render_html(report))
    assert rows[0][-1] == "Connected to"
    assert all(len(r) == 5 for r in rows)
