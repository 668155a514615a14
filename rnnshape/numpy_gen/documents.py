"""The three output formats: a Python module, a Markdown walkthrough, a Jupyter notebook.

All three carry the same code; the documents add the prose between the pieces. The
notebook is nbformat 4 JSON written directly (no nbformat needed at run time).
"""

from __future__ import annotations

import json
from typing import Any

from ..graph import map_children
from ..spec import LayerSpec, ModelSpec
from .base import clean
from .module import Plan


def render_python(plan: Plan) -> str:
    parts = ['"""' + plan.header + '\n"""']
    for section in plan.sections:
        banner = f"# ---- {section.title} "
        if section.title not in ("Imports",):
            parts.append(banner + "-" * max(80 - len(banner), 4))
        parts.append(section.code)
    return _join(parts)


def _join(parts: list[str]) -> str:
    out = []
    for i, part in enumerate(parts):
        out.append(part)
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if nxt is None:
            out.append("\n")
        elif part.startswith("# ----"):
            out.append("\n")
        else:
            out.append("\n\n\n")
    return "".join(out)


def render_markdown(plan: Plan, model: ModelSpec) -> str:
    title, _, rest = plan.header.partition("\n")
    lines = [f"# {title}", "", "```text", rest.strip("\n"), "```", ""]
    for section in plan.sections:
        lines += [f"## {section.title}", ""]
        if section.prose:
            lines += [section.prose, ""]
        lines += ["```python", section.code, "```", ""]
    lines += [
        "Put the code blocks together in order (or run `rnnshape numpy ... --format py`) to get the module.",
        "",
    ]
    return "\n".join(lines)


def render_notebook(plan: Plan, model: ModelSpec, *, compare: bool = True) -> str:
    cells: list[dict[str, Any]] = []
    title, _, rest = plan.header.partition("\n")
    cells.append(_md(f"# {title}\n\n```text\n{rest.strip()}\n```"))
    for section in plan.sections:
        text = f"## {section.title}" + (f"\n\n{section.prose}" if section.prose else "")
        cells.append(_md(text))
        code = section.code
        if section.title == "Demo":
            # A notebook's __name__ is "__main__", so the guarded demo runs as a cell too.
            code = code
        cells.append(_code(code))
    keras_code = keras_comparison(model, plan) if compare else None
    if keras_code:
        cells.append(_md("## Optional: compare with Keras\n\nBuilds the same model in Keras, loads the same weights "
                         "with `set_weights`, and prints the largest difference (float32: expect about 1e-6). "
                         "Skipped when Keras is not installed."))
        cells.append(_code(keras_code))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def _md(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}


def _code(text: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": _lines(text)}


class _Code(str):
    """Source text already written (a nested layer's constructor), not a string value."""


def layer_source(spec: LayerSpec) -> str:
    """``keras.layers.LSTM(units=8, return_sequences=True, name='lstm')`` from a spec (literals only)."""
    written = map_children(spec.args, lambda inner: _Code(layer_source(inner)))
    # ``name`` is written once, from spec.name (a file's config holds it among the arguments too).
    skipped = ("input_shape", "batch_input_shape", "batch_size", "name")
    args = [f"{k}={_value(v)}" for k, v in written.items() if k not in skipped]
    if spec.name:
        args.append(f"name={clean(spec.name)!r}")
    return f"keras.layers.{spec.class_name}({', '.join(args)})"


def _value(v: Any) -> str:
    if isinstance(v, _Code):
        return str(v)
    if isinstance(v, list):
        return "(" + ", ".join(_value(i) for i in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, (str, int, float, bool)) or v is None:
        return repr(clean(v) if isinstance(v, str) else v)
    return repr(clean(v))


def keras_comparison(model: ModelSpec, plan: Plan) -> str | None:
    """Code for the optional Keras cell; only for Sequential models in Keras's own layout."""
    if not model.sequential or len(model.inputs) != 1 or "stored as" in _weights_text(plan):
        return None
    from ..layers.core import input_batch_shape

    shape = tuple(input_batch_shape(model.inputs[0]))
    layers = ",\n        ".join([f"keras.Input(batch_shape={shape!r})"] + [layer_source(c.layer) for c in model.calls])
    return "\n".join(
        [
            "try:",
            "    import keras",
            "except ImportError:",
            "    keras = None",
            '    print("Keras is not installed: skipping the comparison.")',
            "if keras is not None:",
            "    model = keras.Sequential([",
            f"        {layers},",
            "    ])",
            "    for name, arrays in WEIGHTS.items():",
            "        model.get_layer(name).set_weights(arrays)",
            "    y_keras = model.predict(x, verbose=0)",
            '    print("max |numpy - keras| =", np.abs(forward(x) - y_keras).max())',
        ]
    )


def _weights_text(plan: Plan) -> str:
    return next((s.code for s in plan.sections if s.title == "Weights"), "")
