"""docs/api.md documents every public name, and its examples run as written."""

from __future__ import annotations

import doctest
import re

import rnnshape
from conftest import ROOT

API_DOC = ROOT / "docs" / "api.md"


def test_every_public_name_has_a_section() -> None:
    headings = set(re.findall(r"^### `([\w.]+)`$", API_DOC.read_text(encoding="utf-8"), flags=re.M))
    assert set(rnnshape.__all__) <= headings, sorted(set(rnnshape.__all__) - headings)
    assert all(hasattr(rnnshape, name) for name in rnnshape.__all__)
    assert set(dir(rnnshape)) >= set(rnnshape.__all__)


def test_examples_run_as_written() -> None:
    result = doctest.testfile(str(API_DOC), module_relative=False, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted >= 8
    assert result.failed == 0


def test_readme_notebook_example_runs(keras) -> None:
    """The README's "In a notebook" code, run as written on a live Keras model."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## In a notebook", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    report = rnnshape.explain(namespace["model"], symbols=True)
    assert report.agrees_with_built_model is True
    assert [layer.params for layer in report.layers] == [5248, 4800, 132]
