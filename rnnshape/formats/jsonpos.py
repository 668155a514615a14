"""A JSON reader that remembers where every object and key starts.

The stdlib ``json`` module returns values without positions, but lint reports
``path:line:col`` for a layer or one of its keys. The fast path parses with the C
decoder and then pairs every object and key, in document order, with offsets found by
splitting the text on quotes; when they disagree (duplicate keys), an exact
recursive-descent parser over regex tokens runs instead. Objects come back as
``JObject`` (a ``dict`` that also holds the offsets); ``Doc.pos(offset)`` turns an
offset into a ``Position``, lazily.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, Iterator, Mapping

from .. import limits
from ..errors import FormatError, Position

_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
        (?P<str>"(?:[^"\\\x00-\x1f]|\\.)*")
      | (?P<punct>[{}\[\],:])
      | (?P<num>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
      | (?P<word>true|false|null|NaN|-?Infinity)
    )""",
    re.VERBOSE,
)
_WORDS = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}
_TRAILING = re.compile(r"[ \t\r\n]*")


class JObject(dict):  # type: ignore[type-arg]
    """A JSON object that knows its own offset and the offset of each key."""

    __slots__ = ("offset", "key_offsets")

    def __init__(self, offset: int = 0, pairs: Any = ()) -> None:
        super().__init__(pairs)
        self.offset = offset
        self.key_offsets: dict[str, int] = {}


def _from_pairs(pairs: list[tuple[str, Any]]) -> JObject:
    return JObject(0, pairs)


# Every string (a key when a colon follows) and every '{' outside strings, in order.
_EVENTS = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"(?:[ \t\r\n]*(:))?|(\{)')
KEY, BRACE = 1, 2


def _events(text: str) -> list[tuple[int, int]]:
    """Offsets of object starts (BRACE) and keys (KEY) in document order."""
    if "\\" in text:
        return [(m.start(), m.lastindex) for m in _EVENTS.finditer(text) if m.lastindex]
    # Without escapes a string runs from one quote to the next, so splitting on quotes
    # gives outside/inside parts alternately; this is several times faster than a regex.
    parts = text.split('"')
    events: list[tuple[int, int]] = []
    append = events.append
    pos = 0
    count = len(parts)
    for i in range(0, count, 2):
        part = parts[i]
        if i and (part[:1] == ":" or part.lstrip()[:1] == ":"):
            append((pos - len(parts[i - 1]) - 2, KEY))
        if "{" in part:
            j = part.find("{")
            while j >= 0:
                append((pos + j, BRACE))
                j = part.find("{", j + 1)
        pos += len(part) + 1
        if i + 1 < count:
            pos += len(parts[i + 1]) + 1
    return events


