"""The real `pre-commit` tool runs the rnnshape-lint hook of this repository.

`pre-commit try-repo` installs the hook repository from git: its HEAD plus tracked
files that are modified or staged (it builds a shadow commit for those). Untracked
files are NOT included, so commit (or at least `git add`) new files before this test.
It creates a fresh virtualenv and pip-installs this package, so it needs the package
index (or a pip cache) and takes a minute or two.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
FIX = ROOT / "tests" / "lint_fixtures"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="needs pre-commit and git: pip install -e '.[test]'",
)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "rnnshape tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "rnnshape tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def _try_repo(project: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_COLOR": "never"}
    env.pop("PYTHONPATH", None)  # the hook must run from its own installed copy
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "rnnshape-lint", "--files", *files],
        cwd=project, capture_output=True, text=True, env=env, timeout=900,
    )


def test_try_repo_passes_good_and_fails_bad_config(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    shutil.copy(FIX / "RS101" / "good.yaml", project / "good.yaml")
    shutil.copy(FIX / "RS101" / "bad.yaml", project / "bad.yaml")
    (project / "workflow.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")  # not a model
    # Python sources: a seed notebook's Keras 2 idiom is flagged, a plain script is skipped.
    shutil.copy(SEEDS / "seed_003.py", project / "rnn_basics.py")
    (project / "train.py").write_text("import keras\nprint(keras.__version__)\n", encoding="utf-8")
    # A legacy Keras 2 .h5: the hook brings h5py along to read it.
    shutil.copy(ROOT / "examples" / "broken" / "keras2_seq_rnn.h5", project / "old.h5")
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    subprocess.run(["git", "commit", "-qm", "configs"], cwd=project, check=True, env={**os.environ, **GIT_ENV})

    both = _try_repo(project, "good.yaml", "bad.yaml", "workflow.yaml", "rnn_basics.py", "train.py", "old.h5")
    out = both.stdout + both.stderr
    assert both.returncode == 1, out[-3000:]
    assert "rnnshape lint" in out and "Failed" in out
    assert "bad.yaml:4:5: RS101 [error]" in out
    assert "rnn_basics.py:27:48: RS201 [error]" in out
    assert "old.h5[model_config]:1:244: RS201 [error] time_major=" in out
    assert "good.yaml:" not in out and "workflow.yaml:" not in out and "train.py" not in out

    good = _try_repo(project, "good.yaml", "workflow.yaml", "train.py")
    assert good.returncode == 0, (good.stdout + good.stderr)[-3000:]
    assert "Passed" in good.stdout
