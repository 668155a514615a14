"""The Python API: ``explain``, ``lint``, ``numpy_source`` and ``check`` on any model object.

Every function reads its model through the CLI's readers (``inputs.load_one``) and answers
with the CLI's inference, lint engine, code generator and Keras cross-check: one truth.
Errors are ``rnnshape.errors.RnnshapeError`` subclasses; nothing here exits.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Sequence

from .assume import parse_assumptions
from .errors import RnnshapeError, UsageError
from .expect import check_expectations
from .inputs import SetValues, ShapeLike, load_one, settings_of
from .lint.problem import Problem
from .live import built_findings, is_built, is_live_model, live_weights
from .results import CheckReport, Report


def explain(
    obj: Any,
    *,
    input_shape: ShapeLike = None,
    batch_input_shape: ShapeLike = None,
    model: str | None = None,
    assume: Sequence[str] = (),
    set: SetValues = None,
    weights: bool = False,
    symbols: bool = False,
) -> Report:
    """Every layer's output shape, parameter count and formula, as ``rnnshape explain`` gives them.

    ``obj``: a live Keras model, a path, a YAML/JSON text or a list of layer expressions.
    A built live model is also compared with its own shapes and parameter counts
    (``Report.agrees_with_built_model``). ``assume`` takes the CLI's ``NAME[=SHAPE]`` texts;
    ``set`` the values a .py/.ipynb model computes from data, as ``--set`` does
    (``{"vocab_size": 20000}`` or ``["vocab_size=20000"]``).
    """
    from .infer import infer_model

    spec = load_one(obj, input_shape=input_shape, batch_input_shape=batch_input_shape, model=model, set_values=set)
    report = infer_model(spec, assume=parse_assumptions(list(assume)))
    built = built_findings(obj, report) if is_live_model(obj) and is_built(obj) else None
    return Report(
        report, tuple(check_expectations(report, spec.expect)), built, weights=weights, symbols=symbols,
        notes=report.notes,
    )


def lint(
    obj: Any,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    *,
    input_shape: ShapeLike = None,
    model: str | None = None,
    set: SetValues = None,
) -> list[Problem]:
    """The problems ``rnnshape lint`` finds, sorted; ``select``/``ignore`` take rule codes or prefixes.

    A path (file or directory) is linted exactly as the CLI lints it, inline ``rnnshape:
    ignore`` comments and the ``[tool.rnnshape]`` settings included.
    """
    from .lint import lint_paths, load_settings
    from .lint.engine import lint_model, problem_from_error

    settings = load_settings(select=select, ignore=ignore, strict=False)
    given = settings_of(set)
    if given:
        settings = replace(settings, values=tuple({**dict(settings.values), **given}.items()))
    if isinstance(obj, (str, os.PathLike)) and os.path.exists(obj):
        return [p for result in lint_paths([os.fspath(obj)], settings) for p in result.problems]
    try:
        spec = load_one(obj, input_shape=input_shape, model=model, set_values=set)
    except UsageError:  # the call is wrong, not the model
        raise
    except RnnshapeError as err:  # a model that cannot be read is a problem, as lint reports it for a file
        found = [problem_from_error(err, str(err.pos.source) if err.pos else "<model>")]
    else:
        found = lint_model(spec)
    return sorted({p for p in found if settings.wants(p.code)}, key=lambda p: p.sort_key)


def numpy_source(
    obj: Any,
    weights: str = "live",
    convention: str = "keras",
    *,
    input_shape: ShapeLike = None,
    model: str | None = None,
    seed: int = 0,
    output: str | None = None,
    force: bool = False,
    set: SetValues = None,
) -> str:
    """The standalone NumPy forward pass ``rnnshape numpy`` writes, as text.

    ``weights="live"`` embeds a live model's trained weights (or a .keras/.h5 file's own,
    as ``numpy FILE`` does); ``"random"`` uses seeded random weights, as without
    ``--weights``. A model too large to embed needs ``output``: the code and its .npz are
    then written there, exactly as ``numpy -o`` writes them.
    """
    from .infer import infer_model
    from .numpy_gen import generate
    from .numpy_gen.given import npz_name_for

    if weights not in ("live", "random"):
        raise UsageError(f"weights must be 'live' or 'random', got {weights!r}")
    spec = load_one(obj, input_shape=input_shape, model=model, set_values=set)
    report = infer_model(spec)
    loaded, origin = (None, None) if weights == "random" else _given_weights(obj, report)
    gen = generate(
        spec, loaded, seed=seed, convention=convention, npz_name=npz_name_for(output), report=report,
        weights_origin=origin,
    )
    if output is not None:
        gen.write(output, force=force)
    elif gen.npz_arrays is not None:
        raise UsageError("this model's weights need a .npz file next to the code: give output='forward.py'")
    return gen.text


def _given_weights(obj: Any, report: Any) -> tuple[Any, str | None]:
    """A live built model's trained weights, or a model file's own; (None, None) for other inputs."""
    from .formats.registry import WEIGHT_SUFFIXES

    if is_live_model(obj):
        if not is_built(obj):
            raise UsageError(
                f"the model '{obj.name}' is not built, so it has no weights to embed",
                hint="build it (call it on data, or give it an Input) or pass weights='random'",
            )
        return live_weights(obj, report), f"the live model '{obj.name}'"
    if isinstance(obj, (str, os.PathLike)) and os.fspath(obj).lower().endswith(WEIGHT_SUFFIXES):
        from .numpy_gen.given import weights_file

        return weights_file(os.fspath(obj), report)
    return None, None


def check(
    obj: Any,
    numeric: bool = False,
    *,
    input_shape: ShapeLike = None,
    model: str | None = None,
    device: str = "auto",
    atol: float = 1e-5,
    seed: int = 0,
    force: bool = False,
    set: SetValues = None,
) -> CheckReport:
    """Build the model with real Keras 3 and compare every shape, parameter count and weight,
    as ``rnnshape check`` does; ``numeric`` also compares the NumPy forward pass with ``predict``."""
    from .commands.check import check_loaded

    spec = load_one(obj, input_shape=input_shape, model=model, set_values=set)
    return CheckReport(check_loaded([spec], device=device, numeric=numeric, atol=atol, force=force, seed=seed))
