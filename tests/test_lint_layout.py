"""The lint package's layout: each rule's record beside its check, no rule module importing
another, and modules and functions short enough to read."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from rnnshape.lint import registry

LINT_DIR = Path(registry.__file__).parent
RULE_MODULES = sorted(p.stem for p in LINT_DIR.glob("rules_*.py"))


def test_registry_gathers_every_rule_module() -> None:
    assert sorted(m.__name__.rsplit(".", 1)[1] for m in registry.RULE_MODULES) == RULE_MODULES


def test_codes_are_unique_and_listed_in_code_order() -> None:
    codes = [rule.code for module in registry.RULE_MODULES for rule in module.RULES]
    assert len(codes) == len(set(codes))
    assert list(registry.RULES) == sorted(codes)


@pytest.mark.parametrize("name", RULE_MODULES)
def test_each_record_is_named_by_its_code_beside_its_check(name: str) -> None:
    module = importlib.import_module(f"rnnshape.lint.{name}")
    for rule in module.RULES:
        # The record is the module-level name RSxxx, so a reader finds it by its code ...
        assert getattr(module, rule.code) is rule
        # ... and its check is defined in the same module, not imported from elsewhere.
        if rule.check is not None:
            assert rule.check.__module__ == module.__name__, rule.code


@pytest.mark.parametrize("name", RULE_MODULES)
def test_rule_modules_do_not_import_each_other(name: str) -> None:
    tree = ast.parse((LINT_DIR / f"{name}.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {m for m in imported if m.startswith("rules_")}, name


@pytest.mark.parametrize("path", sorted(LINT_DIR.glob("*.py")), ids=lambda p: p.name)
def test_lint_modules_and_functions_are_short(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 450
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno is not None
            assert node.end_lineno - node.lineno + 1 <= 80, node.name
