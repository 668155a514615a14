"""``rnnshape numpy``: write a standalone NumPy forward pass for a model.

The API other commands use (``check --numeric``)::

    from rnnshape.numpy_gen import generate, random_weights, load_forward
    gen = generate(model_spec, weights=None, seed=0)        # -> Generated
    forward = load_forward(gen)                              # the module's forward(x)
    y = forward(x)                                           # NumPy, like model.predict(x)
    gen.weights                                              # {layer: [arrays]} it embeds

``weights`` maps each Keras layer name to its arrays in ``layer.weights`` order (what
``layer.get_weights()`` returns and ``layer.set_weights`` takes).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import uuid
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..errors import SpecError, UsageError
from ..output import write_files
from ..report import ModelReport
from ..spec import ModelSpec
from .base import COLUMN, KERAS
from .documents import render_markdown, render_notebook, render_python
from .module import plan_module
from .weights import check_weights, random_weights
from ..records import record

FORMATS = ("py", "md", "ipynb")

# The output formats a suffix of -o names; another suffix leaves the choice to --format (default py).
SUFFIX_FORMATS = {".py": "py", ".md": "md", ".markdown": "md", ".ipynb": "ipynb"}


def output_format(fmt: str | None, output: str | None) -> str:
    """--format, else the one -o's suffix names, else py; a suffix that names another format is refused."""
    implied = SUFFIX_FORMATS.get(os.path.splitext(output or "")[1].lower())
    if fmt is None:
        return implied or "py"
    if implied is not None and implied != fmt:
        raise UsageError(
            f"--format {fmt} does not fit {output}: its suffix means {implied}",
            hint=f"drop --format to write {implied}, or name the file with the suffix of {fmt}",
        )
    return fmt


@record
class Generated:
    """The files a generation produces: the main text and, for large models, an .npz."""

    text: str
    fmt: str
    npz_name: str | None
    npz_arrays: Mapping[str, np.ndarray] | None
    weights: Mapping[str, list[np.ndarray]]
    python: str  # the module source (the same as ``text`` for fmt="py")

    def write(self, path: str, *, force: bool = False) -> list[str]:
        """Write the code (and the .npz beside it) as one set: both appear or neither
        (``rnnshape.output``); an existing file is replaced only with ``force``."""
        files: list[tuple[str, Callable[[Any], Any]]] = []
        if self.npz_arrays is not None and self.npz_name:
            arrays: dict[str, Any] = dict(self.npz_arrays)
            npz_path = os.path.join(os.path.dirname(path) or ".", self.npz_name)
            files.append((npz_path, lambda handle: np.savez(handle, **arrays)))
        files.append((path, lambda handle: handle.write(self.text.encode("utf-8"))))
        written = write_files(files, force=force)
        return written[-1:] + written[:-1]  # the code first, as before


def generate(
    model: ModelSpec,
    weights: Mapping[str, Sequence[np.ndarray]] | None = None,
    *,
    seed: int = 0,
    convention: str = KERAS,
    trace: bool = False,
    fmt: str = "py",
    npz_name: str | None = None,
    report: ModelReport | None = None,
    weights_origin: str | None = None,
    embed_limit: int | None = None,
) -> Generated:
    """Write the forward pass of ``model``; random weights from ``seed`` when none are given."""
    if convention not in (KERAS, COLUMN):
        raise UsageError(f"unknown convention {convention!r} (keras or column)")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
    if model.symbolic_input:
        from ..unbuilt import needs_input_shape

        raise needs_input_shape(model, "the NumPy forward pass")
    if report is None:
        from ..infer import infer_model

        report = infer_model(model)
    if weights is None:
        used = random_weights(report, seed)
        origin = weights_origin or f"seeded random (seed {seed}), uniform, every gate different"
    else:
        used = check_weights(report, weights)
        origin = weights_origin or "given"
    kwargs = {} if embed_limit is None else {"embed_limit": embed_limit}
    plan = plan_module(
        model, report, used, convention=convention, trace=trace, weights_origin=origin, npz_name=npz_name, **kwargs
    )
    python = render_python(plan)
    if fmt == "py":
        text = python
    elif fmt == "md":
        text = render_markdown(plan, model)
    else:
        text = render_notebook(plan, model)
    return Generated(text, fmt, npz_name if plan.npz is not None else None, plan.npz, used, python)


def load_module(gen: Generated, folder: str | None = None) -> Any:
    """Import the generated module (written into ``folder``, a fresh temp dir by default)."""
    folder = folder or tempfile.mkdtemp(prefix="rnnshape-numpy-")
    os.makedirs(folder, exist_ok=True)
    name = f"rnnshape_generated_{uuid.uuid4().hex[:8]}"
    path = os.path.join(folder, name + ".py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(gen.python)
    if gen.npz_name and gen.npz_arrays is not None:
        arrays: dict[str, Any] = dict(gen.npz_arrays)
        np.savez(os.path.join(folder, gen.npz_name), **arrays)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_forward(gen: Generated, folder: str | None = None) -> Callable[..., Any]:
    """The generated ``forward`` function, ready to call on a NumPy batch."""
    return load_module(gen, folder).forward  # type: ignore[no-any-return]


__all__ = ["Generated", "generate", "output_format", "random_weights", "check_weights", "load_module", "load_forward", "FORMATS"]
