"""`rnnshape lint`: check model files for shape errors and Keras pitfalls."""

from __future__ import annotations

from typing import Sequence

import typer

from ..lint import exit_code, lint_paths, load_settings
from ..render import lint as render


def run(
    paths: Sequence[str],
    *,
    output_format: str,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    strict: bool,
    verbose: bool,
    set_values: Sequence[str] = (),
) -> int:
    """Lint every model file under ``paths``; exit 1 on errors (and on warnings when strict)."""
    settings = load_settings(select=select, ignore=ignore, strict=strict, set_values=list(set_values))
    if verbose and settings.config_file:
        typer.echo(f"rnnshape: using [tool.rnnshape] from {settings.config_file}", err=True)
    results = lint_paths(list(paths), settings)
    if output_format == "json":
        typer.echo(render.render_json(results), nl=False)
    elif output_format == "github":
        typer.echo(render.render_github(results), nl=False)
    elif output_format == "sarif":
        typer.echo(render.render_sarif(results), nl=False)
    else:
        typer.echo(render.render_text(results, verbose=verbose), nl=False)
        if verbose or any(r.problems for r in results):
            typer.echo(render.summary(results), err=True)
    return exit_code(results, settings.strict)
