"""Every hostile input of tests/bad-inputs/expected.yaml, run as a real process.

Each case must exit with its expected code and first line of message, print no
traceback, stay under 200 MB of peak memory (that process's own peak RSS, measured by a small launcher;
``RLIMIT_DATA`` of 1 GiB is a backstop), and write nothing.
The timeout only detects a hang; nothing asserts on seconds (bench/hostile_bench.py
prints the measured times).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hostile import Case, cases, prepare, run_case

PEAK_RSS_LIMIT = 200 * 1024 * 1024
HANG_TIMEOUT = 120.0
CASES = cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-inputs")
    prepare(folder)
    return folder


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for entry in os.scandir(folder):
        info = entry.stat(follow_symlinks=False)
        out[entry.name] = (stat.S_IFMT(info.st_mode), info.st_size if stat.S_ISREG(info.st_mode) else 0)
    return out


def test_manifest_covers_the_issue() -> None:
    names = " ".join(c.name for c in CASES).lower()
    for needle in ("billion laughs", "zip bomb", "10,000-deep", "50 mb json", "binary garbage", "non-utf-8",
                   "empty", "directory named model.yaml", "symlink loop", "units nan", "units inf",
                   "units negative", "units float", "units string", "units 1e30", "fifo", "bom"):
        assert needle in names, needle


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, corpus: Path) -> None:
    before = _listing(corpus)
    outcome = run_case(case, corpus, timeout=HANG_TIMEOUT, memory_limit=1024**3)
    assert not outcome.timed_out, f"{case.name}: no answer within {HANG_TIMEOUT:.0f} s (a hang)"
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.stderr[-3000:]
    assert outcome.code == case.exit, f"{case.name}: exit {outcome.code}\n{outcome.stderr[-2000:]}"
    assert case.message_line(outcome.stdout, outcome.stderr) == case.first_line
    assert 0 < outcome.peak_rss_bytes < PEAK_RSS_LIMIT, f"{case.name}: peak RSS {outcome.peak_rss_bytes:,} bytes"
    assert _listing(corpus) == before, f"{case.name}: wrote into the input folder"


def test_deeply_nested_pyproject_is_a_usage_error(tmp_path: Path) -> None:
    # The settings file is found from the working directory, so this case needs a folder of its own.
    (tmp_path / "pyproject.toml").write_text("[tool.rnnshape]\nselect = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("input_shape: [10, 3]\nlayers:\n  - LSTM: 4\n", encoding="utf-8")
    case = Case("deep pyproject.toml", ["lint", "m.yaml"], 2, "")
    outcome = run_case(case, tmp_path, timeout=HANG_TIMEOUT, memory_limit=1024**3)
    assert "Traceback" not in outcome.stderr
    assert outcome.code == 2, outcome.stderr
    assert outcome.stderr.splitlines()[0] == f"rnnshape: error: {tmp_path / 'pyproject.toml'}: cannot read the lint settings: nested too deeply"
