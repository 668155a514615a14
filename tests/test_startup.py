"""What start-up costs, guarded by structure rather than by time (issue 11): each run imports
what its output needs and nothing else, builds only the command it runs, and the process
leaves as soon as its output is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnnshape.cli import app
from rnnshape.commands.process import only_the_invoked_command

ROOT = Path(__file__).resolve().parent.parent

# Never needed to explain a model: other commands, other renderers, heavy libraries.
NEVER = ("rnnshape.lint", "rnnshape.draw", "rnnshape.check", "rnnshape.numpy_gen", "rnnshape.api", "rnnshape.results",
         "numpy", "tensorflow", "keras", "h5py")


def _modules_after(*args: str) -> set[str]:
    """The modules loaded once ``rnnshape ARGS`` has run (in a fresh interpreter)."""
    probe = (
        "import sys\n"
        "from rnnshape.cli import main\n"
        f"sys.argv = ['rnnshape', *{list(args)!r}]\n"
        "code = main()\n"
        "sys.stdout.flush()\n"
        "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("MODULES "))
    return set(line.split()[1:])


def _under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_explain_json_imports_only_what_json_needs() -> None:
    loaded = _modules_after("explain", "examples/rnn_shapes.yaml", "-f", "json")
    assert _under(loaded, *NEVER) == []
    assert _under(loaded, "tabulate", "wcwidth", "rnnshape.render.explain", "rnnshape.render.html_page") == []
    # The model is a SimpleRNN and a Dense: of the modules that hold layer entries, only
    # theirs are read (besides the pieces every entry is made of).
    from rnnshape.layers import WHERE

    entry_modules = {f"rnnshape.layers.{m}" for m in WHERE.values()}
    assert loaded & entry_modules == {"rnnshape.layers.core", "rnnshape.layers.recurrent"}
    # Readers of other formats are imported only for their files.
    assert _under(loaded, "rnnshape.formats") == [
        "rnnshape.formats", "rnnshape.formats.common", "rnnshape.formats.expr", "rnnshape.formats.registry",
        "rnnshape.formats.streams", "rnnshape.formats.yaml_config",
    ]


def test_explain_table_imports_tabulate_but_not_the_json_renderer() -> None:
    loaded = _modules_after("explain", "examples/stacked_lstm.yaml")
    assert "tabulate" in loaded and "rnnshape.render.explain" in loaded
    assert _under(loaded, *NEVER, "rnnshape.render.explain_json", "json") == []


def test_a_run_without_errors_imports_no_hint_writers() -> None:
    loaded = _modules_after("explain", "examples/rnn_shapes.yaml", "-f", "json")
    assert _under(loaded, "rnnshape.hints", "rnnshape.assume") == []


@pytest.mark.parametrize(
    ("args", "commands"),
    [
        (["explain", "m.yaml", "-f", "json"], ["explain"]),
        (["--debug", "lint", "."], ["lint"]),
        (["numpy", "--help"], ["numpy"]),
        (["rules"], ["rules"]),
        ([], None),  # no command: the app's help lists them all
        (["--help", "explain"], None),  # the app's own help, though a command follows
        (["--version", "explain"], None),
        (["explian", "m.yaml"], None),  # Click's "No such command" may suggest another
        (["-f", "json", "explain"], None),
    ],
)
def test_only_the_command_that_runs_is_built(args: list[str], commands: list[str] | None) -> None:
    narrowed = only_the_invoked_command(app, args)
    if commands is None:
        assert narrowed is app
    else:
        assert narrowed is not app and len(app.registered_commands) == 7
        assert [info.name or info.callback.__name__ for info in narrowed.registered_commands] == commands  # type: ignore[union-attr]


def test_completion_still_sees_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_RNNSHAPE_COMPLETE", "complete_bash")
    assert only_the_invoked_command(app, ["explain"]) is app


def test_the_process_writes_all_its_output_before_leaving_early() -> None:
    """``python -m rnnshape`` skips interpreter teardown: what it printed must all arrive,
    through a pipe too, and the exit status must be the command's."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = [sys.executable, "-m", "rnnshape"]
    listed = subprocess.run([*run, "layers"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    probe = "import sys\nfrom rnnshape.cli import main\nsys.argv = ['rnnshape', 'layers']\nraise SystemExit(main())\n"
    in_python = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert listed.returncode == in_python.returncode == 0
    assert listed.stdout == in_python.stdout and len(listed.stdout) > 5_000
    failing = subprocess.run([*run, "explain", "examples/no_such_model.yaml"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert failing.returncode == 1 and "no such file" in failing.stderr
