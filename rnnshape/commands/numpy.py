"""`rnnshape numpy`: write a standalone NumPy forward pass for one model."""

from __future__ import annotations

from typing import Sequence

import typer

# Loading goes through the module so that a test can stand in for formats.load_models.
from .. import formats
from ..errors import EXIT_OK, RnnshapeError, UsageError
from ..formats.registry import WEIGHT_SUFFIXES
from ..infer import infer_model
from ..numpy_gen import generate
from ..numpy_gen.given import npz_name_for, weights_file
from .collector import collector_paused
from .inputs import without_warnings


def run(
    specs: Sequence[str],
    *,
    input_shape: str | None,
    batch_input_shape: str | None,
    output: str | None,
    weights: str | None,
    seed: int,
    convention: str,
    trace: bool,
    fmt: str,
    force: bool,
    model_name: str | None = None,
    set_values: Sequence[str] = (),
) -> int:
    """Generate the forward pass of the one model the inputs hold; print it or write ``output``."""
    with collector_paused():  # loading, inference and generation allocate without freeing
        models = without_warnings(formats.load_models(
            list(specs), input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name,
            set_values=list(set_values),
        ))
        if len(models) != 1:
            names = ", ".join(m.name for m in models if not isinstance(m, RnnshapeError))
            raise UsageError(
                f"rnnshape numpy writes one model at a time; got {len(models)}",
                hint=f"pick one with --model NAME ({names})" if names else None,
            )
        (model,) = models
        if isinstance(model, RnnshapeError):
            raise model
        report = infer_model(model)
        source = weights
        if source is None and len(specs) == 1 and specs[0].lower().endswith(WEIGHT_SUFFIXES):
            source = specs[0]  # a Keras model file carries its own weights
        loaded, origin = weights_file(source, report) if source is not None else (None, None)
        npz_name = npz_name_for(output)
        gen = generate(
            model, loaded, seed=seed, convention=convention, trace=trace, fmt=fmt, npz_name=npz_name,
            report=report, weights_origin=origin,
        )
        if output is None:
            if gen.npz_arrays is not None:  # pragma: no cover - npz_name is None without -o
                raise UsageError("this model's weights need a .npz file next to the code: give -o FILE")
            typer.echo(gen.text, nl=False)
            return EXIT_OK
        written = gen.write(output, force=force)
        typer.echo(f"rnnshape: wrote {', '.join(written)}", err=True)
        return EXIT_OK
