"""rnnshape/limits.py: one table of limits, read from the environment, documented in the README section."""

from __future__ import annotations

from pathlib import Path

import pytest

from rnnshape import limits
from rnnshape.errors import UsageError

SAFETY = Path(__file__).resolve().parent.parent / "README.md"


def test_every_limit_is_documented_with_its_default() -> None:
    text = SAFETY.read_text(encoding="utf-8")
    for limit in limits.ALL:
        row = next((line for line in text.splitlines() if f"`{limit.env}`" in line), None)
        assert row is not None, f"{limit.env} is missing from the README's Safety and limits section"
        default = f"{limit.default:,}"
        assert default in row or limit.env in ("RNNSHAPE_MAX_PY_INT", "RNNSHAPE_CHECK_MAX_MACS"), row
    assert len({limit.env for limit in limits.ALL}) == len(limits.ALL)


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    assert limits.value(limits.LAYERS) == limits.LAYERS.default
    for raw, expected in (("12", 12), ("1_000", 1000), ("2e3", 2000), (" 7 ", 7), ("", limits.LAYERS.default)):
        monkeypatch.setenv(limits.LAYERS.env, raw)
        assert limits.value(limits.LAYERS) == expected
    for bad in ("0", "-5", "lots", "1.5", "inf", "nan"):
        monkeypatch.setenv(limits.LAYERS.env, bad)
        with pytest.raises(UsageError, match=limits.LAYERS.env):
            limits.value(limits.LAYERS)


def test_a_lowered_limit_is_enforced_and_named(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RNNSHAPE_MAX_LAYERS", "2")
    result = cli("explain", "--input-shape", "10,3", "LSTM(4)", "Dense(2)", "Dense(1)")
    assert result.code == 1
    assert "the limit is 2 layers per model (set RNNSHAPE_MAX_LAYERS to raise it)" in result.stderr
    monkeypatch.setenv("RNNSHAPE_MAX_LAYER_DEPTH", "1")
    result = cli("explain", "--input-shape", "10,3", "Bidirectional(Bidirectional(LSTM(4)))")
    assert result.code == 1
    assert "nested more than 1 levels deep (set RNNSHAPE_MAX_LAYER_DEPTH to raise it)" in result.stderr


def test_raising_a_limit_lets_a_file_through(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("input_shape: [10, 3]\nlayers:\n  - Dense: {units: 2, name: '" + "x" * 300 + "'}\n", encoding="utf-8")
    monkeypatch.setenv("RNNSHAPE_MAX_STRING_CHARS", "100")
    assert cli("explain", str(path)).code == 1
    monkeypatch.setenv("RNNSHAPE_MAX_STRING_CHARS", "1000")
    assert cli("explain", str(path)).code == 0
