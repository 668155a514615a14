"""README.md lists every lint rule code and every command (readme_sections/lint.md feeds it).

In the lint branch README.md does not exist yet: the lead merges readme_sections/lint.md
into it, and this test fails until then, on purpose.
"""

from __future__ import annotations

from pathlib import Path

from rnnshape.cli import app
from rnnshape.lint import RULES

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme() -> str:
    assert README.exists(), "README.md is missing (merge readme_sections/*.md into it)"
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


def test_readme_section_lists_every_rule_and_lint_command() -> None:
    """The section this branch hands over is complete today."""
    section = (README.parent / "readme_sections" / "lint.md").read_text(encoding="utf-8")
    assert all(f"| {code} |" in section for code in RULES)
    assert all(f"rnnshape {name}" in section for name in ("lint", "rules", "explain", "layers"))
