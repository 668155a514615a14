"""The command-line interface: declarations only. Each command's work is in rnnshape/commands/.

No ``from __future__ import annotations`` here: Typer reads every command's annotations
on each run, and real objects spare it evaluating strings (a tenth of explain's time).
"""

import enum
from typing import Annotated, List, Optional

import typer

from . import __version__
from .commands.process import run_app
from .edge import DEBUG, handled

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
    html = "html"


class Optimizer(str, enum.Enum):
    """The optimizer whose state the training memory estimate includes (rnnshape.memory.OPTIMIZER_SLOTS)."""

    adam = "adam"
    sgd = "sgd"
    sgd_momentum = "sgd-momentum"
    rmsprop = "rmsprop"
    none = "none"


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

AssumeOpt = Annotated[
    Optional[List[str]],
    typer.Option(
        "--assume",
        help="Treat a layer rnnshape does not know as outputting SHAPE (with the batch axis, e.g. "
        "my_layer=None,10,16), or as keeping its input's shape (NAME alone); 0 params. Repeatable.",
        metavar="NAME[=SHAPE]",
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
    assume: AssumeOpt = None,
    cost: Annotated[
        bool, typer.Option("--cost", help="Add each layer's MACs and FLOPs (one sample, one forward pass) with their "
                           "formulas, and the memory estimate; see docs/cost.md.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="The batch the memory estimate is given for (--cost, JSON).")
    ] = 1,
    optimizer: Annotated[
        Optimizer, typer.Option("--optimizer", help="The optimizer whose state the training memory estimate "
                                "includes: Adam keeps 2 values per trainable weight, SGD with momentum and RMSprop 1, SGD 0.")
    ] = Optimizer.adam,
) -> int:
    """Print each layer's output shape, parameter count and the formula behind it."""
    from .commands import explain as command

    return command.run(
        specs, input_shape=input_shape, batch_input_shape=batch_input_shape, output_format=output_format.value,
        weights=weights, symbols=symbols, model_name=model_name, assume=assume or [], set_values=set_values or [],
        cost=cost, batch_size=batch_size, optimizer=optimizer.value,
    )


class DrawStyle(str, enum.Enum):
    graph = "graph"
    unrolled = "unrolled"
    boxes = "boxes"
    cell = "cell"


@app.command()
@handled
def draw(
    specs: SpecsArg,
    input_shape: InputShapeOpt = None,
    batch_input_shape: BatchInputShapeOpt = None,
    style: Annotated[
        DrawStyle,
        typer.Option(
            "--style", "-s",
            help="graph: layers and tensors; unrolled: a recurrent layer over time; boxes: every tensor as an "
            "N×T×D box; cell: the gates inside one step.",
        ),
    ] = DrawStyle.graph,
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Write this .svg file (or .png, with the png extra installed) instead of stdout.")
    ] = None,
    layer: Annotated[
        Optional[str], typer.Option("--layer", help="The recurrent layer to unroll or open (default: the first).", metavar="NAME")
    ] = None,
    steps: Annotated[
        int, typer.Option("--steps", help="Unrolled: the most timesteps drawn; longer sequences show the first ones, an ellipsis and the last.", min=2)
    ] = 8,
    symbols: Annotated[
        bool, typer.Option("--symbols", help="Write shapes with named axes: N samples, T timesteps, D features, M units, K outputs.")
    ] = False,
    model_name: ModelOpt = None,
    assume: AssumeOpt = None,
    set_values: SetOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> int:
    """Draw a model as SVG: its graph, a recurrent layer unrolled, its tensors as boxes, or one cell's gates."""
    from .commands import draw as command

    return command.run(
        specs, input_shape=input_shape, batch_input_shape=batch_input_shape, style=style.value, output=output,
        layer=layer, steps=steps, symbols=symbols, model_name=model_name, assume=assume or [], force=force,
        set_values=set_values or [],
    )


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
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the random probe input (and --numeric weights).")] = 0,
    model_name: ModelOpt = None,
    set_values: SetOpt = None,
) -> int:
    """Build each model with real Keras 3 and compare every shape, parameter count and weight."""
    from .commands import check as command

    return command.run(
        specs, input_shape=input_shape, batch_input_shape=batch_input_shape, device=device.value,
        output_format=output_format.value, numeric=numeric, atol=atol, force=force, seed=seed, model_name=model_name,
        set_values=set_values or [],
    )


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
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the random weights (when no --weights).")] = 0,
    convention: Annotated[
        Convention, typer.Option("--convention", help="keras: row vectors x_t @ Wx; column: Wx @ x_t, weights transposed.")
    ] = Convention.keras,
    trace: Annotated[bool, typer.Option("--trace", help="Print every timestep's input, pre-activation and state.")] = False,
    output_format: Annotated[
        Optional[NumpyFormat],
        typer.Option("--format", "-f", help="A module, a Markdown walkthrough or a notebook (default: from -o's suffix, else py)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    model_name: ModelOpt = None,
    set_values: SetOpt = None,
    input_data: Annotated[
        Optional[str],
        typer.Option(
            "--input", metavar="DATA",
            help='Run the forward pass on this data and print it: a .npy file or a literal such as "[[1]*5, [2]*5]".',
        ),
    ] = None,
) -> int:
    """Write a standalone NumPy forward pass that reproduces the model's predict()."""
    from .commands import numpy as command

    return command.run(
        specs, input_shape=input_shape, batch_input_shape=batch_input_shape, output=output, weights=weights,
        seed=seed, convention=convention.value, trace=trace, fmt=None if output_format is None else output_format.value,
        force=force, model_name=model_name, set_values=set_values or [], input_data=input_data,
    )


@app.command("layers")
@handled
def list_layers() -> int:
    """List the supported Keras layers with their parameter formulas."""
    from .commands import layers as command

    return command.run()


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
    from .commands import lint as command

    return command.run(
        paths, output_format=output_format.value, select=select, ignore=ignore, strict=strict, verbose=verbose,
        set_values=set_values or [],
    )


@app.command("rules")
@handled
def list_rules(
    code: Annotated[Optional[str], typer.Argument(help="A rule code such as RS101, or its name such as wrong-input-rank: print its documentation.", show_default=False)] = None,
) -> int:
    """List the lint rules, or print one rule's documentation."""
    from .commands import rules as command

    return command.run(code)


def main() -> int:
    """Console-script entry point."""
    return run_app(app)
