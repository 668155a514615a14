"""Which rules run: ``--select``/``--ignore``/``--strict`` and ``[tool.rnnshape]`` in pyproject.toml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..errors import Position, UsageError
from ..layers.base import did_you_mean
from .registry import RULES, known_pattern, matches

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()
    config_file: str | None = None
    # --set NAME=VALUE and [tool.rnnshape] set: values of Python sources known only at run time.
    values: tuple[tuple[str, Any], ...] = ()

    def wants(self, code: str) -> bool:
        return matches(code, self.select) and not matches(code, self.ignore)


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


def split_codes(values: Sequence[str], where: str) -> tuple[str, ...]:
    """``["RS1,RS203", "RS9"]`` -> ``("RS1", "RS203", "RS9")``, each checked against the rules."""
    codes: list[str] = []
    for value in values:
        for part in str(value).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not known_pattern(code):
                hint = did_you_mean(code, list(RULES))
                raise UsageError(
                    f"{where}: no rule code starts with '{code}'",
                    hint=hint or "run `rnnshape rules` to list the codes",
                )
            codes.append(code)
    return tuple(codes)


def _strings(table: dict[str, Any], key: str, source: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{source}: [tool.rnnshape] {key} must be a list of strings")
    return value


def _table(start: str | os.PathLike[str]) -> tuple[Path | None, dict[str, Any]]:
    path = find_pyproject(start)
    table: dict[str, Any] = {}
    if path is not None and tomllib is not None:
        table = _read_toml(path)["tool"]["rnnshape"]
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [tool.rnnshape] must be a table")
    return path, table


def load_set_values(start: str | os.PathLike[str] = ".") -> tuple[list[str], str]:
    """The ``set = ["NAME=VALUE", ...]`` list of the nearest [tool.rnnshape], and its file."""
    path, table = _table(start)
    source = str(path) if path else "pyproject.toml"
    return _strings(table, "set", source), source


def load_settings(
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    strict: bool = False,
    start: str | os.PathLike[str] = ".",
    set_values: Sequence[str] | None = None,
) -> Settings:
    """Settings from the nearest pyproject.toml, overridden by the command line.

    ``--select`` replaces the file's ``select``; ``--ignore`` adds to its ``ignore``;
    ``--strict`` or ``strict = true`` makes warnings fail the run.
    """
    from ..formats.python_settings import parse_settings

    path, table = _table(start)
    source = str(path) if path else "pyproject.toml"
    values = {**parse_settings(_strings(table, "set", source), f"{source} set"), **parse_settings(set_values or [])}
    file_select = split_codes(_strings(table, "select", source), f"{source} select")
    file_ignore = split_codes(_strings(table, "ignore", source), f"{source} ignore")
    cli_select = split_codes(select or [], "--select")
    cli_ignore = split_codes(ignore or [], "--ignore")
    file_strict = table.get("strict", False)
    if not isinstance(file_strict, bool):
        raise UsageError(f"{source}: [tool.rnnshape] strict must be true or false")
    return Settings(
        select=cli_select or file_select or ("ALL",),
        ignore=file_ignore + cli_ignore,
        strict=strict or file_strict,
        exclude=tuple(_strings(table, "exclude", source)),
        config_file=str(path) if path else None,
        values=tuple(values.items()),
    )
