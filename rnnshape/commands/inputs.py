"""Loaded inputs as the commands receive them: models, errors, and warnings to print."""

from __future__ import annotations

from typing import Sequence, TypeVar

# Loading goes through the module so that a test can stand in for formats.load_models.
from .. import formats
from ..edge import report_error
from ..errors import EXIT_OK, RnnshapeError, UsageError
from ..spec import ModelSpec

T = TypeVar("T")


def without_warnings(entries: list[T]) -> list[T]:
    """Print the warnings among loaded models (skipped parts of a .py file) and drop them."""
    kept = []
    for entry in entries:
        if isinstance(entry, RnnshapeError) and entry.exit_code == EXIT_OK:
            report_error(entry)
        else:
            kept.append(entry)
    return kept


def load_one_model(
    specs: Sequence[str], *, input_shape: str | None, batch_input_shape: str | None, model_name: str | None,
    set_values: Sequence[str], doing: str,
) -> ModelSpec:
    """The one model a command that handles one at a time (``doing``: "draws", "writes") works on;
    several are a usage error naming them, a model that could not be read is raised."""
    models = without_warnings(
        formats.load_models(
            list(specs), input_shape=input_shape, batch_input_shape=batch_input_shape, model=model_name,
            set_values=list(set_values),
        )
    )
    if len(models) != 1:
        names = ", ".join(m.name for m in models if not isinstance(m, RnnshapeError))
        raise UsageError(
            f"rnnshape {doing} one model at a time; got {len(models)}",
            hint=f"pick one with --model NAME ({names})" if names else None,
        )
    (model,) = models
    if isinstance(model, RnnshapeError):
        raise model
    return model
