"""`rnnshape explain`: each model's layers, shapes, parameter counts and formulas."""

from __future__ import annotations

import sys
from typing import Any, Sequence

import typer

from ..assume import parse_assumptions
# Loading goes through the module so that a test can stand in for formats.load_models.
from .. import formats
from ..edge import report_error
from ..errors import EXIT_OK, EXIT_PROBLEMS, RnnshapeError
from ..expect import Mismatch, check_expectations
from ..infer import infer_model
from ..report import ModelReport
from ..spec import ModelSpec
from .collector import collector_paused


def run(
    specs: Sequence[str],
    *,
    input_shape: str | None,
    batch_input_shape: str | None,
    output_format: str,
    weights: bool,
    symbols: bool,
    model_name: str | None,
    set_values: Sequence[str] = (),
    assume: Sequence[str],
    cost: bool = False,
) -> int:
    """Explain every model the inputs hold; print them all at the end in ``output_format``."""
    with collector_paused():
        code, explained = _explain_all(specs, input_shape, batch_input_shape, model_name, assume, set_values)
        _print(explained, output_format, weights=weights, symbols=symbols, cost=cost)
    return code


def _explain_all(
    specs: Sequence[str], input_shape: str | None, batch_input_shape: str | None, model_name: str | None,
    assume: Sequence[str], set_values: Sequence[str] = (),
) -> tuple[int, list[tuple[ModelReport, list[Mismatch]]]]:
    """Load and infer each model; print each error, note and expectation mismatch on the way."""
    assumptions = parse_assumptions(list(assume))
    code = EXIT_OK
    explained: list[tuple[ModelReport, list[Mismatch]]] = []
    for model in formats.load_models(
        list(specs), input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name,
        set_values=list(set_values),
    ):
        try:
            if isinstance(model, RnnshapeError):
                raise model
            report = infer_model(model, assume=assumptions)
        except RnnshapeError as err:
            code = max(code, report_error(err))
            continue
        for note in report.notes:
            typer.echo(f"rnnshape: note: {note}", err=True)
        mismatches = _report_mismatches(report, model)
        if mismatches:
            code = max(code, EXIT_PROBLEMS)
        explained.append((report, mismatches))
    return code, explained


def _report_mismatches(report: ModelReport, model: ModelSpec) -> list[Mismatch]:
    """Compare the report with the file's ``expect:`` block and print each difference."""
    mismatches = check_expectations(report, model.expect)
    for m in mismatches:
        where = f"{m.pos}: " if m.pos else f"{model.source}: "
        typer.echo(f"rnnshape: error: {where}expect.{m.key}: {m.message}", err=True)
    return mismatches


def _print(
    explained: list[tuple[ModelReport, list[Mismatch]]], output_format: str, *, weights: bool, symbols: bool, cost: bool = False
) -> None:
    # Each renderer is imported only for its format: JSON needs no tabulate.
    if output_format == "json":
        from ..render.explain_json import render_json, report_dict

        dicts: list[dict[str, Any]] = [report_dict(report, mismatches) for report, mismatches in explained]
        if dicts:
            typer.echo(render_json(dicts), nl=False)
        return
    from ..render.explain import render_markdown, render_table

    if output_format == "markdown":
        outputs = [render_markdown(report, weights=weights, symbols=symbols) for report, _ in explained]
    else:
        unicode = _stdout_is_unicode()
        outputs = [render_table(report, weights=weights, symbols=symbols, unicode=unicode) for report, _ in explained]
    if cost:
        from ..render.cost import cost_text

        outputs = [text + cost_text(report) for text, (report, _) in zip(outputs, explained)]
    typer.echo("\n".join(outputs), nl=False)


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")
