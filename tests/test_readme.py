"""Every `$ rnnshape ...` example in the README is run, and its output must match."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n(.*?)```", README, flags=re.S)


def examples() -> list[tuple[str, str]]:
    found = []
    for block in BLOCKS:
        lines = block.splitlines(keepends=True)
        assert lines[0].startswith("$ rnnshape "), "a console block starts with one rnnshape command"
        found.append((lines[0][2:].strip(), "".join(lines[1:])))
    return found


def test_readme_has_examples() -> None:
    assert len(examples()) >= 4


@pytest.mark.parametrize("command,expected", examples(), ids=[c for c, _ in examples()])
def test_readme_example_output(cli, monkeypatch: pytest.MonkeyPatch, command: str, expected: str) -> None:
    monkeypatch.chdir(ROOT)
    result = cli(*shlex.split(command)[1:])
    # What a user sees in a terminal: stdout, then any messages on stderr.
    assert result.stdout + result.stderr == expected


def test_readme_setup_commands_are_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert f"```sh\n{test_command}\n```" in README
    assert test_command in ci
    assert "```sh\npip install . && rnnshape explain examples/rnn_shapes.yaml\n```" in README
