"""The command-line interface: declarations only. Work happens in the core and adapters."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, List, Optional

import typer

from . import __version__
from .edge import DEBUG, EXIT_OK, EXIT_PROBLEMS, handled, report_error
from .errors import RnnshapeError

app = typer.Typer(
    name="rnnshape",
    help="Explain and lint the shapes and parameter counts of Keras recurrent models.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ExplainFormat(str, enum.Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


SpecsArg = Annotated[
    List[str],
    typer.Argument(
        help='Model files (YAML), or layer expressions in Keras call syntax such as "LSTM(8, return_sequences=True)".',
        show_default=False,
    ),
]
InputShapeOpt = Annotated[
    Optional[str],
    typer.Option("--input-shape", help="Per-sample input shape for layer expressions, e.g. 10,3 (T, D).", metavar="T,D"),
]
BatchInputShapeOpt = Annotated[
    Optional[str],
    typer.Option("--batch-input-shape", help="Full input shape with a fixed batch, e.g. 8,2,10 (N, T, D).", metavar="N,T,D"),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rnnshape {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    DEBUG["on"] = debug


@app.command()
@handled
def explain(
    specs: SpecsArg,
    input_shape: InputShapeOpt = None,
    batch_input_shape: BatchInputShapeOpt = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.table,
    weights: Annotated[bool, typer.Option("--weights", help="Add a row for every weight with its shape.")] = False,
    symbols: Annotated[
        bool, typer.Option("--symbols", help="Show shapes with named axes: N samples, T timesteps, D features, M units, K outputs.")
    ] = False,
) -> int:
    """Print each layer's output shape, parameter count and the formula behind it."""
    from .expect import check_expectations
    from .formats import load_models
    from .infer import infer_model
    from .render.explain import render_json, render_markdown, render_table, report_dict

    code = EXIT_OK
    outputs: list[str] = []
    json_reports = []
    for model in load_models(specs, input_shape=input_shape, batch_input_shape=batch_input_shape):
        try:
            if isinstance(model, RnnshapeError):
                raise model
            report = infer_model(model)
        except RnnshapeError as err:
            code = max(code, report_error(err))
            continue
        for note in report.notes:
            typer.echo(f"rnnshape: note: {note}", err=True)
        mismatches = check_expectations(report, model.expect)
        for m in mismatches:
            where = f"{m.pos}: " if m.pos else f"{model.source}: "
            typer.echo(f"rnnshape: error: {where}expect.{m.key}: {m.message}", err=True)
            code = max(code, EXIT_PROBLEMS)
        if output_format is ExplainFormat.json:
            json_reports.append(report_dict(report, mismatches))
        elif output_format is ExplainFormat.markdown:
            outputs.append(render_markdown(report, weights=weights, symbols=symbols))
        else:
            outputs.append(render_table(report, weights=weights, symbols=symbols, unicode=_stdout_is_unicode()))
    if output_format is ExplainFormat.json:
        if json_reports:
            typer.echo(render_json(json_reports), nl=False)
    else:
        typer.echo("\n".join(outputs), nl=False)
    return code


class CheckDevice(str, enum.Enum):
    auto = "auto"
    cpu = "cpu"
    gpu = "gpu"


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"


@app.command()
@handled
def check(
    specs: SpecsArg,
    input_shape: InputShapeOpt = None,
    batch_input_shape: BatchInputShapeOpt = None,
    device: Annotated[
        CheckDevice, typer.Option("--device", help="Where Keras runs: auto picks a GPU when TensorFlow sees one.")
    ] = CheckDevice.auto,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    numeric: Annotated[
        bool, typer.Option("--numeric", help="Also compare the generated NumPy forward pass with Keras predict.")
    ] = False,
    atol: Annotated[float, typer.Option("--atol", help="Absolute tolerance for --numeric.", min=0.0)] = 1e-5,
    force: Annotated[bool, typer.Option("--force", help="Build models even when they exceed the size limits.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random probe input (and --numeric weights).")] = 0,
) -> int:
    """Build each model with real Keras 3 and compare every shape, parameter count and weight."""
    from .check.numeric import load_forward_function
    from .check.render import render_json, render_table
    from .check.runner import CheckOptions, check_models
    from .formats import load_models

    models = load_models(specs, input_shape=input_shape, batch_input_shape=batch_input_shape)
    forward_function = load_forward_function() if numeric else None
    options = CheckOptions(device=device.value, force=force, numeric=numeric, atol=atol, seed=seed)
    run = check_models(models, options, forward_function=forward_function)
    if output_format is CheckFormat.json:
        typer.echo(render_json(run), nl=False)
    else:
        typer.echo(render_table(run), nl=False)
    return EXIT_OK if run.ok else EXIT_PROBLEMS


@app.command("layers")
@handled
def list_layers() -> int:
    """List the supported Keras layers with their parameter formulas."""
    from tabulate import tabulate

    from .layers import REGISTRY

    rows = [[d.class_name, d.formula_text, d.summary] for d in REGISTRY.values()]
    typer.echo(tabulate(rows, headers=["Layer", "Parameters", "What it does"], tablefmt="simple", disable_numparse=True))
    return EXIT_OK


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")


def main() -> int:
    """Console-script entry point."""
    try:
        app(prog_name="rnnshape")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0
