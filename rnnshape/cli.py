"""The command-line interface: declarations only. Work happens in the core and adapters.

No ``from __future__ import annotations`` here: Typer reads every command's annotations
on each run, and real objects spare it evaluating strings (a tenth of explain's time).
"""

import enum
import os
import signal
import sys
from typing import Annotated, List, Optional, TypeVar

T = TypeVar("T")

import typer

from . import __version__
from .edge import DEBUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, handled, report_error
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
        help='Model files (Keras .json/.keras/.h5, YAML, .py, .ipynb), or layer expressions in Keras call syntax such as "LSTM(8, return_sequences=True)".',
        show_default=False,
    ),
]
InputShapeOpt = Annotated[
    Optional[str],
    typer.Option(
        "--input-shape",
        help="Per-sample input shape, e.g. 10,3 (T, D): for layer expressions, or for a model file that records none.",
        metavar="T,D",
    ),
]
BatchInputShapeOpt = Annotated[
    Optional[str],
    typer.Option("--batch-input-shape", help="Full input shape with a fixed batch, e.g. 8,2,10 (N, T, D).", metavar="N,T,D"),
]

ModelOpt = Annotated[
    Optional[str],
    typer.Option("--model", help="Only this model of a file (in .py/.ipynb files: its variable name).", metavar="NAME"),
]

SetOpt = Annotated[
    Optional[List[str]],
    typer.Option(
        "--set",
        help="Give a .py/.ipynb model a value its code computes from data: a variable or the expression "
        "rnnshape names, e.g. --set vocab_size=10000 --set 'len(chars)=57'; VALUE is a Python literal. Repeatable.",
        metavar="NAME=VALUE",
    ),
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
    model_name: ModelOpt = None,
    set_values: SetOpt = None,
    assume: Annotated[
        Optional[List[str]],
        typer.Option(
            "--assume",
            help="Treat a layer rnnshape does not know as outputting SHAPE (with the batch axis, e.g. "
            "my_layer=None,10,16), or as keeping its input's shape (NAME alone); 0 params. Repeatable.",
            metavar="NAME[=SHAPE]",
        ),
    ] = None,
) -> int:
    """Print each layer's output shape, parameter count and the formula behind it."""
    from .assume import parse_assumptions
    from .expect import check_expectations
    from .formats import load_models
    from .infer import infer_model
    from .render.explain import render_json, render_markdown, render_table, report_dict

    assumptions = parse_assumptions(assume or [])
    code = EXIT_OK
    outputs: list[str] = []
    json_reports = []
    for model in load_models(
        specs, input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name, set_values=set_values
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
    model_name: ModelOpt = None,
    set_values: SetOpt = None,
) -> int:
    """Build each model with real Keras 3 and compare every shape, parameter count and weight."""
    from .check.numeric import load_forward_function
    from .check.render import render_json, render_table
    from .check.runner import CheckOptions, check_models
    from .formats import load_models

    models = without_warnings(
        load_models(
            specs, input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name, set_values=set_values
        )
    )
    if all(isinstance(m, RnnshapeError) for m in models):
        # Nothing to build: answer without paying for TensorFlow (seconds, ~600 MB).
        return max((report_error(m) for m in models if isinstance(m, RnnshapeError)), default=EXIT_PROBLEMS)
    forward_function = load_forward_function() if numeric else None
    options = CheckOptions(device=device.value, force=force, numeric=numeric, atol=atol, seed=seed)
    run = check_models(models, options, forward_function=forward_function)
    if output_format is CheckFormat.json:
        typer.echo(render_json(run), nl=False)
    else:
        typer.echo(render_table(run), nl=False)
    return EXIT_OK if run.ok else EXIT_PROBLEMS


class NumpyFormat(str, enum.Enum):
    py = "py"
    md = "md"
    ipynb = "ipynb"


class Convention(str, enum.Enum):
    keras = "keras"
    column = "column"


@app.command("numpy")
@handled
def numpy_cmd(
    specs: SpecsArg,
    input_shape: InputShapeOpt = None,
    batch_input_shape: BatchInputShapeOpt = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    weights: Annotated[
        Optional[str], typer.Option("--weights", help="Take the weights from a .keras, .weights.h5 or .h5 file.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random weights (when no --weights).")] = 0,
    convention: Annotated[
        Convention, typer.Option("--convention", help="keras: row vectors x_t @ Wx; column: Wx @ x_t, weights transposed.")
    ] = Convention.keras,
    trace: Annotated[bool, typer.Option("--trace", help="Print every timestep's input, pre-activation and state.")] = False,
    output_format: Annotated[NumpyFormat, typer.Option("--format", "-f", help="A module, a Markdown walkthrough or a notebook.")] = NumpyFormat.py,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    model_name: ModelOpt = None,
    set_values: SetOpt = None,
) -> int:
    """Write a standalone NumPy forward pass that reproduces the model's predict()."""
    from .numpy_gen.cli_run import run_numpy

    return run_numpy(
        specs,
        input_shape=input_shape,
        batch_input_shape=batch_input_shape,
        output=output,
        weights=weights,
        seed=seed,
        convention=convention.value,
        trace=trace,
        fmt=output_format.value,
        force=force,
        model_name=model_name,
        set_values=set_values,
    )


