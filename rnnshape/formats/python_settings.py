"""``--set NAME=VALUE``: values a Python source computes from data, given on the command line.

NAME is a variable (``vocab_size``) or the exact expression a refusal names where no
variable holds the value (``raw_data.shape[-1]``, ``len(chars)``); it is compared in
the canonical spelling ``ast.unparse`` gives, so spaces and quotes do not matter.
VALUE is a Python literal, read with ``ast.literal_eval`` (nothing is run).
"""

from __future__ import annotations

import ast
from typing import Any, Iterable, Mapping

from ..errors import UsageError


def canonical(expression: str) -> str | None:
    """The expression as ``ast.unparse`` spells it; None when it is not one expression."""
    try:
        return ast.unparse(ast.parse(expression.strip(), mode="eval"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def split_setting(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` at the first ``=`` that is not part of ``==``, ``<=``, ``>=`` or ``!=``."""
    for i, ch in enumerate(text):
        if ch != "=":
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if after != "=" and before not in "=<>!":
            return text[:i], text[i + 1 :]
    raise UsageError(f"--set {text!r}: expected NAME=VALUE, e.g. --set vocab_size=10000")


def parse_settings(items: Iterable[str], where: str = "--set") -> dict[str, Any]:
    """Each ``NAME=VALUE`` as {canonical NAME: value}."""
    settings: dict[str, Any] = {}
    for text in items:
        name, value_text = split_setting(text)
        settings.update(settings_from_mapping({name: value_text}, where, literal_text=True))
    return settings


def settings_from_mapping(table: Mapping[str, Any], where: str, *, literal_text: bool = False) -> dict[str, Any]:
    """Settings from a mapping (``[tool.rnnshape.set]`` in pyproject.toml holds TOML values)."""
    settings: dict[str, Any] = {}
    for name, raw in table.items():
        key = canonical(name)
        if key is None:
            raise UsageError(f"{where} {name!r}: the name must be a variable or a Python expression such as len(chars)")
        if literal_text:
            try:
                value = ast.literal_eval(str(raw).strip())
            except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
                raise UsageError(
                    f"{where} {name}={raw}: the value must be a Python literal such as 14, (784, 1) or 'text'"
                ) from None
        else:
            value = raw
        settings[key] = value
    return settings


def merged_settings(given: Mapping[str, Any] | None) -> dict[str, Any]:
    """``[tool.rnnshape] set = ["NAME=VALUE", ...]`` of the nearest pyproject.toml, then
    the command line's --set values over them."""
    return {**config_settings(), **(given or {})}


_CONFIG: dict[str, dict[str, Any]] = {}


def config_settings(start: str = ".") -> dict[str, Any]:
    """The pyproject.toml ``set`` list (read once per process and folder)."""
    if start not in _CONFIG:
        from ..lint.settings import load_set_values

        items, source = load_set_values(start)
        _CONFIG[start] = parse_settings(items, f"{source} set")
    return _CONFIG[start]
