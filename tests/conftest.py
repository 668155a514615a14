"""Shared test fixtures: golden files, the CLI runner, and a real Keras when installed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDENS = Path(__file__).resolve().parent / "goldens"
# Real files written by Keras 3 and Keras 2, vendored so a fresh clone tests itself
# (tests/keras-files/README.md says where they came from and how to regenerate them).
KERAS_FILES = Path(__file__).resolve().parent / "keras-files"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/goldens/* from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden("name.txt", text)`` compares text with tests/goldens/name.txt."""
    update = request.config.getoption("--update-goldens")

    def check(name: str, text: str) -> None:
        path = GOLDENS / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"tests/goldens/{name} is missing; create it with pytest --update-goldens")
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from tests/goldens/{name}; rerun with --update-goldens if the change is intended"
        )

    return check


class CliResult:
    def __init__(self, code: int, stdout: str, stderr: str, output: str = "") -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr
        # stdout and stderr interleaved as a terminal shows them.
        self.output = output


@pytest.fixture
def cli():
    """Run the Typer app in-process: ``cli("explain", "x.yaml")`` -> CliResult."""
    from typer.testing import CliRunner

    from rnnshape.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> CliResult:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr, result.output)

    return run


@pytest.fixture(scope="session")
def keras() -> Any:
    """The real Keras 3 (TensorFlow backend), imported once per test session."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    pytest.importorskip("tensorflow", reason="the Keras cross-check tests need: pip install -e '.[test]'")
    import keras as keras_module

    return keras_module