@app.command("layers")
@handled
def list_layers() -> int:
    """List the supported Keras layers with their parameter formulas."""
    from tabulate import tabulate

    from .layers.catalog import aliases_of, layer_groups

    blocks = []
    for title, defs in layer_groups():
        rows = [
            ["\n".join([d.class_name, *(f"  = {a}" for a in aliases_of(d.class_name))]), d.formula_text, d.summary]
            for d in defs
        ]
        table = tabulate(
            rows, headers=["Layer", "Parameters", "What it does"], tablefmt="simple",
            disable_numparse=True, maxcolwidths=[None, 28, 46],
        )
        blocks.append(f"{title}\n{table}")
    typer.echo("\n\n".join(blocks))
    return EXIT_OK


class LintFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@app.command()
@handled
def lint(
    paths: Annotated[
        List[str],
        typer.Argument(help="Model files and directories (searched recursively).", show_default=False),
    ],
    output_format: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
    select: Annotated[
        Optional[List[str]],
        typer.Option("--select", help="Only these rule codes or prefixes (e.g. RS1,RS203); replaces the config's.", metavar="CODES"),
    ] = None,
    ignore: Annotated[
        Optional[List[str]],
        typer.Option("--ignore", help="Skip these rule codes or prefixes; adds to the config's.", metavar="CODES"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too, not only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list skipped and clean files.")] = False,
    set_values: SetOpt = None,
) -> int:
    """Check model configs for shape errors and Keras pitfalls (exit 1 on errors)."""
    from .lint import exit_code, lint_paths, load_settings
    from .render import lint as render

    settings = load_settings(select=select, ignore=ignore, strict=strict, set_values=set_values)
    if verbose and settings.config_file:
        typer.echo(f"rnnshape: using [tool.rnnshape] from {settings.config_file}", err=True)
    results = lint_paths(paths, settings)
    if output_format is LintFormat.json:
        typer.echo(render.render_json(results), nl=False)
    elif output_format is LintFormat.github:
        typer.echo(render.render_github(results), nl=False)
    elif output_format is LintFormat.sarif:
        typer.echo(render.render_sarif(results), nl=False)
    else:
        typer.echo(render.render_text(results, verbose=verbose), nl=False)
        if verbose or any(r.problems for r in results):
            typer.echo(render.summary(results), err=True)
    return exit_code(results, settings.strict)


@app.command("rules")
@handled
def list_rules(
    code: Annotated[Optional[str], typer.Argument(help="A rule code such as RS101: print its documentation.", show_default=False)] = None,
) -> int:
    """List the lint rules, or print one rule's documentation."""
    from .lint import RULES
    from .render.lint import render_rules_table

    if code is None:
        typer.echo(render_rules_table(), nl=False)
        return EXIT_OK
    rule = RULES.get(code.strip().upper())
    if rule is None:
        from .errors import UsageError
        from .layers.base import did_you_mean

        raise UsageError(f"no rule '{code}'", hint=did_you_mean(code.upper(), list(RULES)) or "run `rnnshape rules` to list them")
    typer.echo(rule.describe(), nl=False)
    return EXIT_OK


def without_warnings(entries: list[T]) -> list[T]:
    """Print the warnings among loaded models (skipped parts of a .py file) and drop them."""
    kept = []
    for entry in entries:
        if isinstance(entry, RnnshapeError) and entry.exit_code == EXIT_OK:
            report_error(entry)
        else:
            kept.append(entry)
    return kept


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")


def main() -> int:
    """Console-script entry point."""
    try:
        app(prog_name="rnnshape")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:  # Ctrl-C outside a command (while starting up or parsing options)
        sys.stderr.write("rnnshape: interrupted\n")
        code = 130
    else:
        code = 0
    # The work is done and reported: a Ctrl-C while Python shuts down changes nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED:
        # CPython remembers a KeyboardInterrupt that escaped any code it ran via PyRun_*
        # (e.g. inside an import that was interrupted), even when rnnshape caught it, and
        # then kills itself with SIGINT at exit instead of returning 130. The interrupt is
        # handled and reported (and partial files removed), so leave without that step.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    return code
