"""Every `$ rnnshape ...` example in README.md and docs/*.md is run; its output must match.

`pytest --update-goldens` rewrites the outputs in the documents from what the tool
prints now (review the diff). Library versions and float round-off are not compared.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```console\n(\$ rnnshape [^\n]*)\n(.*?)```", flags=re.S)
# What legitimately varies between machines: library versions and float round-off.
VARIES = re.compile(r"TensorFlow \d[\w.]* · Keras \d[\w.]*|max \|numpy - keras\| = [\d.e+-]+")


def examples() -> list[tuple[Path, str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert text.count("```console") == len(BLOCK.findall(text)), f"{doc.name}: a console block must start with one `$ rnnshape` command"
        found += [(doc, cmd[2:], out) for cmd, out in BLOCK.findall(text)]
    return found


def test_docs_have_examples() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize("doc,command,expected", examples(), ids=[f"{d.name}: {c}" for d, c, _ in examples()])
def test_documented_output(cli, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, doc: Path, command: str, expected: str) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "200")
    result = cli(*shlex.split(command)[1:])
    if request.config.getoption("--update-goldens"):
        text = doc.read_text(encoding="utf-8")
        old = f"```console\n$ {command}\n{expected}```"
        assert old in text
        doc.write_text(text.replace(old, f"```console\n$ {command}\n{result.output}```", 1), encoding="utf-8")
        return
    assert VARIES.sub("<varies>", result.output) == VARIES.sub("<varies>", expected)


def test_readme_setup_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert f"```sh\n{test_command}\n```" in readme
    assert test_command in ci
    assert "```sh\npip install . && rnnshape explain examples/rnn_shapes.yaml\n```" in readme


def test_docs_are_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in DOCS[1:]:
        assert f"docs/{doc.name}" in readme, f"README.md does not link docs/{doc.name}"