class Doc:
    """The text a value came from: turns character offsets into line:col positions."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self._text = text
        self._line_starts: list[int] | None = None

    def pos(self, offset: int | None) -> Position:
        if offset is None:
            return Position(self.source)
        if self._line_starts is None:
            starts = [0]
            find = self._text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return Position(self.source, line, offset - self._line_starts[line - 1] + 1)

    def obj_pos(self, obj: Any) -> Position:
        return self.pos(obj.offset if isinstance(obj, JObject) else None)

    def key_pos(self, obj: Any, key: str) -> Position:
        if isinstance(obj, JObject):
            return self.pos(obj.key_offsets.get(key, obj.offset))
        return Position(self.source)


class KeyPositions(Mapping[str, Position]):
    """``arg_pos`` of a layer, computed only for the keys someone asks about.

    ``keys`` maps an argument name to the key it was read from in ``obj``.
    """

    __slots__ = ("_doc", "_obj", "_keys")

    def __init__(self, doc: Doc, obj: Any, keys: dict[str, str]) -> None:
        self._doc, self._obj, self._keys = doc, obj, keys

    def __getitem__(self, name: str) -> Position:
        return self._doc.key_pos(self._obj, self._keys[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _error(doc: Doc, message: str, offset: int) -> FormatError:
    return FormatError(f"invalid JSON: {message}", pos=doc.pos(offset))


def loads(text: str, source: str) -> tuple[Any, Doc]:
    """Parse ``text``; returns the value and the ``Doc`` for positions.

    The fast path parses with the stdlib's C decoder, then pairs every object and key
    (in document order) with the offsets one regular expression finds. If the two
    disagree (duplicate keys drop entries), the exact slower parser runs instead.
    """
    doc = Doc(text, source)
    try:
        value = json.loads(text, object_pairs_hook=_from_pairs)
    except json.JSONDecodeError as err:
        raise FormatError(f"invalid JSON: {err.msg}", pos=Position(source, err.lineno, err.colno)) from None
    except RecursionError:
        # The exact parser stops at the depth limit and says where.
        return _slow_loads(text, doc)
    except (ValueError, OverflowError):  # e.g. an integer of more than 4300 digits
        return _slow_loads(text, doc)  # which says where
    events = _events(text)
    if _attach_offsets(value, events):
        _check_tree(value, doc)
        return value, doc
    return _slow_loads(text, doc)


def _check_tree(root: Any, doc: Doc) -> None:
    """Depth and string-length limits over a parsed value, iteratively (no recursion)."""
    max_depth = limits.value(limits.JSON_DEPTH)
    max_chars = limits.value(limits.STRING_CHARS)
    if isinstance(root, str) and len(root) > max_chars:
        raise _error(doc, limits.exceeded(limits.STRING_CHARS, f"a string of {len(root):,} characters"), 0)
    if not isinstance(root, (dict, list)):
        return
    stack: list[tuple[Any, int, Any]] = [(root, 1, root)]
    while stack:
        item, depth, owner = stack.pop()
        if depth > max_depth:
            raise _error(doc, limits.too_deep(limits.JSON_DEPTH, "JSON"), _offset(owner))
        children = item.items() if isinstance(item, dict) else ((None, c) for c in item)
        for key, child in children:
            if isinstance(child, str):
                if len(child) > max_chars:
                    where = item.key_offsets.get(str(key), item.offset) if isinstance(item, JObject) else _offset(owner)
                    raise _error(doc, limits.exceeded(limits.STRING_CHARS, f"a string of {len(child):,} characters"), where)
            elif isinstance(child, (dict, list)):
                stack.append((child, depth + 1, child if isinstance(child, JObject) else owner))


def _offset(obj: Any) -> int:
    return obj.offset if isinstance(obj, JObject) else 0


def _attach_offsets(root: Any, events: list[tuple[int, int]]) -> bool:
    """Give each object its '{' offset and each key its offset; False on any mismatch."""
    if not isinstance(root, (dict, list)):
        return not events
    try:
        return _walk(root, events, 0) == len(events)
    except RecursionError:
        return False


def _walk(item: Any, events: list[tuple[int, int]], index: int) -> int:
    """Pair ``item`` (in document order) with events from ``index``; -1 on mismatch."""
    total = len(events)
    if isinstance(item, JObject):
        if index >= total or events[index][1] != BRACE:
            return -1
        item.offset = events[index][0]
        index += 1
        offsets = item.key_offsets
        for key, child in item.items():
            if index >= total or events[index][1] != KEY:
                return -1
            offsets[key] = events[index][0]
            index += 1
            if isinstance(child, (dict, list)):
                index = _walk(child, events, index)
                if index < 0:
                    return -1
        return index
    for child in item:
        if isinstance(child, (dict, list)):
            index = _walk(child, events, index)
            if index < 0:
                return -1
    return index


def _slow_loads(text: str, doc: Doc) -> tuple[Any, Doc]:
    parser = _Parser(text, doc)
    try:
        value = parser.value(0)
    except (ValueError, OverflowError) as err:  # e.g. an integer of more than 4300 digits
        raise _error(doc, limits.number_error_text(err), parser.pos) from None
    tail = _TRAILING.match(text, parser.pos)
    at = tail.end() if tail else parser.pos
    if at < len(text):
        raise _error(doc, "extra data after the top-level value", at)
    return value, doc


class _Parser:
    """Recursive descent over regex tokens; depth is bounded by ``limits.JSON_DEPTH``."""

    def __init__(self, text: str, doc: Doc) -> None:
        self.text = text
        self.doc = doc
        self.pos = 0
        self.max_depth = limits.value(limits.JSON_DEPTH)
        self.max_chars = limits.value(limits.STRING_CHARS)

    def token(self) -> tuple[str, str, int]:
        m = _TOKEN.match(self.text, self.pos)
        if m is None:
            tail = _TRAILING.match(self.text, self.pos)
            at = tail.end() if tail else self.pos
            if at >= len(self.text):
                raise _error(self.doc, "unexpected end of file", at)
            raise _error(self.doc, f"unexpected character {self.text[at]!r}", at)
        kind = m.lastgroup or ""
        self.pos = m.end()
        return kind, m.group(kind), m.start(kind)

    def value(self, depth: int) -> Any:
        kind, token, start = self.token()
        return self.value_from(kind, token, start, depth)

    def value_from(self, kind: str, token: str, start: int, depth: int) -> Any:
        if kind == "str":
            if len(token) - 2 > self.max_chars:
                raise _error(self.doc, limits.exceeded(limits.STRING_CHARS, f"a string of {len(token) - 2:,} characters"), start)
            return scanstring(token, 1)[0] if "\\" in token else token[1:-1]
        if kind == "num":
            return float(token) if ("." in token or "e" in token or "E" in token) else int(token)
        if kind == "word":
            return _WORDS[token]
        if depth >= self.max_depth:
            raise _error(self.doc, limits.too_deep(limits.JSON_DEPTH, "JSON"), start)
        if token == "{":
            return self.obj(start, depth + 1)
        if token == "[":
            return self.array(depth + 1)
        raise _error(self.doc, f"unexpected {token!r}", start)

    def obj(self, offset: int, depth: int) -> JObject:
        out = JObject(offset)
        kind, token, start = self.token()
        if token == "}" and kind == "punct":
            return out
        while True:
            if kind != "str":
                raise _error(self.doc, "expected a string key", start)
            key = scanstring(token, 1)[0] if "\\" in token else token[1:-1]
            kind, token, colon = self.token()
            if token != ":" or kind != "punct":
                raise _error(self.doc, "expected ':' after a key", colon)
            out[key] = self.value(depth)
            out.key_offsets[key] = start
            kind, token, after = self.token()
            if kind == "punct" and token == "}":
                return out
            if kind != "punct" or token != ",":
                raise _error(self.doc, "expected ',' or '}'", after)
            kind, token, start = self.token()

    def array(self, depth: int) -> list[Any]:
        out: list[Any] = []
        kind, token, start = self.token()
        if kind == "punct" and token == "]":
            return out
        while True:
            out.append(self.value_from(kind, token, start, depth))
            kind, token, after = self.token()
            if kind == "punct" and token == "]":
                return out
            if kind != "punct" or token != ",":
                raise _error(self.doc, "expected ',' or ']'", after)
            kind, token, start = self.token()
