"""What the diagrams write: shapes (numbers or named axes), tensor and step names.

Everything here comes from rnnshape's own inference (the ``ModelReport``); nothing is
measured from a built model.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..layers import get_layer_def
from ..layers.base import format_shape, resolve_args
from ..report import LayerReport, ModelReport
from ..spec import LayerSpec, Shape, TensorRef
from ..symbols import Symbols, format_symbolic

RECURRENT = ("SimpleRNN", "LSTM", "GRU")
SUBSCRIPTS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")


def shape_text(shape: Shape, symbols: Symbols | None, use_symbols: bool) -> str:
    """``(None, 10, 3)``, or ``(N, T, D)`` with ``use_symbols``."""
    if use_symbols and symbols is not None and len(symbols) == len(shape):
        return format_symbolic(shape, symbols)
    return format_shape(shape)


def tensor_text(report: ModelReport, ref: TensorRef, symbols: bool) -> str:
    """The shape of tensor ``ref`` as every style writes it: its axis names with ``symbols``;
    else its sizes, an unbuilt model's unknown axis written as its formula (``(None, None, D)``)."""
    shape, syms, _ = report.tensors[ref]
    if symbols:
        return shape_text(shape, syms, True)
    return report.shape_texts.get(ref, shape_text(shape, syms, False))


def unbuilt_axes(layer: LayerReport) -> list[str] | None:
    """The axes of ``layer``'s first input as an unbuilt model's report writes them
    (``["None", "None", "D"]``), or None where none depends on the unknown."""
    if layer.symbolic is None or not layer.symbolic.input_shapes:
        return None
    axes = layer.symbolic.input_shapes[0].strip("()").split(", ")  # Keras's rendering; an axis's formula has no comma
    return axes if len(axes) == len(layer.input_shapes[0]) else None


def step_input_text(layer: LayerReport, symbols: bool) -> str:
    """The input of one step of a recurrent ``layer``: its input without the time axis."""
    seq = layer.input_shapes[0]
    axes = None if symbols else unbuilt_axes(layer)
    if axes is not None and len(seq) > 2:  # an unbuilt model's: the unknown stays a symbol
        return "(" + ", ".join([axes[0], *axes[2:]]) + ")"
    syms = layer.input_symbols[0] if layer.input_symbols else None
    return shape_text((seq[0], *seq[2:]), (syms[0], *syms[2:]) if syms else None, symbols)


def sub(index: int | str) -> str:
    """A step index in the lessons' notation: 1 -> ``₁``; a letter stays a letter (``T``)."""
    text = str(index)
    if text.lstrip("-").isdigit():
        return text.translate(SUBSCRIPTS)
    return "_" + text if len(text) > 1 else text


def step_name(var: str, index: int | str) -> str:
    """``x₁``, ``h₀``, ``hT`` -> written ``h_T``: subscript digits, a letter after an underscore."""
    text = sub(index)
    if text and not text[0].isalpha() and text[0] != "_":
        return var + text
    return f"{var}_{text.lstrip('_')}"


def resolved(spec: LayerSpec) -> dict[str, Any]:
    """A nested layer's arguments with Keras 3's defaults filled in."""
    return resolve_args(get_layer_def(spec.class_name), spec)


def recurrent_core(layer: LayerReport) -> tuple[str, dict[str, Any]] | None:
    """The SimpleRNN/LSTM/GRU inside ``layer`` (itself or Bidirectional's), with its config."""
    if layer.class_name in RECURRENT:
        return layer.class_name, dict(layer.config)
    inner = layer.config.get("layer")
    if layer.class_name == "Bidirectional" and isinstance(inner, LayerSpec) and inner.class_name in RECURRENT:
        return inner.class_name, resolved(inner)
    return None


def state_names(class_name: str) -> tuple[str, ...]:
    """The states a recurrent layer carries from step to step, in Keras's order."""
    return ("h", "c") if class_name == "LSTM" else ("h",)


def output_names(layer: LayerReport) -> list[str]:
    """A name for each output tensor of ``layer``: ``output``, then the states it returns.

    Keras returns ``[output, *states]`` with ``return_state=True``; a Bidirectional adds the
    forward states, then the backward ones; ``merge_mode=None`` splits the output in two.
    """
    count = len(layer.outputs)
    core = recurrent_core(layer)
    if core is None or count == 1:
        return ["output"] if count == 1 else [f"output {i}" for i in range(count)]
    class_name, _ = core
    states = [f"state_{s}" for s in state_names(class_name)]
    if layer.class_name != "Bidirectional":
        return (["output", *states])[:count] if count <= 1 + len(states) else [f"output {i}" for i in range(count)]
    merged = layer.config.get("merge_mode") is not None
    heads = ["output"] if merged else ["forward output", "backward output"]
    tails = [f"forward {s}" for s in states] + [f"backward {s}" for s in states]
    names = heads + (tails if count > len(heads) else [])
    return names if len(names) == count else [f"output {i}" for i in range(count)]


def params_text(count: str) -> str:
    """``1,234 params``; an unbuilt model's count that depends on its unknown: ``8D + 8 params``."""
    return f"{count} params" if count != "1" else "1 param"


def dims_named(shape: Shape, symbols: Symbols | None) -> list[tuple[str, str]]:
    """Each axis as ``(size, name)``: ``("10", "T")``; ``None`` sizes read as the axis name."""
    names: Sequence[str | None] = symbols if symbols is not None and len(symbols) == len(shape) else [None] * len(shape)
    out = []
    for dim, name in zip(shape, names):
        out.append(("?" if dim is None else str(dim), name or ""))
    return out
