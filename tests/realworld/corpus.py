"""The real-world corpus as data: its manifest, rnnshape's answers on it, and Keras's.

Shared by ``test_realworld.py`` (which asserts the manifest is exactly how rnnshape behaves)
and ``measure.py`` (which prints the figures issue 13 asks for). rnnshape runs in-process
through its Typer app, the same code path as the ``rnnshape`` command.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
TRUTH = HERE / "truth"
MANIFEST = HERE / "manifest.yaml"

sys.path.insert(0, str(HERE.parent))  # tests/: keras_truth
from keras_truth import keras_rows  # noqa: E402

from rnnshape.layers.ops import OPS  # noqa: E402

# Rows that are no layer the file writes: inputs, and the mask operations Keras 3 records
# when a mask is consumed (rnnshape shows them only when a saved model records them).
NOT_WRITTEN = {"InputLayer"} | {op.class_name for op in OPS}

# The causes a refusal may be filed under (README.md says what each covers).
CAUSES = (
    "value from data",
    "model built in a function",
    "model passed to a function",
    "no input shape",
    "call under a condition or loop",
    "layers added in a loop or comprehension",
    "alternative class binding",
    "tensor plumbing",
    "argument value not read",
    "unsupported layer",
    "lambda",
    "custom class",
    "keras error",
)

Row = tuple[str, tuple[tuple[Any, ...], ...], int]


@dataclass(frozen=True)
class Model:
    file: str
    name: str
    status: str  # "explained" or "refused: <cause>"
    values: dict[str, Any] = field(default_factory=dict)  # the manifest's `set`
    input_shape: str | None = None
    keras_rejects: bool = False
    # The file gives no input shape and rnnshape explains the model without --input-shape, with its
    # input features as the unknown D (the manifest's `unbuilt: symbolic`).
    symbolic: bool = False

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"

    @property
    def knowable(self) -> bool:
        """Sizes known from the file alone: no value from data, no input shape to supply."""
        return not self.values and self.input_shape is None and not self.keras_rejects


@dataclass(frozen=True)
class LintExpectation:
    file: str
    errors: tuple[str, ...]  # real Keras 3 errors the lint reports, as CODE@LINE or CODE@cellN:LINE
    false: tuple[str, ...]  # errors the lint reports on valid code today
    missed: tuple[str, ...]  # real Keras 3 errors the lint does not report yet: "what@LINE"


def load_manifest() -> tuple[list[Model], list[LintExpectation]]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    models: list[Model] = []
    lints: list[LintExpectation] = []
    for file, entry in data["files"].items():
        for name, m in entry["models"].items():
            models.append(
                Model(
                    file, name, m["status"], dict(m.get("set", {})), m.get("input_shape"), m.get("keras") == "rejects",
                    m.get("unbuilt") == "symbolic",
                )
            )
        lint = entry.get("lint", {})
        lints.append(
            LintExpectation(file, tuple(lint.get("errors", ())), tuple(lint.get("false_errors", ())), tuple(lint.get("missed", ())))
        )
    return models, lints


def truth_module(file: str) -> ModuleType:
    path = TRUTH / (Path(file).stem + ".py")
    spec = importlib.util.spec_from_file_location(f"realworld_truth_{path.stem}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def keras_model(keras: Any, model: Model) -> Any:
    """The model as the truth builder writes it, in a fresh Keras session."""
    keras.backend.clear_session()
    return getattr(truth_module(model.file), model.name)(keras)


# --- rnnshape's side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    code: int
    stdout: str
    output: str  # stdout and stderr as a terminal shows them


def run_cli(*args: str) -> Answer:
    from typer.testing import CliRunner

    from rnnshape.cli import app

    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Answer(result.exit_code, result.stdout, result.output)


def supports_set() -> bool:
    """Whether this rnnshape has ``--set`` (the manifest's values are passed only then)."""
    return "--set" in run_cli("explain", "--help").output


def explain_args(model: Model, *, with_set: bool) -> list[str]:
    args = ["explain", "-f", "json", "--model", model.name]
    if with_set:
        for name, value in model.values.items():
            args += ["--set", f"{name}={value!r}"]
    if model.input_shape is not None:
        args += ["--input-shape", model.input_shape]
    return args + [str(FILES / model.file)]


def explain(model: Model, *, with_set: bool) -> Answer:
    return run_cli(*explain_args(model, with_set=with_set))


def _shapes(shape: list[Any]) -> tuple[tuple[Any, ...], ...]:
    if shape and isinstance(shape[0], list):
        return tuple(tuple(s) for s in shape)
    return (tuple(shape),)


def report_of(answer: Answer) -> dict[str, Any]:
    data = json.loads(answer.stdout)
    if isinstance(data, list):  # several models or files: one entry per model
        assert len(data) == 1, f"--model selects one model, got {len(data)}"
        data = data[0]
    assert isinstance(data, dict)
    return data


def rnnshape_rows(report: dict[str, Any]) -> list[Row]:
    """Every layer the file writes, as (class, output shapes, params), in a stable order."""
    rows = [(r["class_name"], _shapes(r["output_shape"]), r["params"]) for r in report["layers"]]
    return sorted((r for r in rows if r[0] not in NOT_WRITTEN), key=repr)


def truth_rows(keras: Any, model: Model) -> tuple[list[Row], int]:
    built = keras_model(keras, model)
    rows = [row for row in keras_rows(built).values() if row[0] not in NOT_WRITTEN]
    return sorted(rows, key=repr), built.count_params()


def disagreements(report: dict[str, Any], keras: Any, model: Model) -> list[str]:
    """Each layer Keras has and rnnshape does not (or with other shapes or params), and totals."""
    ours = rnnshape_rows(report)
    theirs, total = truth_rows(keras, model)
    problems = [f"Keras has {row}, rnnshape does not" for row in theirs if row not in ours]
    problems += [f"rnnshape has {row}, Keras does not" for row in ours if row not in theirs]
    if len(ours) != len(theirs):
        problems.append(f"rnnshape has {len(ours)} layers, Keras {len(theirs)}")
    if report["total_params"] != total:
        problems.append(f"total params: rnnshape {report['total_params']}, Keras {total}")
    return problems


def explain_unbuilt(model: Model) -> Answer:
    """``explain`` without the manifest's --input-shape: the model as the file leaves it."""
    args = explain_args(model, with_set=supports_set())
    at = args.index("--input-shape")
    return run_cli(*args[:at], *args[at + 2 :])


def _at(text: str, d: int) -> int | None:
    """A dimension or count as rnnshape writes it with the unknown D (``128D + 4,224``), at ``D = d``."""
    if text == "None":
        return None
    expr = re.sub(r"(\d)D", r"\1*D", text.replace(",", "")).replace("D", str(d))
    assert re.fullmatch(r"[\d+\-* ]+", expr), text
    return int(eval(expr, {"__builtins__": {}}))  # digits and + - * only, checked above


def _shape_at(text: str, d: int) -> tuple[Any, ...]:
    return tuple(_at(part.strip(), d) for part in text.strip("()").split(",") if part.strip())


def symbolic_disagreements(report: dict[str, Any], keras: Any, model: Model) -> list[str]:
    """An unbuilt model explained with D unknown: its formulas at the manifest's D against Keras's build.

    Axes rnnshape leaves dynamic (None) match any size; every count must be equal.
    """
    assert model.input_shape is not None
    d = int(model.input_shape.split(",")[-1])
    ours = []
    for r in report["layers"]:
        if r["class_name"] in NOT_WRITTEN:
            continue
        shape = _shape_at(r["output_shape_formula"], d) if "output_shape_formula" in r else tuple(r["output_shape"])
        ours.append((r["class_name"], shape, r["params"] if r["params"] is not None else _at(r["params_formula"], d)))
    theirs, total = truth_rows(keras, model)
    theirs = [(c, s[0], p) for c, s, p in theirs]
    problems = []
    for row in theirs:
        match = next((o for o in ours if o[0] == row[0] and o[2] == row[2] and len(o[1]) == len(row[1])
                      and all(a is None or a == b for a, b in zip(o[1], row[1]))), None)
        if match is None:
            problems.append(f"Keras has {row}, rnnshape's formulas at D={d} do not")
        else:
            ours.remove(match)
    problems += [f"rnnshape has {row} at D={d}, Keras does not" for row in ours]
    formula = report.get("total_params_formula")
    if formula is None or _at(formula, d) != total:
        problems.append(f"total params: rnnshape {formula} at D={d}, Keras {total}")
    return problems


# --- lint ----------------------------------------------------------------------------------------


def lint_errors(file: str) -> tuple[int, list[str]]:
    """Exit code and the error-level findings of ``rnnshape lint`` as CODE@LINE (CODE@cellN:LINE)."""
    answer = run_cli("lint", "-f", "json", str(FILES / file))
    found = []
    for entry in json.loads(answer.stdout)["files"]:
        for p in entry["problems"]:
            if p["level"] == "error":
                cell = p.get("cell")
                found.append(f"{p['code']}@{'' if cell is None else f'cell{cell}:'}{p['line']}")
    return answer.code, sorted(found)


def comparable(expected: list[str], found: list[str]) -> list[str]:
    """The manifest's positions as the JSON gives them: without cells while it gives none."""
    if any("@cell" in f for f in found):
        return sorted(expected)
    return sorted(re.sub(r"@cell\d+:", "@", e) for e in expected)
