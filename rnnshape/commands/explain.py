"""`rnnshape explain`: each model's layers, shapes, parameter counts and formulas."""

from __future__ import annotations

import sys
from dataclasses import field
from typing import TYPE_CHECKING, Any, Sequence

import typer

# Loading goes through the module so that a test can stand in for formats.load_models.
from .. import formats
from ..edge import report_error
from ..errors import EXIT_OK, EXIT_PROBLEMS, ModelSkipped, NothingRead, RejectedArgument, RnnshapeError
from ..infer import Assumptions, infer_until_error
from ..report import FailedLayer, ModelReport
from ..spec import ModelSpec
from .collector import collector_paused

if TYPE_CHECKING:
    from ..expect import Mismatch
from ..records import record


@record
class Explained:
    """One model's outcome, kept in input order so that a failed model never vanishes.

    ``report`` is partial (the layers up to the break) when inference stopped at
    ``failure``; it is None when the model could not even be loaded (``error`` only).
    """

    file: str | None
    report: ModelReport | None
    mismatches: list[Mismatch] = field(default_factory=list)
    failure: FailedLayer | None = None
    error: RnnshapeError | None = None
    model: ModelSpec | None = None  # the model as read, for the HTML page's diagrams


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
    batch_size: int = 1,
    optimizer: str = "adam",
) -> int:
    """Explain every model the inputs hold; print them all at the end in ``output_format``.

    A model that fails keeps its place: JSON gets an entry with its error, a table or
    Markdown the layers inferred up to the failing one (marked), and the error follows.
    """
    files = len(specs) > 1 and all(formats.looks_like_model_file(s) for s in specs)
    with collector_paused():
        explained = _explain_all(
            [[s] for s in specs] if files else [list(specs)], input_shape, batch_input_shape, model_name, assume,
            set_values,
        )
        code = max([EXIT_OK] + [_exit_code(e) for e in explained])
        sizing = _Sizing(batch_size, optimizer)
        if output_format == "json":
            _print_json(explained, as_list=files or len(explained) > 1, sizing=sizing)
        elif output_format == "html":
            _print_html(explained, symbols=symbols)
        else:
            _print_text(explained, output_format, weights=weights, symbols=symbols, cost=sizing if cost else None)
    return code


@record
class _Sizing:
    """What the memory estimate is given for: --batch-size and --optimizer."""

    batch_size: int = 1
    optimizer: str = "adam"


def _exit_code(entry: Explained) -> int:
    if entry.error is not None:
        return entry.error.exit_code
    return EXIT_PROBLEMS if entry.mismatches else EXIT_OK


def _explain_all(
    groups: Sequence[list[str]], input_shape: str | None, batch_input_shape: str | None, model_name: str | None,
    assume: Sequence[str], set_values: Sequence[str] = (),
) -> list[Explained]:
    """Load and infer each model (each group of arguments names one input); print notes and
    expectation mismatches on the way. Errors are printed later, after the model's output."""
    assumptions: Assumptions = {}
    if assume:
        from ..assume import parse_assumptions

        assumptions = parse_assumptions(list(assume))
    explained: list[Explained] = []
    for group in groups:
        file = group[0] if len(groups) > 1 else None
        for model in formats.load_models(
            group, input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name,
            set_values=list(set_values),
        ):
            if isinstance(model, RnnshapeError):
                source = model.pos.source if model.pos is not None else None
                explained.append(Explained(file or source, None, error=model))
            else:
                explained.append(_explain_one(model, file, assumptions))
    return explained


def _explain_one(model: ModelSpec, file: str | None, assumptions: Assumptions) -> Explained:
    report, failure = infer_until_error(model, assume=assumptions)
    if failure is not None:
        return Explained(file or model.source, report, failure=failure, error=failure.error, model=model)
    for note in report.notes:
        typer.echo(f"rnnshape: note: {note}", err=True)
    return Explained(file or model.source, report, _report_mismatches(report, model), model=model)


def _report_mismatches(report: ModelReport, model: ModelSpec) -> list[Mismatch]:
    """Compare the report with the file's ``expect:`` block and print each difference."""
    if model.expect is None:
        return []
    from ..expect import check_expectations  # only a file with an ``expect:`` block needs it

    mismatches = check_expectations(report, model.expect)
    for m in mismatches:
        where = f"{m.pos}: " if m.pos else f"{model.source}: "
        if m.undecided:  # an unbuilt model's count is a formula: said, and no failure
            typer.echo(f"rnnshape: note: {where}{m.message}", err=True)
        else:
            typer.echo(f"rnnshape: error: {where}expect.{m.key}: {m.message}", err=True)
    return [m for m in mismatches if not m.undecided]


def _print_json(explained: list[Explained], *, as_list: bool, sizing: _Sizing) -> None:
    # Each renderer is imported only for its format: JSON needs no tabulate.
    from ..render.explain_json import error_dict, render_json, report_dict

    dicts: list[dict[str, Any]] = []
    for entry in explained:
        if entry.error is not None:
            report_error(entry.error)
            dicts.append(error_dict(entry.file, entry.error, entry.report, entry.failure))
        elif entry.report is not None:
            dicts.append(
                report_dict(entry.report, entry.mismatches, batch_size=sizing.batch_size, optimizer=sizing.optimizer)
            )
    if dicts:
        typer.echo(render_json(dicts, as_list=as_list), nl=False)


def _print_html(explained: list[Explained], *, symbols: bool) -> None:
    """One self-contained page of every model that explained; errors go to stderr."""
    from ..render.html_page import render_page

    pages = [(e.model, e.report) for e in explained if e.model is not None and e.report is not None and e.failure is None]
    for entry in explained:
        if entry.error is not None:
            report_error(entry.error)
    if pages:
        typer.echo(render_page(pages, symbols=symbols), nl=False)


def _print_text(
    explained: list[Explained], output_format: str, *, weights: bool, symbols: bool, cost: _Sizing | None = None
) -> None:
    """Each model's table (or Markdown), then its error, in input order."""
    from ..render.explain import render_markdown, render_not_explained, render_table

    unicode = _stdout_is_unicode()
    # What is said of a file rather than of one model has no place of its own among the models.
    of_file = (NothingRead, RejectedArgument)
    several = sum(not isinstance(e.error, of_file) for e in explained) > 1
    shown = False
    for entry in explained:
        text = ""
        if entry.report is None:
            if several and not isinstance(entry.error, of_file):
                # Alone, the error says it all; among others the model keeps its place.
                skipped = entry.error is not None and entry.error.exit_code == EXIT_OK
                name = entry.error.model if isinstance(entry.error, ModelSkipped) else None
                text = render_not_explained(name or entry.file, markdown=output_format == "markdown", skipped=skipped)
        elif output_format == "markdown":
            text = render_markdown(entry.report, weights=weights, symbols=symbols, failure=entry.failure)
        else:
            text = render_table(entry.report, weights=weights, symbols=symbols, unicode=unicode, failure=entry.failure)
        if cost is not None and entry.report is not None and entry.failure is None:
            from ..memory import estimate
            from ..render.cost import cost_text

            text += cost_text(entry.report, estimate(entry.report, batch_size=cost.batch_size, optimizer=cost.optimizer))
        if text:
            typer.echo(("\n" if shown else "") + text, nl=False)
            shown = True
        if entry.error is not None:
            sys.stdout.flush()  # the error reads after the rows it explains
            report_error(entry.error)


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")
