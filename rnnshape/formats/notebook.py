"""Jupyter notebooks: the code cells, in order, read like one Python module.

IPython syntax is blanked before parsing (never run): line magics (``%tensorflow_version
2.x``), shell escapes (``!pip install ...``, ``files = !ls``) and cell magics (``%%bash``:
the whole cell is skipped; ``%%time``-like magics whose body is Python keep the body).
Positions name the cell (1-based, Markdown cells counted) and the line within it:
``nb.ipynb:cell 5:line 2:col 5``.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any, Mapping

from .. import limits
from ..errors import FormatError, Position, Skipped
from ..spec import LayerSpec
from .python_keras import might_define_model
from .python_source import Extraction, SourceReader
from .python_values import check_syntax_size

# Cell magics whose body is ordinary Python.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

# A line magic or shell escape, possibly assigned: ``%time``, ``!ls``, ``out = !ls``.
_MAGIC_LINE = re.compile(r"^(\s*)(?:[A-Za-z_][\w.]*\s*=\s*)?[%!]")


def cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def strip_magics(code: str) -> str | None:
    """The cell as plain Python with magics turned into ``pass``; None when it is not Python."""
    lines = code.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[first] = ""
    out = []
    for line in lines:
        match = _MAGIC_LINE.match(line)
        # Keeping a statement in place keeps line numbers and blocks (``try: %magic``) valid.
        out.append(f"{match.group(1)}pass" if match else line)
    return "\n".join(out)


def code_cells(text: str, source: str) -> list[tuple[int, str]]:
    """``(cell number, code)`` for every code cell; nbformat 4 and the older worksheet layout."""
    try:
        notebook = json.loads(text)
    except RecursionError:
        raise FormatError("not a notebook: the JSON is nested too deeply", pos=Position(source)) from None
    except ValueError as err:
        raise FormatError(f"not a notebook: invalid JSON ({limits.number_error_text(err)})", pos=Position(source)) from None
    if not isinstance(notebook, dict):
        raise FormatError("not a notebook: the JSON is not an object", pos=Position(source))
    cells = notebook.get("cells")
    worksheets = notebook.get("worksheets")
    if cells is None and isinstance(worksheets, list) and worksheets and isinstance(worksheets[0], dict):
        cells = worksheets[0].get("cells")  # nbformat 3
    if not isinstance(cells, list):
        raise FormatError("not a notebook: no 'cells' list", pos=Position(source))
    if len(cells) > limits.value(limits.NOTEBOOK_CELLS):
        raise FormatError(limits.exceeded(limits.NOTEBOOK_CELLS, f"the notebook has {len(cells):,} cells"), pos=Position(source))
    return [
        (number, cell_source(cell))
        for number, cell in enumerate(cells, start=1)
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    ]


def extract_notebook(
    text: str, source: str, given: LayerSpec | None = None, settings: Mapping[str, Any] | None = None
) -> Extraction:
    """Every Keras model a notebook's code cells define; ``given`` and ``settings`` as for ``extract_python``."""
    if not might_define_model(text):
        return Extraction()
    reader = SourceReader(source, settings)
    syntax = 0
    for number, code in code_cells(text, source):
        python = strip_magics(code)
        if python is None or not python.strip():
            continue
        syntax = check_syntax_size(python, source, syntax)
        try:
            tree = ast.parse(python)
        except SyntaxError as err:
            reader.warnings.append(
                Skipped(
                    f"cell {number} is not valid Python ({limits.number_error_text(SyntaxError(err.msg))}) and was skipped",
                    pos=Position(source, err.lineno, err.offset, number),
                )
            )
            continue
        except (ValueError, RecursionError, MemoryError):
            reader.warnings.append(Skipped(f"cell {number} cannot be parsed and was skipped", pos=Position(source, cell=number)))
            continue
        reader.cell = number
        try:
            reader.read(tree.body)
        except RecursionError:
            raise FormatError("the code is nested too deeply to be read", pos=Position(source, cell=number)) from None
    return reader.finish(given)
