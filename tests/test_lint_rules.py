"""Every lint rule against its fixtures: the exact problems (code, line, column) of good and bad cases.

One table drives the test; each rule has a folder tests/lint_fixtures/<CODE>/ with at
least one passing (good*.yaml) and one failing (bad*.yaml) case. Rules raised from
errors that no native-YAML model can produce here are tested through the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rnnshape.errors import RankError, ShapeError, SpecError
from rnnshape.lint import RULES, Settings, lint_file
from rnnshape.lint.engine import error_code

FIXTURES = Path(__file__).resolve().parent / "lint_fixtures"

# fixture -> the exact problems, as (code, line, column), in report order.
CASES: dict[str, list[tuple[str, int, int]]] = {
    "RS101/bad.yaml": [("RS101", 4, 5)],
    "RS101/good.yaml": [],
    "RS103/bad.yaml": [("RS103", 3, 23)],
    "RS103/good.yaml": [],
    "RS104/bad.yaml": [("RS104", 3, 5)],
    "RS104/good.yaml": [],
    "RS105/bad.yaml": [("RS105", 3, 22)],
    "RS105/good.yaml": [],
    "RS106/bad.yaml": [("RS106", 3, 12), ("RS106", 6, 7), ("RS106", 7, 14)],
    "RS106/good.yaml": [],
    "RS107/bad.yaml": [("RS107", 3, 5)],
    "RS107/good.yaml": [],
    "RS108/bad.yaml": [("RS108", 3, 22)],
    "RS108/bad_merge_none.yaml": [("RS108", 3, 39)],
    "RS108/good.yaml": [],
    "RS109/bad.yaml": [("RS109", 3, 5)],
    "RS109/good.yaml": [],
    "RS110/bad.yaml": [("RS110", 4, 22)],
    "RS110/good.yaml": [],
    "RS121/bad.yaml": [("RS121", 6, 17)],
    "RS121/good.yaml": [],
    "RS122/bad.yaml": [("RS122", 6, 11)],
    "RS122/good.yaml": [],
    "RS123/bad.yaml": [("RS123", 5, 15)],
    "RS123/good.yaml": [],
    "RS124/bad.yaml": [("RS124", 5, 13)],
    "RS124/bad_unknown_t.yaml": [("RS124", 5, 13)],
    "RS124/good.yaml": [],
    "RS125/bad.yaml": [("RS125", 5, 15)],
    "RS125/bad_unknown_t.yaml": [("RS125", 5, 15)],
    "RS125/good.yaml": [],
    # output_dim is Keras 1's units, so Dense also lacks units (RS107).
    "RS201/bad.yaml": [("RS201", 3, 22), ("RS201", 4, 22), ("RS107", 5, 5), ("RS201", 5, 13)],
    "RS201/bad_first_layer.yaml": [("RS201", 2, 22)],
    "RS201/bad_batch_size.yaml": [("RS201", 4, 23)],
    "RS201/good.yaml": [],
    # Embedding's own output_dim/input_dim are Keras 3 arguments, not Keras 1 names.
    "RS201/good_embedding.yaml": [],
    "RS202/bad.yaml": [("RS202", 4, 22)],
    "RS202/good.yaml": [],
    "RS202/good_embedding.yaml": [],
    "RS203/bad.yaml": [("RS203", 3, 5), ("RS203", 4, 5)],
    "RS102/bad.json": [("RS102", 38, 4)],
    "RS102/good.json": [],
    "RS203/good.yaml": [],
    "RS204/bad.yaml": [("RS204", 5, 5)],
    "RS204/good.yaml": [],
    "RS204/good_tagger.yaml": [],
    "RS205/bad.yaml": [("RS205", 4, 22)],
    "RS205/bad_merge_none.yaml": [("RS205", 3, 39)],
    "RS205/good.yaml": [],
    "RS206/bad.yaml": [("RS206", 3, 28)],
    "RS206/bad_long.yaml": [("RS206", 3, 28)],
    "RS206/good.yaml": [],
    "RS207/bad.yaml": [("RS207", 3, 27)],
    "RS207/good.yaml": [],
    "RS207/good_bidirectional.yaml": [],
    "RS208/bad.yaml": [("RS208", 3, 22), ("RS208", 7, 7), ("RS208", 9, 22)],
    "RS208/good.yaml": [],
    "RS209/bad.yaml": [("RS209", 3, 22)],
    "RS209/good.yaml": [],
    "RS210/bad.yaml": [("RS210", 3, 27)],
    "RS210/good.yaml": [],
    "RS211/bad.yaml": [("RS211", 2, 22)],
    "RS211/good.yaml": [],
    "RS212/bad.yaml": [("RS212", 4, 23)],
    "RS212/good.yaml": [],
    "RS213/bad.yaml": [("RS213", 3, 22)],
    "RS213/good.yaml": [],
    # tf.reduce_max and tf.reshape on Keras tensors; the good file uses tf.* on data only.
    "RS214/bad.py": [("RS214", 6, 10), ("RS214", 7, 29)],
    "RS214/good.py": [],
    "RS901/bad.yaml": [("RS901", 4, 1)],
    "RS901/good.yaml": [],
    "RS902/bad.yaml": [("RS902", 3, 5)],
    "RS902/good.yaml": [],
    "RS903/bad.yaml": [("RS903", 3, 16)],
    "RS903/good.yaml": [],
    "RS904/bad.py": [("RS904", 5, 16)],
    "RS904/good.py": [],
    # No input shape is valid Keras 3: noted, and the layers are still checked.
    "RS905/bad.yaml": [("RS905", 1, 1), ("RS201", 2, 22)],
    "RS905/good.yaml": [],
    "RS906/bad.yaml": [("RS906", 3, 5)],
    "RS906/good.yaml": [],
}



@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_problems(name: str) -> None:
    result = lint_file(str(FIXTURES / name), Settings())
    got = [(p.code, p.pos.line, p.pos.col) for p in result.problems]
    assert got == CASES[name], [f"{p.code} {p.message}" for p in result.problems]
    assert all(p.pos.source == str(FIXTURES / name) for p in result.problems)


def test_every_rule_has_a_good_and_a_bad_fixture() -> None:
    for code in RULES:
        names = [n for n in CASES if n.startswith(code + "/")]
        assert any("/good" in n for n in names), f"{code} has no passing fixture"
        assert any("/bad" in n and any(c == code for c, _, _ in CASES[n]) for n in names), (
            f"{code} has no failing fixture"
        )


def test_fixture_table_matches_the_folder() -> None:
    on_disk = {str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*.*")}
    assert on_disk == set(CASES)


def test_errors_that_stop_inference_map_to_their_rule() -> None:
    # A shape error inside a merge layer is RS102; elsewhere RS109; wrong rank RS101.
    assert error_code(ShapeError("inputs do not match"), "Concatenate") == "RS102"
    assert error_code(ShapeError("inputs do not match"), "Add") == "RS102"
    assert error_code(ShapeError("last axis unknown"), "LSTM") == "RS109"
    assert error_code(RankError("rank", expected=(3,), got=2), "LSTM") == "RS101"
    assert error_code(SpecError("refers to a tensor nobody produces")) == "RS902"


def test_rule_data_is_complete() -> None:
    sections = ("What it does", "Why is this bad?", "Example", "Fix")
    for code, rule in RULES.items():
        assert code == rule.code and code[:3] in ("RS1", "RS2", "RS9") and len(code) == 5
        assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary and rule.fix
        positions = [rule.doc.find(s) for s in sections]
        assert -1 not in positions and positions == sorted(positions), f"{code} doc sections"
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_problems_name_the_previous_layer_in_the_rank_fix() -> None:
    result = lint_file(str(FIXTURES / "RS101/bad.yaml"), Settings())
    (problem,) = result.problems
    assert "return_sequences=True on 'lstm'" in (problem.fix or "")


def test_cudnn_conditions_match_keras_source() -> None:
    """RS208 states the conditions of keras/src/layers/rnn/{lstm,gru}.py; check they are still there."""
    import importlib.util

    spec = importlib.util.find_spec("keras")
    if spec is None or spec.origin is None:
        pytest.skip("keras is not installed")
    root = Path(spec.origin).parent / "src" / "layers" / "rnn"
    for layer, extra in (("lstm.py", []), ("gru.py", ["`reset_after` is `True`"])):
        text = (root / layer).read_text(encoding="utf-8")
        for condition in ["`activation` == `tanh`", "`recurrent_activation` == `sigmoid`",
                          "`recurrent_dropout` == 0", "`unroll` is `False`", "`use_bias` is `True`", *extra]:
            assert condition in text, (layer, condition)
