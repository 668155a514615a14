"""`rnnshape check`: build each model with real Keras 3 and compare it with rnnshape's report."""

from __future__ import annotations

from typing import Sequence

import typer

# None of these imports TensorFlow: Keras is imported only once a model is to be built.
# `forward_pass.forward_function` is looked up at call time (tests stand in for it).
from ..check import numeric as forward_pass
from ..check.render import render_json, render_table
from ..check.runner import CheckOptions, CheckRun, check_models
# Loading goes through the module so that a test can stand in for formats.load_models.
from .. import formats
from ..edge import report_error
from ..errors import EXIT_OK, EXIT_PROBLEMS, RnnshapeError
from ..spec import ModelSpec
from ..unbuilt import needs_input_shape
from .inputs import without_warnings


def run(
    specs: Sequence[str],
    *,
    input_shape: str | None,
    batch_input_shape: str | None,
    device: str,
    output_format: str,
    numeric: bool,
    atol: float,
    force: bool,
    seed: int,
    model_name: str | None,
    set_values: Sequence[str] = (),
) -> int:
    """Check every model the inputs hold; exit 1 when any differs from Keras or fails to build."""
    models = refuse_unbuilt(without_warnings(
        formats.load_models(
        list(specs), input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name,
        set_values=list(set_values),
    )
    ))
    if all(isinstance(m, RnnshapeError) for m in models):
        # Nothing to build: answer without paying for TensorFlow (seconds, ~600 MB).
        return max((report_error(m) for m in models if isinstance(m, RnnshapeError)), default=EXIT_PROBLEMS)
    result = check_loaded(models, device=device, numeric=numeric, atol=atol, force=force, seed=seed)
    typer.echo(render_json(result) if output_format == "json" else render_table(result), nl=False)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def check_loaded(
    models: Sequence[ModelSpec | RnnshapeError], *, device: str, numeric: bool, atol: float, force: bool, seed: int
) -> CheckRun:
    """Build and compare loaded models with real Keras (the work of ``check``, and of ``rnnshape.check``)."""
    models = refuse_unbuilt(models)
    forward_function = forward_pass.forward_function if numeric else None
    options = CheckOptions(device=device, force=force, numeric=numeric, atol=atol, seed=seed)
    return check_models(models, options, forward_function=forward_function)


def refuse_unbuilt(models: Sequence[ModelSpec | RnnshapeError]) -> list[ModelSpec | RnnshapeError]:
    """A model read on a symbolic input (no input shape) becomes the error that asks for one: Keras needs every size."""
    return [
        needs_input_shape(m, "check (building it in Keras)") if isinstance(m, ModelSpec) and m.symbolic_input else m
        for m in models
    ]
