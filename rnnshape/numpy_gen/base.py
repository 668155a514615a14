"""What a NumPy forward template receives and what it hands back.

A template turns one Keras layer (its resolved config, shapes and weights) into one
or more Python function definitions. The module writer then calls those functions
from ``forward(x)`` in graph order.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Callable, Mapping, Sequence

from ..spec import Shape
from ..symbols import Symbols
from .layout import COLUMNS, ROWS, Layout
# The weight layouts, also importable from here (the module writer reads them from base).
from .layout import AS_IS as AS_IS, COLUMN_BIAS as COLUMN_BIAS, TRANSPOSE as TRANSPOSE
from ..records import record

KERAS = "keras"
COLUMN = "column"


@record
class Site:
    """One layer as a template sees it."""

    name: str  # the Keras layer name (the key of WEIGHTS)
    fn: str  # the Python function to define
    class_name: str
    cfg: Mapping[str, Any]  # resolved config: Keras 3 names and defaults
    in_shapes: tuple[Shape, ...]
    out_shapes: tuple[Shape, ...]
    in_syms: tuple[Symbols, ...]
    out_syms: tuple[Symbols, ...]
    weight_ref: str  # expression for this layer's weight list, e.g. WEIGHTS["lstm"]
    n_weights: int  # how many arrays that list holds
    convention: str = KERAS
    trace: bool = False
    has_mask: bool = False  # whether a mask (N, T) arrives with the input
    n_states: int = 0  # initial states passed to a recurrent layer

    @property
    def column(self) -> bool:
        return self.convention == COLUMN

    @property
    def layout(self) -> Layout:
        """The spellings of this site's convention (rows or columns)."""
        return COLUMNS if self.column else ROWS

    def in_sym(self, axis: int = -1, index: int = 0) -> str:
        return sym_at(self.in_syms[index] if self.in_syms else (), self.in_shapes[index] if self.in_shapes else (), axis)

    def out_sym(self, axis: int = -1, index: int = 0) -> str:
        return sym_at(self.out_syms[index] if self.out_syms else (), self.out_shapes[index], axis)

    def in_shape_text(self, index: int = 0) -> str:
        return shape_text(self.in_shapes[index], self.in_syms[index] if self.in_syms else ())

    def out_shape_text(self, index: int = 0) -> str:
        return shape_text(self.out_shapes[index], self.out_syms[index] if self.out_syms else ())


def sym_at(syms: Symbols, shape: Shape, axis: int) -> str:
    try:
        name = syms[axis]
    except IndexError:
        name = None
    if name:
        return name
    try:
        dim = shape[axis]
    except IndexError:
        return "?"
    return "?" if dim is None else str(dim)


def shape_text(shape: Shape, syms: Symbols) -> str:
    """``(N, T, M)``: named axes by name, the others by size."""
    parts = []
    for i, dim in enumerate(shape):
        name = syms[i] if i < len(syms) else None
        parts.append(name or ("None" if dim is None else str(dim)))
    return "(" + ", ".join(parts) + (",)" if len(parts) == 1 else ")")


@record
class LayerCode:
    """A template's answer for one layer."""

    functions: tuple[str, ...]  # full ``def`` blocks, helpers of this layer first
    summary: str  # one line for the header: what the layer computes
    helpers: frozenset[str] = frozenset()
    takes_mask: bool = False
    # The mask of the output: None (no mask), "same" (the input's), or an expression
    # over ``{x}`` (the input variable) that computes a new one.
    mask_out: str | None = None
    stems: tuple[str, ...] = ("a",)  # variable names for the outputs in forward()
    # Per weight, how the column convention stores it (keras convention: always as is).
    layouts: tuple[str, ...] = ()
    equations: tuple[str, ...] = field(default_factory=tuple)  # for documents
    list_input: bool = False  # merge layers take a list of tensors


Template = Callable[[Site], LayerCode]


def comment_pad(code: str, comment: str, width: int = 44) -> str:
    """``code  # comment`` with comments lined up where the code is short enough."""
    if not comment:
        return code
    stripped = len(code)
    pad = max(width - stripped, 2)
    return f"{code}{' ' * pad}# {comment}"


def function_def(site: Site, doc: str, body: Sequence[tuple[str, str]], params: str = "x") -> str:
    """``def <site.fn>(params):`` with a one-line docstring and commented body lines."""
    lines = [f"def {site.fn}({params}):", f'    """{site.name}: {doc}"""']
    lines += [comment_pad("    " + code, comment, 48) for code, comment in body]
    return "\n".join(lines)


def clean(text: object) -> str:
    """Text safe inside generated comments, docstrings and string literals."""
    return "".join(ch if (ch.isprintable() and ch not in "\"'\\{}") else "_" for ch in str(text))
