"""Every bound rnnshape puts on its input, in one place.

rnnshape reads files it did not write (a linter in pre-commit reads whatever is in a
repository), so each reader stops at a named limit instead of spending unbounded time
or memory. Each limit has a default sized far above any real model config and can be
raised with its environment variable, e.g. ``RNNSHAPE_MAX_FILE_BYTES=67108864``.

Readers call ``value(LIMIT)`` at the moment of use (so a test or a user can move a
limit through the environment), and word their error with ``exceeded(LIMIT, ...)``,
which names the limit and the variable that raises it.
"""

from __future__ import annotations

import os

from .errors import UsageError
from .records import record


@record
class Limit:
    """One bound: its environment variable, default and what it measures."""

    env: str
    default: int
    what: str  # noun phrase for messages and the README table, e.g. "bytes per model file"
    # The most the variable may ask for: depth limits past it would exhaust Python's stack,
    # which must stay a clear limit message, not a crash.
    maximum: int | None = None


def value(limit: Limit) -> int:
    """The limit in force: the environment variable when set, else the default."""
    raw = os.environ.get(limit.env)
    if raw is None or not raw.strip():
        return limit.default
    text = raw.strip().replace("_", "")
    try:
        number = int(text)
    except ValueError:
        try:  # 2e9 or 1.5e6 are accepted when they are whole numbers
            as_float = float(text)
            number = int(as_float) if as_float.is_integer() else -1
        except (ValueError, OverflowError):
            number = -1
    if number <= 0:
        raise UsageError(f"{limit.env} must be a positive integer ({limit.what}), got {raw[:40]!r}")
    if limit.maximum is not None and number > limit.maximum:
        raise UsageError(
            f"{limit.env} must be at most {limit.maximum:,} ({limit.what}; deeper would exhaust Python's stack), "
            f"got {raw[:40]!r}"
        )
    return number


def exceeded(limit: Limit, found: str) -> str:
    """A one-line message: what was found, the limit it passes, and how to raise that."""
    return f"{found}; the limit is {value(limit):,} {limit.what} (set {limit.env} to raise it)"


def too_deep(limit: Limit, what: str) -> str:
    """``YAML nested more than 64 levels deep (set RNNSHAPE_MAX_YAML_DEPTH to raise it)``."""
    return f"{what} nested more than {value(limit):,} levels deep (set {limit.env} to raise it)"


def number_error_text(err: Exception) -> str:
    """Python's own message for a number it refuses to convert, on one line and without advice
    about interpreter settings (``int('9' * 5000)`` passes Python's 4300-digit limit)."""
    text = " ".join(str(err).split())
    if "integer string conversion" in text or "Exceeds the limit" in text:
        return "a number with more than 4300 digits"
    return text or type(err).__name__


# ------------------------------------------------------------------ files

FILE_BYTES = Limit("RNNSHAPE_MAX_FILE_BYTES", 16 * 1024 * 1024, "bytes per model file")
"""Size of any model file (.yaml/.json/.keras/.h5/.py/.ipynb), checked before reading."""

STRING_CHARS = Limit("RNNSHAPE_MAX_STRING_CHARS", 100_000, "characters per string value")
"""Length of one string value in a YAML or JSON config (names, activations, ...)."""

# ------------------------------------------------------------------ YAML

YAML_EVENTS = Limit("RNNSHAPE_MAX_YAML_NODES", 200_000, "YAML nodes")
"""Nodes in a YAML document, counted both as parsed and while aliases are expanded
(a "billion laughs" alias bomb stops here instead of expanding)."""

YAML_DEPTH = Limit("RNNSHAPE_MAX_YAML_DEPTH", 64, "levels of YAML nesting", maximum=400)
"""Nesting of YAML mappings and lists, checked while parsing (before building nodes)."""

# ------------------------------------------------------------------ JSON

JSON_DEPTH = Limit("RNNSHAPE_MAX_JSON_DEPTH", 256, "levels of JSON nesting", maximum=400)
"""Nesting of JSON objects and arrays (Keras configs, notebooks)."""

# ------------------------------------------------------------------ models

LAYER_DEPTH = Limit("RNNSHAPE_MAX_LAYER_DEPTH", 32, "levels of nested layers", maximum=100)
"""Layers inside layers (Bidirectional(TimeDistributed(...)), nested models), in every format."""

LAYERS = Limit("RNNSHAPE_MAX_LAYERS", 5_000, "layers per model")
"""Layers in one model (a 5,000-layer model is still explained in about a second)."""

