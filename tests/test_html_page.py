"""`rnnshape explain --format html`: one self-contained page with the table, the diagrams and the NumPy code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from draw_cases import ROOT, load
from rnnshape.render.html_page import render_page


def test_page_holds_table_weights_diagrams_and_forward_pass() -> None:
    model, report = load("seq2seq")
    page = render_page([(model, report)], symbols=True)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for layer in report.layers:
        assert f"<code>{layer.name}</code>" in page and f"({layer.class_name})" in page
    assert "<code>recurrent_kernel</code>" in page and "4M1(D+M1+1) = 4·5(8+5+1) = 280" in page
    assert "T = 10: timesteps" in page
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) == 2  # graph and unrolled
    for svg in svgs:
        ET.fromstring(svg)
    assert "<details>" in page and "def forward(" in page


def test_page_is_self_contained() -> None:
    model, report = load("branches")
    page = render_page([(model, report)])
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\b(src|href)=", page)
    assert not re.search(r"url\((?!#)", page)  # only in-page references (the arrow marker)
    assert [u for u in re.findall(r"https?://[^\s\"'<>]+", page) if u != "http://www.w3.org/2000/svg"] == []


def test_names_from_a_file_are_escaped() -> None:
    model, report = load("rnn_shapes")
    from dataclasses import replace

    hostile = replace(report, name="<script>alert(1)</script>")
    assert "<script>" not in render_page([(model, hostile)])


def test_cli_writes_the_page(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("explain", str(ROOT / "examples" / "stacked_lstm.yaml"), "--format", "html")
    assert result.code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.count("<svg ") == 2 and "lstm_1 (LSTM)" in result.stdout
