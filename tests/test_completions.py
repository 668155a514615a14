"""Shell completions: the checked-in scripts are current, and real shells complete with them."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPLETIONS = ROOT / "completions"
sys.path.insert(0, str(COMPLETIONS))

import generate  # noqa: E402  (completions/generate.py)


@pytest.mark.parametrize("shell", sorted(generate.FILES))
def test_checked_in_scripts_are_current(shell: str) -> None:
    path = COMPLETIONS / generate.FILES[shell]
    assert path.read_text(encoding="utf-8") == generate.script(shell), (
        f"completions/{path.name} is stale: run python completions/generate.py"
    )


@pytest.fixture
def rnnshape_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has an `rnnshape` that runs this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "rnnshape"
    exe.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m rnnshape "$@"\n', encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def _run(argv: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


BASH_PROBE = """
source {script}
complete_at() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=();
  _rnnshape_completion rnnshape; echo "${{COMPREPLY[*]}}"; }}
complete_at rnnshape l
complete_at rnnshape lint --s
complete_at rnnshape lint --format ''
complete -p rnnshape
"""


def needs(program: str) -> pytest.MarkDecorator:
    """Skip where the shell is missing on a developer's machine; in CI (.ci/run installs it) run and fail."""
    missing = shutil.which(program) is None and not os.environ.get("CI")
    return pytest.mark.skipif(missing, reason=f"{program} is not installed (apt-get install {program})")


@needs("bash")
def test_bash_completes_commands_options_and_values(rnnshape_on_path: dict[str, str]) -> None:
    out = _run(["bash", "-c", BASH_PROBE.format(script=COMPLETIONS / "rnnshape.bash")], rnnshape_on_path)
    commands, options, formats, registered = out.splitlines()
    assert commands.split() == ["layers", "lint"]
    assert options.split() == ["--select", "--strict", "--set"]
    assert formats.split() == ["text", "json", "github", "sarif"]
    assert registered.endswith(" rnnshape") and "_rnnshape_completion" in registered


@needs("fish")
def test_fish_completes_commands_and_options(rnnshape_on_path: dict[str, str]) -> None:
    probe = f'source {COMPLETIONS / "rnnshape.fish"}; complete -C "rnnshape r"; echo ---; complete -C "rnnshape lint --st"'
    out = _run(["fish", "-c", probe], rnnshape_on_path)
    first, second = out.split("---\n")
    assert [line.split("\t")[0] for line in first.splitlines()] == ["rules"]
    assert [line.split("\t")[0] for line in second.splitlines()] == ["--strict"]


@needs("zsh")
def test_zsh_script_produces_completions(rnnshape_on_path: dict[str, str]) -> None:
    # zsh's completion system needs a terminal; stub its two entry points and run the real script.
    probe = (
        "compdef() { : }; _arguments() { print -r -- \"$@\" }; "
        f"source {COMPLETIONS / '_rnnshape'}; words=(rnnshape l); CURRENT=2; _rnnshape_completion"
    )
    out = _run(["zsh", "-f", "-c", probe], rnnshape_on_path)
    assert '"layers":' in out and '"lint":' in out and '"explain":' not in out
