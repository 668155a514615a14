"""`rnnshape draw`: one model as an SVG diagram (graph, unrolled, boxes or cell)."""

from __future__ import annotations

from typing import Sequence

import typer

from ..assume import parse_assumptions
from ..errors import EXIT_OK, MissingDependency, UsageError
from ..infer import infer_model
from ..output import write_files
from .collector import collector_paused
from .inputs import load_one_model


def run(
    specs: Sequence[str],
    *,
    input_shape: str | None,
    batch_input_shape: str | None,
    style: str,
    output: str | None,
    layer: str | None,
    steps: int,
    symbols: bool,
    model_name: str | None,
    assume: Sequence[str],
    force: bool,
    set_values: Sequence[str] = (),
) -> int:
    """Draw the one model the inputs hold; print the SVG or write ``output`` (.svg or .png)."""
    from ..draw import render

    if output is not None and not output.lower().endswith((".svg", ".png")):
        raise UsageError(f"-o {output}: draw writes .svg files (or .png with the [png] extra)")
    with collector_paused():
        model = load_one_model(
            specs, input_shape=input_shape, batch_input_shape=batch_input_shape, model_name=model_name,
            set_values=set_values, doing="draw draws",
        )
        report = infer_model(model, assume=parse_assumptions(list(assume)))
        svg = render(style, model, report, symbols=symbols, layer=layer, steps=steps)
    if output is None:
        typer.echo(svg, nl=False)
        return EXIT_OK
    data = _png(svg) if output.lower().endswith(".png") else svg.encode("utf-8")
    write_files([(output, lambda handle: handle.write(data))], force=force)
    typer.echo(f"rnnshape: wrote {output}", err=True)
    return EXIT_OK


def _png(svg: str) -> bytes:
    """The SVG rasterised by CairoSVG (the optional ``png`` extra)."""
    try:
        import cairosvg  # type: ignore[import-not-found,unused-ignore]
    except (ImportError, OSError) as err:  # OSError: the package is there but not the cairo library
        raise MissingDependency(
            f"writing PNG needs CairoSVG ({err})", hint="pip install 'rnnshape[png]', or write .svg"
        ) from None
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    assert isinstance(png, bytes)
    return png
