"""The package stays mypy --strict clean (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


def test_package_is_mypy_clean() -> None:
    pytest.importorskip("mypy", reason="mypy is part of the test extra")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "rnnshape"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
