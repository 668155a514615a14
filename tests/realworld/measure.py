"""Print issue 13's figures for the real-world corpus, measured now (not read from the manifest).

    PYTHONPATH=$PWD python tests/realworld/measure.py

- models explained and right / statically knowable (sizes known from the file alone), and the
  same for the models that need ``--set`` values or an ``--input-shape``; "right" means every
  layer's output shapes and parameters equal the Keras 3 truth build;
- refusals by cause (the cause is the manifest's category for that model);
- lint: false errors on valid code (target 0) and the real Keras 3 errors it catches;
- the wall time of ``rnnshape explain`` on the largest file, as a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import (  # noqa: E402
    FILES,
    LintExpectation,
    Model,
    comparable,
    disagreements,
    explain,
    explain_unbuilt,
    lint_errors,
    load_manifest,
    report_of,
    supports_set,
    symbolic_disagreements,
)


def explained_right(keras: object, model: Model, can_set: bool) -> tuple[bool, bool]:
    answer = explain(model, with_set=can_set)
    if answer.code != 0 or model.keras_rejects:
        return answer.code == 0, False
    return True, disagreements(report_of(answer), keras, model) == []


def models_section(keras: object, models: list[Model]) -> list[str]:
    can_set = supports_set()
    valid = [m for m in models if not m.keras_rejects]
    tally: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    wrong: list[str] = []
    for m in valid:
        group = "knowable" if m.knowable else "needs values"
        tally[group] += 1
        ok, right = explained_right(keras, m, can_set)
        if ok:
            tally[f"{group} explained"] += 1
            tally[f"{group} right"] += right
            if not right:
                wrong.append(m.id)
        else:
            refusals[m.status.removeprefix("refused: ") if m.status != "explained" else "(manifest says explained)"] += 1
    lines = [
        f"corpus: {len({m.file for m in models})} files, {len(models)} models "
        f"({len(models) - len(valid)} written with a real Keras 3 error)",
        f"knowable from the file alone: explained and right {tally['knowable right']} / {tally['knowable']}"
        f" (explained {tally['knowable explained']})",
        f"needing --set/--input-shape: explained and right {tally['needs values right']} / {tally['needs values']}"
        f" (explained {tally['needs values explained']}; --set {'available' if can_set else 'not available'})",
        f"wrong numbers: {len(wrong)}" + (f" {wrong}" if wrong else ""),
        f"refusals by cause ({sum(refusals.values())}):",
    ]
    lines += [f"  {count:3d}  {cause}" for cause, count in refusals.most_common()]
    return lines


def unbuilt_section(keras: object, models: list[Model]) -> list[str]:
    """Models the file gives no input shape (the manifest passes one): explained without it, D unknown?"""
    given = [m for m in models if m.input_shape is not None and not m.keras_rejects]
    right = 0
    for m in given:
        answer = explain_unbuilt(m)
        if answer.code == 0 and report_of(answer).get("unknowns") == ["D"]:
            right += symbolic_disagreements(report_of(answer), keras, m) == []
    return [
        f"without the manifest's --input-shape: explained with the input size as D, formulas right at its D: "
        f"{right} / {len(given)}"
    ]


def lint_section(lints: list[LintExpectation]) -> list[str]:
    false_errors = 0
    files_blocked = 0
    caught = 0
    real = 0
    for lint in lints:
        _, found = lint_errors(lint.file)
        expected_real = comparable(list(lint.errors), found)
        extra = list(found)
        for finding in expected_real:
            if finding in extra:
                extra.remove(finding)
                caught += 1
        real += len(lint.errors) + len(lint.missed)
        false_errors += len(extra)
        files_blocked += bool(extra)
    return [
        f"lint false errors on valid code: {false_errors} in {files_blocked} of {len(lints)} files (target 0)",
        f"lint real Keras 3 errors caught: {caught} / {real}",
    ]


def timing_section() -> list[str]:
    largest = max(FILES.iterdir(), key=lambda p: p.stat().st_size)
    command = [sys.executable, "-m", "rnnshape", "explain", str(largest)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return [
        f"explain time of the largest file ({largest.name}, {largest.stat().st_size} bytes): "
        f"{elapsed:.2f} s as a fresh process (exit {done.returncode})"
    ]


def main() -> int:
    import keras

    models, lints = load_manifest()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lines = models_section(keras, models) + unbuilt_section(keras, models)
    lines += lint_section(lints) + timing_section()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
