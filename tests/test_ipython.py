"""The magics in an in-process IPython shell (no kernel, no Keras): fast checks of each path."""

from __future__ import annotations

import pytest

pytest.importorskip("IPython")

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402


@pytest.fixture(scope="module")
def shell() -> InteractiveShell:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "rnnshape")
    return ip


def test_line_magic_on_expressions_and_variables(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    report = shell.run_line_magic("rnnshape", "explain SimpleRNN(3) Dense(1) --input-shape 4,2")
    assert [layer.params for layer in report.layers] == [18, 4]
    shell.user_ns["spec_text"] = "name: m\nlayers:\n  - Input: {shape: [5, 2]}\n  - LSTM: {units: 3}\n"
    report = shell.run_line_magic("rnnshape", "explain spec_text --symbols")
    assert report.symbols and report.layers[-1].params == 4 * 3 * (2 + 3 + 1)
    assert str(shell.run_line_magic("rnnshape", "explain spec_text -f json")).startswith("{")


def test_line_magic_errors_print_and_return_nothing(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    assert shell.run_line_magic("rnnshape", "explain no_such_variable") is None
    assert shell.run_line_magic("rnnshape", "explain LSTM(3) --input-shape 4") is None
    assert shell.run_line_magic("rnnshape", "frobnicate x") is None
    err = capsys.readouterr().err
    assert "no variable named 'no_such_variable'" in err
    assert "rnnshape: error: " in err and "3-D input" in err
    assert "rnnshape: usage error" in err


def test_lint_and_numpy_magics(shell: InteractiveShell) -> None:
    problems = shell.run_line_magic("rnnshape", "lint LSTM(4,return_sequences=True) Dense(2) --input-shape 10,3")
    assert [p.code for p in problems] == ["RS204"]
    code = shell.run_line_magic("rnnshape", "numpy SimpleRNN(2) --input-shape 3,2 --weights random")
    assert "def forward(" in code


def test_cell_magic_reads_without_running(shell: InteractiveShell, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "marker"
    shell.user_ns["keras"] = _keras_stand_in()  # the reader reads only its name; --run calls it
    shell.run_cell("steps = 8")  # a literal of an earlier cell
    shell.user_ns["marker"] = str(marker)
    result = shell.run_cell(
        "%%rnnshape\nm = keras.Sequential([keras.Input((steps, 2)), keras.layers.LSTM(3)])\nopen(marker, 'w').close()\n"
    )
    assert result.success
    assert "lstm (LSTM)" in capsys.readouterr().out
    assert not marker.exists() and "m" not in shell.user_ns
    shell.run_cell("%%rnnshape\nbad = keras.Sequential([keras.Input((5,)),\n    keras.layers.LSTM(3)])\n")
    assert "<cell>:3:5: layer 'lstm'" in capsys.readouterr().err
    shell.run_cell("%%rnnshape --run\nm = keras.Sequential([keras.Input((steps, 2)), keras.layers.GRU(3)])\nopen(marker, 'w').close()\n")
    assert marker.exists() and "gru (GRU)" in capsys.readouterr().out


def _keras_stand_in() -> object:
    """A module named keras whose calls do nothing: the static reader never calls it."""
    import types

    keras = types.ModuleType("keras")
    keras.layers = types.ModuleType("keras.layers")  # type: ignore[attr-defined]
    for owner, name in ((keras, "Sequential"), (keras, "Input"), (keras.layers, "LSTM"), (keras.layers, "GRU")):  # type: ignore[attr-defined]
        setattr(owner, name, lambda *args, **kwargs: None)
    return keras
