"""The nearest ``pyproject.toml``'s ``[tool.rnnshape]`` table: one reader for every setting.

Lint reads its rule selection from it and the Python-source reader its ``set`` values,
so the table is found and parsed here, below both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import Position, UsageError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None  # type: ignore[assignment]


def find_pyproject(start: str | os.PathLike[str]) -> Path | None:
    """The nearest pyproject.toml with a [tool.rnnshape] table, from ``start`` upwards."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and tomllib is not None:
            data = _read_toml(candidate)
            if isinstance(data.get("tool"), dict) and "rnnshape" in data["tool"]:
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    """A pyproject.toml as data; anything unreadable (also nesting too deep for the parser's
    recursion) is a usage error naming the file."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"cannot read the lint settings: {err}", pos=Position(str(path))) from None
    except RecursionError:
        raise UsageError("cannot read the lint settings: nested too deeply", pos=Position(str(path))) from None
    return data


def string_list(table: dict[str, Any], key: str, source: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{source}: [tool.rnnshape] {key} must be a list of strings")
    return value


def rnnshape_table(start: str | os.PathLike[str]) -> tuple[Path | None, dict[str, Any]]:
    path = find_pyproject(start)
    table: dict[str, Any] = {}
    if path is not None and tomllib is not None:
        table = _read_toml(path)["tool"]["rnnshape"]
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [tool.rnnshape] must be a table")
    return path, table


def load_set_values(start: str | os.PathLike[str] = ".") -> tuple[list[str], str]:
    """The ``set = ["NAME=VALUE", ...]`` list of the nearest [tool.rnnshape], and its file."""
    path, table = rnnshape_table(start)
    source = str(path) if path else "pyproject.toml"
    return string_list(table, "set", source), source
