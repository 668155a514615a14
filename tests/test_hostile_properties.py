"""Properties behind issue 12 that hold for every input, not only the corpus cases.

- Constant folding in Python source never builds values past the file's fold budget, however
  the statements combine (shared structure, repetition, powers, rounding, bytes).
- Text from a file never reaches a terminal with a control character or lone surrogate.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from rnnshape import limits
from rnnshape.formats.python_source import SourceReader, parse_module
from rnnshape.formats.python_values import Const, folded_size
from rnnshape.text import shown, visible

EXAMPLES = int(os.environ.get("RNNSHAPE_FUZZ_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)

_SMALL = st.sampled_from(["1", "2", "'ab'", "b'cd'", "(1, 2)", "[3]", "10", "-10**15", "10**15", "2.5"])
_BIG = st.sampled_from(["10**9", "10**15", "-10**15", "10000", "64", "65", "999999"])


@st.composite
def _statement(draw: st.DrawFn) -> str:
    a, b = draw(st.sampled_from("abc")), draw(st.sampled_from("abc"))
    forms = [
        f"{a} = [{b}, {b}]",
        f"{a} = ({b}, {b}, {b})",
        f"{a} = {b} * {draw(_BIG)}",
        f"{a} = [{b}] * {draw(_BIG)}",
        f"{a} = {b} + {b}",
        f"{a} = {b} ** {draw(_BIG)}",
        f"{a} = round({b}, {draw(_BIG)})",
        f"{a} = round({b}, -{draw(_BIG)})",
        f"{a} = {b} % {draw(_SMALL)}",
        f"{a} = list({b})",
        f"{a} = {draw(_SMALL)}",
        f"{a} = {b}[0]",
        f"{a} = max({b}, {b})",
        f"{a} = {b} == {b}",
    ]
    return draw(st.sampled_from(forms))


@PROPERTY
@given(st.lists(_statement(), min_size=1, max_size=80))
def test_folding_never_builds_past_the_budget(statements: list[str]) -> None:
    text = "a = [1]\nb = 'xy'\nc = b'z'\n" + "\n".join(statements) + "\n"
    reader = SourceReader("fuzz.py")
    reader.run(parse_module(text, "fuzz.py").body)
    limit = limits.value(limits.PY_FOLD)
    assert reader.fold_budget.used <= limit
    for value in reader.env.values():
        if isinstance(value, Const):
            assert folded_size(value.value, limit) <= limit
            assert len(shown(value.value)) <= 210


_CONTROL = st.sampled_from(["\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x07", "\x1b]0;title\x07", "\x1b[2J", "\r", "\n", "\x00", "\x7f", "\x9b", "\u2028", "\u202e", "\ud800", "\udcff"])


@PROPERTY
@given(st.lists(st.one_of(st.text(max_size=5), _CONTROL), max_size=12).map("".join))
def test_visible_text_has_no_control_characters(name: str) -> None:
    out = visible(name)
    assert not any(ord(ch) < 0x20 and ch != "\t" or 0x7F <= ord(ch) <= 0x9F for ch in out)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\u2028\u2029\u202e" for ch in out)
    out.encode("utf-8")  # never raises: lone surrogates are escaped
    if not any(ch in name for ch in "\\"):
        assert visible(out) == out  # escaping is idempotent on its own output
