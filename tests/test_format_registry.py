"""The format registry is the one place that knows the input formats: what it decides,
and that everything else (the pre-commit hooks, loading, lint, numpy) follows it."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from rnnshape.formats import load_entries, registry
from rnnshape.formats.registry import FORMATS, H5, JSON, KERAS, MODEL_SUFFIXES, NOTEBOOK, PYTHON, YAML, Format
from rnnshape.lint.discover import not_a_model
from rnnshape.spec import ModelSpec

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnnshape"
HDF5 = b"\x89HDF\r\n\x1a\n"
ZIP = b"PK\x03\x04"


def _hooks() -> dict[str, dict[str, str]]:
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def _hooked_suffixes(pattern: str) -> set[str]:
    """Which registry suffixes a hook's ``files`` regex (pre-commit: re.search) takes."""
    return {s for s in MODEL_SUFFIXES if re.search(pattern, f"models/model{s}")}


def test_lint_hook_takes_exactly_the_registry_suffixes() -> None:
    pattern = _hooks()["rnnshape-lint"]["files"]
    assert _hooked_suffixes(pattern) == set(MODEL_SUFFIXES)
    for name in ("notes.txt", "model.yaml.bak", "model.jsonl", "cache.pyc", "model.h5x", "yaml", "model_yaml"):
        assert not re.search(pattern, name), name


def test_check_hook_takes_whole_formats_of_the_registry() -> None:
    pattern = _hooks()["rnnshape-check"]["files"]
    taken = _hooked_suffixes(pattern)
    # A format is taken with all its suffixes or not at all (.h5 without .hdf5 was a gap).
    for fmt in FORMATS:
        assert set(fmt.suffixes) <= taken or not set(fmt.suffixes) & taken, fmt.name
    assert {KERAS, H5, JSON, YAML} <= {f for f in FORMATS if set(f.suffixes) <= taken}
    assert not re.search(pattern, "model.txt")


def test_the_table_is_consistent() -> None:
    assert len(MODEL_SUFFIXES) == len(set(MODEL_SUFFIXES))
    assert all(s.startswith(".") and s == s.lower() for s in MODEL_SUFFIXES)
    assert [f for f in FORMATS if f.fallback] == [YAML]
    assert registry.WEIGHT_SUFFIXES == KERAS.suffixes + H5.suffixes
    for fmt in FORMATS:
        # A binary format is recognised by its bytes and reads the file itself; a text one gets its text.
        assert bool(fmt.signatures) == (not fmt.text), fmt.name
        assert registry.HEAD_BYTES >= max((s.offset + len(s.magic) for s in fmt.signatures), default=0)
    # Lint honours inline ignore comments where the format has a comment syntax it reads.
    assert [f.ignore_comment for f in FORMATS if f.ignore_comment] == ["#"]


def _never(what: str) -> Callable[[], Any]:
    def fail() -> Any:
        raise AssertionError(f"{what} was read, but the suffix alone decides")

    return fail


@pytest.mark.parametrize(
    ("name", "head", "text", "expected"),
    [
        ("model.yaml", b"layers: []", "layers: []", YAML),
        ("model.yml", b"input_shape: [3]", "input_shape: [3]", YAML),
        ("model.txt", b"layers: []", "layers: []", YAML),  # an unknown suffix: text that is not JSON
        ("model.yaml", b' \n{"class_name": 1}', ' \n{"class_name": 1}', JSON),  # JSON text is JSON whatever its name
        ("model", b"[1]", "[1]", JSON),
        ("model.json", b"layers: []", "layers: []", JSON),  # the suffix claims it when the text does not
        ("model.keras", ZIP + b"rest", "", KERAS),
        ("model.keras", b"garbage", "", KERAS),  # the archive reader reports the broken zip
        ("model.keras", b'  {"class_name": "Sequential"}', '{"class_name": "Sequential"}', JSON),
        ("model.keras", HDF5, "", KERAS),  # the .keras name wins over an HDF5 signature
        ("model.h5", ZIP + b"rest", "", H5),  # as in keras.saving: an .h5 name is read as HDF5 whatever it holds
        ("model.h5", b"{}", "{}", H5),
        ("weights.HDF5", b"", "", H5),
        ("model.bin", HDF5, "", H5),
        ("model.bin", b"\0" * 512 + HDF5, "", H5),  # after a 512-byte user block
        ("model.yaml", ZIP, "", KERAS),
    ],
)
def test_format_of(name: str, head: bytes, text: str, expected: Format) -> None:
    assert registry.format_of(name, lambda: head, lambda: text) is expected


@pytest.mark.parametrize(("name", "expected"), [("train.py", PYTHON), ("Lesson.IPYNB", NOTEBOOK)])
def test_source_code_is_chosen_by_suffix_without_reading_it(name: str, expected: Format) -> None:
    assert registry.format_of(name, _never("the head"), _never("the text")) is expected


def test_binary_formats_are_never_decoded() -> None:
    assert registry.format_of("m.keras", lambda: ZIP, _never("the text")) is KERAS


def test_loading_and_lint_use_the_registry_reader_and_sniffer(tmp_path: Path) -> None:
    # A JSON model named .yaml is read by the JSON reader through the registry's choice.
    path = tmp_path / "model.yaml"
    path.write_text(
        '{"class_name": "Sequential", "config": {"name": "s", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_shape": [null, 4, 2], "name": "in"}},'
        '{"class_name": "LSTM", "config": {"units": 3, "name": "lstm"}}]}}',
        encoding="utf-8",
    )
    (entry,) = load_entries(str(path))
    assert isinstance(entry, ModelSpec) and entry.name == "s"
    # Lint asks the registry's YAML sniffer, which wants a top-level layers: key.
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\n", encoding="utf-8")
    assert not_a_model(str(workflow)) == "no top-level 'layers:' key, so not a model config"
    assert not_a_model(str(tmp_path / "notes.txt")) == f"not a model file type ({', '.join(MODEL_SUFFIXES)})"


def test_no_other_module_spells_a_model_suffix() -> None:
    """Suffixes live in the registry only; everything else asks it."""
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "registry.py" and path.parent.name == "formats":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in MODEL_SUFFIXES:
                spelled.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    # The NumPy generator names its own output module, which is not an input format.
    assert [s for s in spelled if not s.startswith("numpy_gen/__init__.py:")] == []
