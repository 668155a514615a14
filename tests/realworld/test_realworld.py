"""The real-world corpus: rnnshape against real Keras 3 on Keras code written as people write it.

For every model the manifest lists: if rnnshape explains it, every layer's output shapes and
parameter count must equal what Keras builds from the truth builder; if rnnshape refuses it,
the refusal must be clean (exit 1, a message, no traceback). Either way the manifest must say
which, so an improvement fails here until its entry is flipped. For every file, the lint's
error-level findings must be exactly the manifest's real errors plus the false errors it
records today (which the lint work is removing).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from corpus import (
    CAUSES,
    FILES,
    TRUTH,
    LintExpectation,
    Model,
    comparable,
    disagreements,
    explain,
    explain_args,
    explain_unbuilt,
    keras_model,
    lint_errors,
    load_manifest,
    report_of,
    supports_set,
    symbolic_disagreements,
    truth_module,
)

MODELS, LINTS = load_manifest()
CAN_SET = supports_set()


def test_the_corpus_is_the_size_the_issue_asks_for() -> None:
    files = sorted(p.name for p in FILES.iterdir())
    notebooks = [f for f in files if f.endswith(".ipynb")]
    assert len(files) >= 40, files
    assert 0.2 <= len(notebooks) / len(files) <= 0.3, "about a quarter of the files are notebooks"
    assert sorted(lint.file for lint in LINTS) == files, "every file has a manifest entry and no entry lacks its file"


def test_every_model_has_one_truth_builder_and_a_known_status() -> None:
    for file in {m.file for m in MODELS}:
        builders = {
            name
            for name, fn in inspect.getmembers(truth_module(file), inspect.isfunction)
            if not name.startswith("_") and fn.__module__.startswith("realworld_truth_")
        }
        assert builders == {m.name for m in MODELS if m.file == file}, file
    assert sorted(p.stem for p in TRUTH.glob("*.py") if p.name != "__init__.py") == sorted(
        Path(lint.file).stem for lint in LINTS
    )
    for m in MODELS:
        assert m.status == "explained" or m.status.removeprefix("refused: ") in CAUSES, (m.id, m.status)


@pytest.mark.parametrize("model", [m for m in MODELS if m.keras_rejects], ids=lambda m: m.id)
def test_keras_3_rejects_the_models_written_with_real_errors(keras: Any, model: Model) -> None:
    with pytest.raises((ValueError, TypeError)):
        keras_model(keras, model)


@pytest.mark.parametrize("model", [m for m in MODELS if not m.keras_rejects], ids=lambda m: m.id)
def test_keras_3_builds_every_valid_model(keras: Any, model: Model) -> None:
    assert keras_model(keras, model).count_params() > 0


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
def test_rnnshape_explains_or_refuses_as_the_manifest_says(keras: Any, model: Model) -> None:
    answer = explain(model, with_set=CAN_SET)
    command = "rnnshape " + " ".join(explain_args(model, with_set=CAN_SET))
    assert "Traceback" not in answer.output, answer.output
    if model.status != "explained":
        # Exit 1 with the cause; or, where rnnshape does not see the model at all (built inside
        # a function it does not follow), the usage error for an unknown --model name.
        unseen = answer.code == 2 and f"no model named '{model.name}'" in answer.output
        assert answer.code == 1 or unseen, f"{command} now exits {answer.code}: flip the manifest entry\n{answer.output}"
        assert "rnnshape: error:" in answer.output, answer.output
        return
    assert answer.code == 0, f"{command} exits {answer.code}\n{answer.output}"
    if model.keras_rejects:
        return  # nothing to compare with: see test_keras_3_rejects_the_models_written_with_real_errors
    assert disagreements(report_of(answer), keras, model) == [], command


@pytest.mark.parametrize("model", [m for m in MODELS if m.input_shape is not None], ids=lambda m: m.id)
def test_unbuilt_models_are_explained_with_their_input_size_as_d(keras: Any, model: Model) -> None:
    """Without the manifest's --input-shape: `unbuilt: symbolic` models are explained with formulas
    in D that equal Keras's counts at the manifest's D; the others still ask for an input shape."""
    answer = explain_unbuilt(model)
    assert "Traceback" not in answer.output, answer.output
    symbolic = answer.code == 0 and report_of(answer).get("unknowns") == ["D"]
    assert symbolic == model.symbolic, f"{model.id}: explained with D unknown is now {symbolic}: flip `unbuilt:`"
    if symbolic:
        assert symbolic_disagreements(report_of(answer), keras, model) == []


@pytest.mark.parametrize("lint", LINTS, ids=lambda lint: lint.file)
def test_lint_reports_exactly_the_real_and_the_recorded_errors(lint: LintExpectation) -> None:
    code, found = lint_errors(lint.file)
    expected = comparable([*lint.errors, *lint.false], found)
    assert found == expected, (
        f"rnnshape lint {lint.file}: error-level findings {found}, manifest {expected} "
        f"(real {list(lint.errors)}, false today {list(lint.false)}); update the manifest if the lint improved"
    )
    assert code == (1 if found else 0)

