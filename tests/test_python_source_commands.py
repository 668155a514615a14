"""`numpy` and `check` read models from Python files too, with --model and skipped-model warnings."""

from __future__ import annotations

from typing import Any

from conftest import EXAMPLES

TWO = str(EXAMPLES / "python" / "two_models.py")


def test_numpy_writes_the_readable_model_and_warns_about_the_other(cli: Any) -> None:
    result = cli("numpy", TWO)
    assert result.code == 0, result.stderr
    assert "model 'classifier' (line 19) skipped" in result.stderr
    assert "Keras model 'encoder'" in result.stdout
    compile(result.stdout, "generated.py", "exec")  # the module is valid Python


def test_numpy_model_option_names_the_choices(cli: Any, tmp_path: Any) -> None:
    two = tmp_path / "two.py"
    two.write_text(
        "from tensorflow import keras\n"
        "a = keras.Sequential([keras.Input((4, 2)), keras.layers.GRU(3)])\n"
        "b = keras.Sequential([keras.Input((4, 2)), keras.layers.LSTM(3)])\n",
        encoding="utf-8",
    )
    both = cli("numpy", str(two))
    assert both.code == 2 and "pick one with --model NAME (a, b)" in both.stderr
    one = cli("numpy", str(two), "--model", "b")
    assert one.code == 0 and "Keras model 'b'" in one.stdout


def test_check_reads_python_sources(keras: Any, cli: Any) -> None:
    result = cli("check", TWO, "--model", "encoder", "--device", "cpu")
    assert result.code == 0, result.output
    assert "encoder" in result.stdout and "1 model checked: 1 agree" in result.stdout
