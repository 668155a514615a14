"""README.md lists every lint rule code and every command."""

from __future__ import annotations

from pathlib import Path

from rnnshape.cli import app
from rnnshape.lint import RULES

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme() -> str:
    assert README.exists(), "README.md is missing"
    return README.read_text(encoding="utf-8")


def test_readme_lists_every_rule_code() -> None:
    text = _readme()
    missing = [code for code in RULES if code not in text]
    assert not missing, f"README.md does not list the rules {missing}"


def test_readme_lists_every_command() -> None:
    text = _readme()
    commands = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    missing = [name for name in commands if f"rnnshape {name}" not in text]
    assert not missing, f"README.md does not mention the commands {missing}"
