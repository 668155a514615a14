"""Which rules run: ``--select``/``--ignore``/``--strict`` and ``[tool.rnnshape]`` in pyproject.toml."""

from __future__ import annotations

import os
from typing import Any, Sequence

from ..errors import UsageError
from ..layers.base import did_you_mean
from ..project_config import rnnshape_table, string_list
from .registry import RULES, known_pattern, matches
from ..records import record


@record
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()
    config_file: str | None = None
    # --set NAME=VALUE and [tool.rnnshape] set: values of Python sources known only at run time.
    values: tuple[tuple[str, Any], ...] = ()
    # What the command should tell the user about the config (a misspelt key), one line each.
    warnings: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        return matches(code, self.select) and not matches(code, self.ignore)


KEYS = ("select", "ignore", "strict", "exclude", "set")  # every key [tool.rnnshape] reads


def unknown_keys(table: dict[str, Any], source: str) -> tuple[str, ...]:
    """A warning for each key of [tool.rnnshape] that nothing reads (a misspelling is
    otherwise silently ignored), with the key it probably meant."""
    warnings = []
    for key in table:
        if key not in KEYS:
            close = did_you_mean(str(key), list(KEYS))
            warnings.append(f"{source}: [tool.rnnshape] has no setting '{key}'" + (f"; {close}" if close else f" (known: {', '.join(KEYS)})"))
    return tuple(warnings)


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

    path, table = rnnshape_table(start)
    source = str(path) if path else "pyproject.toml"
    values = {**parse_settings(string_list(table, "set", source), f"{source} set"), **parse_settings(set_values or [])}
    file_select = split_codes(string_list(table, "select", source), f"{source} select")
    file_ignore = split_codes(string_list(table, "ignore", source), f"{source} ignore")
    cli_select = split_codes(select or [], "--select")
    cli_ignore = split_codes(ignore or [], "--ignore")
    file_strict = table.get("strict", False)
    if not isinstance(file_strict, bool):
        raise UsageError(f"{source}: [tool.rnnshape] strict must be true or false")
    return Settings(
        select=cli_select or file_select or ("ALL",),
        ignore=file_ignore + cli_ignore,
        strict=strict or file_strict,
        exclude=tuple(string_list(table, "exclude", source)),
        config_file=str(path) if path else None,
        values=tuple(values.items()),
        warnings=unknown_keys(table, source),
    )
