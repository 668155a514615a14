"""``rnnshape lint``: rules as data, checks that yield problems, and the file runner.

Never imports TensorFlow or NumPy: everything here follows shapes with the pure core.
"""

from __future__ import annotations

from .problem import Finding, Level, Problem
from .registry import RULES
from .rule import Rule
from .runner import FileResult, exit_code, lint_file, lint_paths
from .settings import Settings, load_settings

__all__ = [
    "RULES", "FileResult", "Finding", "Level", "Problem", "Rule", "Settings",
    "exit_code", "lint_file", "lint_paths", "load_settings",
]

# `rnnshape.lint(...)` calls the API function of this name (see callable_module.py).
from ..callable_module import make_callable  # noqa: E402

make_callable(__name__)
