"""The diagrams in a real browser: headless Chromium, driven by Selenium, lays out every
style for every case (and the HTML report), and no two texts overlap and nothing leaves
the drawing.

Needs Debian's ``chromium`` and ``chromium-driver`` (CI installs both in .ci/run). On a
machine without them these tests are skipped with the reason; under CI (``CI`` set) a
missing browser is a failure, so the check cannot silently stop running.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from draw_cases import CASES, has_recurrent, load
from rnnshape.draw import render

STYLES = ("graph", "unrolled", "boxes", "cell")
TOLERANCE = 0.5  # px: rounding of glyph boxes, not an overlap anyone can see

MEASURE = """
const root = document.documentElement.tagName === 'svg' ? document.documentElement : document.body;
const frames = [...document.querySelectorAll('svg')].filter(s => !(s.parentElement && s.parentElement.closest('svg')));
const box = el => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
return frames.map(svg => ({
  frame: box(svg),
  texts: [...svg.querySelectorAll('text')].map(t => [t.textContent, ...box(t)]),
  shapes: [...svg.querySelectorAll('rect, path')].filter(e => !e.closest('defs')).map(e => [e.tagName, ...box(e)]),
}));
"""


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what}; CI must install it (.ci/run installs chromium and chromium-driver)")
    pytest.skip(f"{what}: apt-get install chromium chromium-driver, pip install selenium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        _missing("no headless Chromium (chromium and chromedriver) on PATH")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1200"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def measure(browser: Any, path: Path) -> list[dict[str, Any]]:
    browser.get(path.as_uri())
    frames: list[dict[str, Any]] = browser.execute_script(MEASURE)
    assert frames, "no <svg> in the page"
    return frames


def problems(frame: dict[str, Any]) -> list[str]:
    """Texts that overlap another text, and anything outside the drawing's frame."""
    found = []
    left, top, right, bottom = frame["frame"]
    texts = [t for t in frame["texts"] if t[0].strip()]
    for kind, *b in [*((t[0], *t[1:]) for t in texts), *frame["shapes"]]:
        if b[0] < left - TOLERANCE or b[1] < top - TOLERANCE or b[2] > right + TOLERANCE or b[3] > bottom + TOLERANCE:
            found.append(f"{kind!r} at {b} lies outside the drawing {frame['frame']}")
    for i, (a_text, *a) in enumerate(texts):
        for b_text, *b in texts[i + 1:]:
            width = min(a[2], b[2]) - max(a[0], b[0])
            height = min(a[3], b[3]) - max(a[1], b[1])
            if width > TOLERANCE and height > TOLERANCE:
                found.append(f"{a_text!r} {a} overlaps {b_text!r} {b}")
    return found


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("style", STYLES)
def test_no_text_overlaps_and_nothing_leaves_the_drawing(browser: Any, tmp_path: Path, name: str, style: str) -> None:
    model, report = load(name)
    if style in ("unrolled", "cell") and not has_recurrent(report):
        return  # refused with a usage error (tests/test_draw.py)
    for steps in (8, 3) if style == "unrolled" else (8,):
        for symbols in (False, True):
            path = tmp_path / f"{name}_{style}_{steps}_{symbols}.svg"
            path.write_text(render(style, model, report, symbols=symbols, steps=steps), encoding="utf-8")
            (frame,) = measure(browser, path)
            assert len(frame["texts"]) > 2
            assert problems(frame) == []


def test_the_check_sees_an_overlap(browser: Any, tmp_path: Path) -> None:
    """The measurement itself works: two texts drawn on top of each other are caught."""
    from rnnshape.draw.svg import Canvas

    canvas = Canvas("overlap")
    canvas.text(0, 0, "first label")
    canvas.text(10, 2, "second label")
    canvas.rect(-40, -10, 30, 30, "layer")
    path = tmp_path / "overlap.svg"
    path.write_text(canvas.render().replace('x="-40"', 'x="-400"'), encoding="utf-8")
    (frame,) = measure(browser, path)
    found = problems(frame)
    assert any("overlaps" in p for p in found) and any("outside the drawing" in p for p in found)


def test_the_html_report_has_no_overlapping_text(browser: Any, tmp_path: Path) -> None:
    from rnnshape.render.html_page import render_page

    for name in ("seq2seq", "branches", "bigru_merge_none", "stacked_lstm"):
        path = tmp_path / f"{name}.html"
        path.write_text(render_page([load(name)]), encoding="utf-8")
        frames = measure(browser, path)
        assert len(frames) >= 2
        for frame in frames:
            assert problems(frame) == []
