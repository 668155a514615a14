"""``--assume NAME[=SHAPE]``: let inference continue past a layer rnnshape does not know.

``NAME`` is a layer name from the model (or a class name, for every layer of that
class). With ``=SHAPE`` the layer is taken to output that shape, written in full with
the batch axis as Keras prints it (``None,10,16``); without it the layer is taken to
keep its input's shape. Either way it counts 0 parameters, and the table says so.
"""

from __future__ import annotations

from typing import Sequence

from .errors import Position, UsageError
from .spec import Shape


def parse_assumptions(options: Sequence[str]) -> dict[str, Shape | None]:
    from .formats import parse_shape_option

    out: dict[str, Shape | None] = {}
    for text in options:
        name, sep, shape_text = text.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"--assume needs a layer name, as NAME or NAME=SHAPE, got {text!r}", pos=Position("--assume"))
        if name in out:
            raise UsageError(f"--assume gives layer '{name}' twice", pos=Position("--assume"))
        out[name] = tuple(parse_shape_option(shape_text, "--assume")) if sep else None
    return out
