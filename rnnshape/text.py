"""Text that came from a file, made short and harmless before it reaches a message or a terminal.

A model file chooses its layer names, argument values and strings, so they may be
megabytes long, hold terminal escape sequences (OSC 52 writes the clipboard, OSC 8
makes links, CSI moves the cursor), carriage returns and newlines that fake result lines,
or lone surrogates that cannot be encoded at all. Two helpers, used wherever such text is
printed:

- ``shown(value)``: a ``repr`` bounded in length and in the work spent making it;
- ``visible(text)``: control characters (C0, DEL, C1) and lone surrogates written as
  visible escapes (``\\x1b``, ``\\r``, ``\\u2028``, ``\\udcff``); everything else unchanged.
"""

from __future__ import annotations

import reprlib
import re
from typing import Any

# The longest value repr a message holds; longer ones keep their start and end.
MAX_SHOWN = 200

class _Repr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        # repr() of an int past 4,300 digits raises; its size is what a message needs.
        if x.bit_length() > 14_000:
            return f"<an integer of about {int(x.bit_length() * 0.30103):,} digits>"
        return super().repr_int(x, level)


_REPR = _Repr()
_REPR.maxstring = MAX_SHOWN
_REPR.maxother = MAX_SHOWN
_REPR.maxlong = 60
_REPR.maxlevel = 4
for _attr in ("maxlist", "maxtuple", "maxdict", "maxset", "maxfrozenset", "maxdeque", "maxarray"):
    setattr(_REPR, _attr, 12)

# C0 controls but tab, DEL, C1 controls, the line/paragraph separators, bidi overrides and
# lone surrogates (which cannot be encoded and crash printing). A pattern, not a compiled
# one: most text never needs it (see ``visible``), and ``re`` compiles it once when it does.
_UNSAFE = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def shown(value: Any) -> str:
    """``repr(value)`` for a message: at most ~``MAX_SHOWN`` characters, made visible."""
    text = _REPR.repr(value)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 20] + "..." + text[-17:]
    return visible(text)


def visible(text: str) -> str:
    """``text`` with every control character and lone surrogate as a visible escape."""
    if text.isascii() and text.isprintable():  # no control character, nothing outside ASCII
        return text
    return re.sub(_UNSAFE, _escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return {0x0A: "\\n", 0x0D: "\\r"}.get(code, f"\\x{code:02x}")
    return f"\\u{code:04x}"
