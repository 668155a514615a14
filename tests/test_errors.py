"""Errors: exit codes defined once, matched by type (never by message text), and never
rewritten to say something else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rnnshape import edge, errors
from rnnshape.errors import (
    ModelSkipped,
    MissingDependency,
    RnnshapeError,
    Skipped,
    SpecError,
    TooLarge,
    UnknownLayer,
    UsageError,
)
from rnnshape.formats import from_expressions
from rnnshape.formats.yaml_config import load_yaml_text
from rnnshape.infer import infer_model

PACKAGE = Path(errors.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (RnnshapeError, errors.EXIT_PROBLEMS),
        (SpecError, errors.EXIT_PROBLEMS),
        (TooLarge, errors.EXIT_PROBLEMS),
        (Skipped, errors.EXIT_OK),
        (ModelSkipped, errors.EXIT_OK),
        (UsageError, errors.EXIT_USAGE),
        (MissingDependency, errors.EXIT_MISSING_DEPENDENCY),
    ],
)
def test_each_error_exits_with_its_code(cls: type[RnnshapeError], code: int) -> None:
    assert cls.exit_code == code


def test_exit_code_values_are_the_documented_ones() -> None:
    codes = (errors.EXIT_OK, errors.EXIT_PROBLEMS, errors.EXIT_USAGE, errors.EXIT_INTERNAL,
             errors.EXIT_MISSING_DEPENDENCY, errors.EXIT_INTERRUPTED)
    assert codes == (0, 1, 2, 3, 4, 130)
    # The edge hands out the very same constants; it defines none of its own.
    assert (edge.EXIT_OK, edge.EXIT_PROBLEMS, edge.EXIT_INTERRUPTED) == (0, 1, 130)
    assert edge.EXIT_INTERRUPTED is errors.EXIT_INTERRUPTED


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_exit_codes_are_defined_only_in_errors(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            name = target.id if isinstance(target, ast.Name) else None
            if path.name != "errors.py":
                assert not (name and name.startswith("EXIT_")), f"{path.name}:{node.lineno} defines {name}"
            if name == "exit_code" and isinstance(node.value, ast.Constant):
                raise AssertionError(f"{path.name}:{node.lineno}: exit_code = {node.value.value!r}; use errors.EXIT_*")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_error_is_told_apart_or_rewritten_by_its_text(path: Path) -> None:
    text_methods = {"startswith", "endswith", "replace", "find", "split", "partition"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in text_methods:
            inner = node.value
            assert not (isinstance(inner, ast.Attribute) and inner.attr == "message"), (
                f"{path.name}:{node.lineno}: .message.{node.attr}(...): match the error's type or fields instead"
            )


def test_a_skipped_model_asked_for_by_name_is_worded_from_its_parts() -> None:
    warning = ModelSkipped("model 'bad' (line 3)", "LSTM(units=...): compute(...)", hint="others still run")
    assert warning.message == "model 'bad' (line 3) skipped: LSTM(units=...): compute(...)"
    assert warning.exit_code == errors.EXIT_OK
    failure = warning.failure(hint="rnnshape reads source files without running them")
    assert isinstance(failure, SpecError) and failure.exit_code == errors.EXIT_PROBLEMS
    assert failure.message == "model 'bad' (line 3) cannot be read statically: LSTM(units=...): compute(...)"
    assert failure.hint == "rnnshape reads source files without running them"
    # The warning itself is left as it was.
    assert warning.message.endswith("skipped: LSTM(units=...): compute(...)") and warning.hint == "others still run"


def test_a_plain_warning_becomes_an_error_with_the_same_words() -> None:
    warning = Skipped("cell 2 cannot be parsed and was skipped", pos=errors.Position("nb.ipynb", cell=2))
    failure = warning.failure()
    assert (failure.message, failure.pos, failure.exit_code) == (warning.message, warning.pos, errors.EXIT_PROBLEMS)


def test_an_unknown_layer_gets_the_assume_hint_and_a_removed_one_its_replacement() -> None:
    with pytest.raises(UnknownLayer) as unknown:
        infer_model(load_yaml_text("input_shape: [7, 5]\nlayers:\n  - Lambda: {}\n", "m.yaml"))
    assert not unknown.value.removed and unknown.value.in_keras  # a real Keras layer, not a typo
    assert unknown.value.message == "Lambda is a Keras layer that rnnshape does not support (a Lambda's code is never run or read)"
    assert unknown.value.hint is not None and "--assume lambda=SHAPE" in unknown.value.hint
    with pytest.raises(UnknownLayer) as removed:
        infer_model(from_expressions(["CuDNNLSTM(4)"], input_shape="7,5"))
    assert removed.value.removed
    assert removed.value.hint is not None and "--assume" not in removed.value.hint


def test_amended_is_a_copy_that_says_more_and_leaves_the_original() -> None:
    original = UnknownLayer("unknown layer class 'X'", class_name="X", hint="did you mean 'Y'?")
    more = original.amended(message="unknown layer class 'X' (more)", layer="x", pos=errors.Position("m.yaml", 3, 5))
    assert type(more) is UnknownLayer and more is not original
    assert (more.class_name, more.removed, more.hint) == ("X", False, "did you mean 'Y'?")
    assert str(more) == "m.yaml:3:5: layer 'x': unknown layer class 'X' (more)\n  hint: did you mean 'Y'?"
    assert more.args == ("unknown layer class 'X' (more)",)
    assert (original.message, original.layer, original.pos) == ("unknown layer class 'X'", None, None)


def test_inference_does_not_edit_the_error_a_layer_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layer's own RankError is left as raised; the one that reaches the user names the layer."""
    from rnnshape import infer

    raised: list[RnnshapeError] = []
    real = infer.build_layer

    def recording(spec, shapes):  # type: ignore[no-untyped-def]
        try:
            return real(spec, shapes)
        except RnnshapeError as err:
            raised.append(err)
            raise

    monkeypatch.setattr(infer, "build_layer", recording)
    with pytest.raises(errors.RankError) as reached:
        infer_model(from_expressions(["LSTM(4)", "LSTM(3)"], input_shape="7,5"))
    (first,) = raised
    assert first is not reached.value and first.layer is None and not first.message.startswith("LSTM ")
    assert reached.value.message.startswith("LSTM ") and reached.value.layer is not None
