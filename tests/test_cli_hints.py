"""Issue 14, errors and options: usage errors exit 2, every hint names an option of its
command, hints keep the case of names, `rules` takes names as well as codes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from rnnshape.cli import app
from rnnshape.hints import fit_hint, options_named, sentence_start

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnnshape"
runner = CliRunner()


def _command_options() -> dict[str, frozenset[str]]:
    group = get_command(app)
    found = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        found[name] = frozenset(o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--"))
    return found


def _hint_texts() -> list[tuple[str, str]]:
    """Every hint/fix text the package can produce, with the place it comes from: string
    constants (and the literal parts of f-strings) passed as ``hint=``/``fix=`` or
    assigned to a variable named ``hint``/``fix``."""
    texts = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            value = None
            if isinstance(node, ast.keyword) and node.arg in ("hint", "fix"):
                value = node.value
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in ("hint", "fix") for t in node.targets
            ):
                value = node.value
            if value is None:
                continue
            parts = [n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            text = "".join(parts)
            if text:
                texts.append((f"{path.relative_to(ROOT)}:{value.lineno}", text))
    return texts


def test_hints_were_collected() -> None:
    texts = _hint_texts()
    assert len(texts) > 40
    assert any("--input-shape" in t for _, t in texts)


@pytest.mark.parametrize("command", ["explain", "check", "numpy", "lint"])
def test_every_hint_names_only_options_of_the_command_printing_it(command: str) -> None:
    options = _command_options()
    every = frozenset().union(*options.values())
    for where, text in _hint_texts():
        named = options_named(text)
        assert named <= every, f"{where}: names an option no command has: {named - every}"
        fitted = fit_hint(text, options[command])
        assert fitted is None or options_named(fitted) <= options[command], (where, command, fitted)


def test_lint_no_input_shape_hint_names_no_explain_option(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("layers:\n  - LSTM: 4\n")
    result = runner.invoke(app, ["lint", str(model)])
    assert result.exit_code == 0  # valid Keras 3 (built at its first call): RS905 is an info
    assert "RS905 [info]" in result.stdout
    assert "fix: Declare the input shape: keras.Input(shape=(T, D)) first, or input_shape: [T, D] in a config" in result.stdout
    assert "--input-shape" not in result.stdout
    explained = runner.invoke(app, ["explain", str(model)])
    assert "--input-shape T,D" in explained.stderr  # explain has the option: the hint keeps it


def test_check_drops_the_assume_alternative(tmp_path: Path) -> None:
    # check has no --assume; explain has it.
    hint = "did you mean 'LSTM'?; to continue, pass --assume x=SHAPE, or --assume x if it keeps; `rnnshape layers` lists"
    assert fit_hint(hint, _command_options()["check"]) == "did you mean 'LSTM'?; `rnnshape layers` lists"
    assert fit_hint(hint, _command_options()["explain"]) == hint


@pytest.mark.parametrize(
    "text,expected",
    [
        ("rnnshape reads only literals", "rnnshape reads only literals"),
        ("pip install 'rnnshape[h5]'", "pip install 'rnnshape[h5]'"),
        ("return_sequences=True on 'lstm'", "return_sequences=True on 'lstm'"),
        ("`rnnshape layers` lists them", "`rnnshape layers` lists them"),
        ("did you mean 'LSTM'?", "Did you mean 'LSTM'?"),
        ("set return_sequences=True", "Set return_sequences=True"),
    ],
)
def test_sentence_start_keeps_names(text: str, expected: str) -> None:
    assert sentence_start(text) == expected


def test_lint_unknown_layer_fix_keeps_the_class_name_case(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("input_shape: [10, 3]\nlayers:\n  - LTSM: 4\n")
    result = runner.invoke(app, ["lint", str(model)])
    assert "fix: Did you mean 'LSTM'?" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--input-shape", "ten,3"], "rnnshape: error: --input-shape must be comma-separated sizes"),
        (["--input-shape", "10,3", "--batch-input-shape", "2,10,3"],
         "rnnshape: error: give --input-shape or --batch-input-shape, not both"),
    ],
)
def test_bad_shape_options_are_usage_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["explain", *args, "LSTM(4)"])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert "--input-shape: --input-shape" not in result.stderr


def test_rules_accepts_names() -> None:
    by_name = runner.invoke(app, ["rules", "wrong-input-rank"])
    by_code = runner.invoke(app, ["rules", "RS101"])
    assert by_name.exit_code == 0
    assert by_name.stdout == by_code.stdout
    misspelt = runner.invoke(app, ["rules", "wrong-input-rnk"])
    assert misspelt.exit_code == 2
    assert "did you mean 'wrong-input-rank'?" in misspelt.stderr


def test_an_unquoted_symbol_is_not_told_to_quote_strings() -> None:
    result = runner.invoke(app, ["explain", "--input-shape", "10,3", "LSTM(units=M)"])
    assert result.exit_code == 1
    assert "quote strings" not in result.stderr
    assert "give a number" in result.stderr
    lower = runner.invoke(app, ["explain", "--input-shape", "10,3", "LSTM(4, activation=relu)"])
    assert "quote strings" in lower.stderr


@pytest.mark.parametrize("command", ["numpy", "check"])
def test_unknown_layer_hint_has_no_assume_where_the_command_lacks_it(command: str, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("input_shape: [10, 3]\nlayers:\n  - LTSM: {units: 4}\n")
    result = runner.invoke(app, [command, str(model)])
    said = result.stdout + result.stderr
    assert result.exit_code == 1
    assert "did you mean 'LSTM'?" in said and "`rnnshape layers` lists the supported layers" in said
    assert "--assume" not in said
    assert "--assume ltsm" in runner.invoke(app, ["explain", str(model)]).stderr
