"""`rnnshape numpy`: write a standalone NumPy forward pass for one model."""

from __future__ import annotations

import sys
import tempfile
from typing import Sequence

import numpy as np
import typer

from ..errors import EXIT_OK, UsageError
from ..formats.registry import WEIGHT_SUFFIXES
from ..infer import infer_model
from ..unbuilt import needs_input_shape
from ..layers.core import input_batch_shape
from ..numpy_gen import Generated, generate, load_forward, output_format
from ..numpy_gen.given import npz_name_for, weights_file
from ..numpy_gen.module import embedding_vocab
from ..numpy_gen.user_input import check_token_ids, fit_to_input, read_input
from ..report import ModelReport
from ..spec import ModelSpec
from .collector import collector_paused
from .inputs import load_one_model


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
    fmt: str | None,
    force: bool,
    model_name: str | None = None,
    set_values: Sequence[str] = (),
    input_data: str | None = None,
) -> int:
    """Generate the forward pass of the one model the inputs hold; print it or write ``output``.

    With ``input_data`` the generated forward pass also runs on that data and its printout
    (the trace, then the output) goes to stdout instead of the code.
    """
    fmt = output_format(fmt, output)
    with collector_paused():  # loading, inference and generation allocate without freeing
        model = load_one_model(
            specs, input_shape=input_shape, batch_input_shape=batch_input_shape, model_name=model_name,
            set_values=set_values, doing="numpy writes",
        )
        if model.symbolic_input:
            raise needs_input_shape(model, "numpy (writing the forward pass)")
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
        data = None if input_data is None else _user_data(model, report, input_data)
        if output is None and data is None:
            if gen.npz_arrays is not None:  # pragma: no cover - npz_name is None without -o
                raise UsageError("this model's weights need a .npz file next to the code: give -o FILE")
            typer.echo(gen.text, nl=False)
            return EXIT_OK
        if output is not None:
            written = gen.write(output, force=force)
            typer.echo(f"rnnshape: wrote {', '.join(written)}", err=True)
        if data is not None:
            run_on(gen, data)
        return EXIT_OK


def _user_data(model: ModelSpec, report: ModelReport, text: str) -> np.ndarray:
    if len(model.inputs) != 1:
        raise UsageError(f"--input feeds a model with one input; '{model.name}' has {len(model.inputs)}")
    data = fit_to_input(read_input(text), input_batch_shape(model.inputs[0]))
    vocab = embedding_vocab(model, report).get(model.inputs[0].name or "input_layer")
    if vocab:
        check_token_ids(data, vocab)
    return data


def run_on(gen: Generated, data: np.ndarray) -> None:
    """Import the generated module from a temporary folder and print what forward(data) computes."""
    with tempfile.TemporaryDirectory(prefix="rnnshape-input-") as folder:
        forward = load_forward(gen, folder)
        sys.stdout.flush()
        result = forward(data)  # its --trace lines print as it goes
    outputs = result if isinstance(result, list) else [result]
    for i, out in enumerate(outputs):
        label = "output" if len(outputs) == 1 else f"output {i}"
        typer.echo(f"{label} shape: {out.shape}")
        typer.echo(str(out))