DIM = Limit("RNNSHAPE_MAX_DIM", 2**31 - 1, "per dimension or unit count")
"""Magnitude of one dimension, unit count or size argument."""

# ------------------------------------------------------------------ expressions and Python

EXPR_CHARS = Limit("RNNSHAPE_MAX_EXPR_CHARS", 10_000, "characters per layer expression")
"""Length of one command-line layer expression such as ``LSTM(8)``."""

PY_EXPR_DEPTH = Limit("RNNSHAPE_MAX_PY_EXPR_DEPTH", 100, "levels of nested Python expressions", maximum=150)
"""Nesting of one Python expression read statically from a .py/.ipynb file."""

PY_INT = Limit("RNNSHAPE_MAX_PY_INT", 10**15, "as the magnitude of a folded integer")
"""Magnitude of an integer computed by constant folding in .py/.ipynb (``10 ** 10 ** 10`` is refused)."""

PY_LEN = Limit("RNNSHAPE_MAX_PY_LEN", 10_000, "items or characters per folded value")
"""Length of a string, tuple or list computed by constant folding in .py/.ipynb."""

PY_FOLD = Limit("RNNSHAPE_MAX_PY_FOLD", 1_000_000, "units of folded values per Python file")
"""Total size of every value constant folding builds in one .py/.ipynb (items and characters,
shared parts counted each time: ``a = [a, a]`` repeated is refused), and the work of unrolling."""

PY_TOKENS = Limit("RNNSHAPE_MAX_PY_TOKENS", 100_000, "operators and delimiters per Python file")
"""Size of Python source in syntax (its syntax tree costs ~1 KB a node), checked before parsing."""

NOTEBOOK_CELLS = Limit("RNNSHAPE_MAX_NOTEBOOK_CELLS", 10_000, "cells per notebook")
"""Cells in one .ipynb notebook."""

# ------------------------------------------------------------------ .keras and .h5

ZIP_MEMBER_BYTES = Limit("RNNSHAPE_MAX_ZIP_MEMBER_BYTES", 16 * 1024 * 1024, "bytes per archive member read")
"""Uncompressed size of config.json in a .keras archive (and of an .h5 model_config)."""

ZIP_RATIO = Limit("RNNSHAPE_MAX_ZIP_RATIO", 200, "to 1 compression ratio")
"""Compression ratio of config.json in a .keras archive (zip bombs compress thousands to one)."""

ZIP_MEMBERS = Limit("RNNSHAPE_MAX_ZIP_MEMBERS", 100_000, "archive members")
"""Members in a .keras archive."""

WEIGHTS_BYTES = Limit("RNNSHAPE_MAX_WEIGHTS_BYTES", 2 * 1024**3, "bytes per weights file")
"""Size of a weights file read by `rnnshape numpy --weights` (and of model.weights.h5 in a .keras)."""

INPUT_VALUES = Limit("RNNSHAPE_MAX_INPUT_VALUES", 10_000_000, "numbers in --input data")
"""Numbers in the data `rnnshape numpy --input` runs the forward pass on (a .npy file or a literal)."""

# ------------------------------------------------------------------ check

CHECK_BYTES = Limit("RNNSHAPE_CHECK_MAX_BYTES", 2 * 1024**3, "bytes of estimated memory per checked model")
"""Memory `rnnshape check` may use to build one model (parameters + activations); --force skips it."""

CHECK_MACS = Limit("RNNSHAPE_CHECK_MAX_MACS", 20_000_000_000, "multiply-adds per checked model")
"""Work `rnnshape check` may do on one model's probe input; --force skips it."""

CHECK_LAYERS = Limit("RNNSHAPE_CHECK_MAX_LAYERS", 500, "layers per checked model")
"""Layers `rnnshape check` builds in one model: Keras's graph code recurses once per layer and
runs out of Python stack near a thousand (--force does not skip this one)."""


ALL: tuple[Limit, ...] = (
    FILE_BYTES,
    STRING_CHARS,
    YAML_EVENTS,
    YAML_DEPTH,
    JSON_DEPTH,
    LAYER_DEPTH,
    LAYERS,
    DIM,
    EXPR_CHARS,
    PY_EXPR_DEPTH,
    PY_INT,
    PY_LEN,
    PY_FOLD,
    PY_TOKENS,
    NOTEBOOK_CELLS,
    ZIP_MEMBER_BYTES,
    ZIP_RATIO,
    ZIP_MEMBERS,
    WEIGHTS_BYTES,
    CHECK_BYTES,
    CHECK_MACS,
    CHECK_LAYERS,
)
