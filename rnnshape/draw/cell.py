"""``draw --style cell``: the inside of one step of a SimpleRNN, LSTM or GRU.

Each gate is a box with its equation and the slice of each weight it uses, with the
model's real sizes: Keras keeps the gates side by side along the last axis of
``kernel`` (D, g·M), in the order of ``numpy_gen.recurrent.GATES`` (LSTM i, f, c, o;
GRU z, r, h). A GRU's two forms differ: ``reset_after=True`` (Keras 3's default) keeps
two bias rows and applies r after the recurrent product, ``reset_after=False`` before.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..numpy_gen.recurrent import GATES
from ..report import ModelReport
from .labels import recurrent_core, shape_text, step_input_text, unbuilt_axes
from .svg import LINE, Canvas, text_width
from .unrolled import pick_layer
from ..records import record

PAD = 10
GAP_X = 60
GAP_Y = 16


@record
class GateText:
    title: str
    lines: tuple[str, ...]


def _span(k: int, m: int | None, gates: int) -> str:
    """``0:M = 0:5``: gate ``k``'s columns, in symbols and numbers."""
    lo = "0" if k == 0 else ("M" if k == 1 else f"{k}M")
    hi = "M" if k == 0 else f"{k + 1}M"
    if gates == 1:
        return ":"
    if m is None:
        return f"{lo}:{hi}"
    return f"{lo}:{hi} = {k * m}:{(k + 1) * m}"


def gate_texts(class_name: str, cfg: dict[str, Any], d: int | str | None, m: int | None) -> list[GateText]:
    """Each gate's equation and weight slices, in Keras's gate order."""
    gates = GATES[class_name]
    use_bias = bool(cfg.get("use_bias", True))
    two_rows = class_name == "GRU" and bool(cfg.get("reset_after", True))
    act, rec_act = str(cfg.get("activation", "tanh")), str(cfg.get("recurrent_activation", "sigmoid"))
    out = []
    for k, gate in enumerate(gates):
        fn = rec_act if gate.recurrent else act
        span = _span(k, m, len(gates))
        key = "h" if class_name == "GRU" and gate.var == "hh" else gate.var
        w, u, b = (f"W_{key}", f"U_{key}", f"b_{key}") if len(gates) > 1 else ("W", "U", "b")
        lines = [f"{w} = kernel[:, {span}]  ({_d(d)}, {_d(m)})", f"{u} = recurrent_kernel[:, {span}]  ({_d(m)}, {_d(m)})"]
        if use_bias and two_rows:
            lines += [f"{b}x = bias[0, {span}]  ({_d(m)},)", f"{b}h = bias[1, {span}]  ({_d(m)},)"]
        elif use_bias:
            lines.append(f"{b} = bias[{span}]  ({_d(m)},)")
        out.append(GateText(f"{gate.var}: {gate.meaning}", (_equation(class_name, gate.var, fn, w, u, b, use_bias, two_rows), *lines)))
    return out


def _d(n: int | str | None) -> str:
    return "?" if n is None else str(n)


def _equation(class_name: str, var: str, fn: str, w: str, u: str, b: str, use_bias: bool, two_rows: bool) -> str:
    if class_name == "GRU" and var == "hh":
        if two_rows:
            inner = f"x_t·{w}" + (f" + {b}x" if use_bias else "") + f" + r ⊙ (h_t-1·{u}" + (f" + {b}h)" if use_bias else ")")
        else:
            inner = f"x_t·{w} + (r ⊙ h_t-1)·{u}" + (f" + {b}" if use_bias else "")
        return f"hh = {fn}({inner})"
    bias = (f" + {b}x + {b}h" if two_rows else f" + {b}") if use_bias else ""
    name = "h_t" if class_name == "SimpleRNN" else var
    return f"{name} = {fn}(x_t·{w} + h_t-1·{u}{bias})"


UPDATES = {
    "SimpleRNN": ("h_t is the new state and the step's output",),
    "LSTM": ("c_t = f ⊙ c_t-1 + i ⊙ g", "h_t = o ⊙ {act}(c_t)"),
    "GRU": ("h_t = z ⊙ h_t-1 + (1 - z) ⊙ hh",),
}


def render(report: ModelReport, *, layer_name: str | None, symbols: bool) -> str:
    """The SVG of one step of a recurrent layer's cell."""
    layer = pick_layer(report, layer_name)
    core = recurrent_core(layer)
    if core is None:  # pragma: no cover - pick_layer only returns recurrent layers
        raise UsageError(f"'{layer.name}' has no recurrent cell")
    class_name, cfg = core
    seq = layer.input_shapes[0]
    axes = unbuilt_axes(layer)
    # An unbuilt model's unknown feature size is written as its symbol (D), never "?".
    d: int | str | None = axes[-1] if axes is not None and seq[-1] is None else seq[-1]
    m = cfg.get("units")
    x_text = step_input_text(layer, symbols)
    h_text = shape_text((seq[0], m), ("N", "M"), symbols)
    canvas = Canvas(f"one step of {layer.name}")
    ins = [("x_t", x_text), ("h_t-1", h_text)] + ([("c_t-1", h_text)] if class_name == "LSTM" else [])
    gates = gate_texts(class_name, cfg, d, m)
    in_w = max(text_width(t) for pair in ins for t in pair) + 2 * PAD
    gate_w = max(text_width(t) for g in gates for t in (g.title, *g.lines)) + 2 * PAD
    gx = in_w + GAP_X
    y = 0.0
    centres = []
    for g in gates:
        h = (len(g.lines) + 1) * LINE + 2 * PAD - 4
        canvas.rect(gx, y, gate_w, h, "gate")
        canvas.text(gx + PAD, y + PAD + LINE / 2 - 2, g.title, "title", anchor="start")
        for i, line in enumerate(g.lines):
            canvas.text(gx + PAD, y + PAD + LINE * (i + 1.5) - 2, line, "" if i == 0 else "small", anchor="start")
        centres.append(y + h / 2)
        y += h + GAP_Y
    total = y - GAP_Y
    _inputs(canvas, ins, in_w, total, gx, centres)
    _update(canvas, class_name, cfg, gx + gate_w, centres, total, h_text)
    title = f"{layer.name}: one step of {class_name}" + (f" (reset_after={cfg.get('reset_after')})" if class_name == "GRU" else "")
    order = ", ".join("c" if g.var == "g" else "h" if g.var == "hh" else g.var for g in GATES[class_name])
    note = f"the gates sit side by side along the last axis of kernel ({_d(d)}, {len(gates)}·{_d(m)}), in Keras's order {order}"
    features = "D unknown" if d == "D" else f"D = {_d(d)}"  # as the unrolled style's "T unknown"
    canvas.text(0, -LINE * 2.5, f"{title}, {features}, M = {_d(m)}", "title", anchor="start")
    if len(gates) > 1:
        canvas.text(0, -LINE * 1.4, note, "note", anchor="start")
    return canvas.render()


def _inputs(canvas: Canvas, ins: list[tuple[str, str]], width: float, total: float, gx: float, centres: list[float]) -> None:
    """The step's inputs on the left, and a bus carrying them to every gate."""
    height = len(ins) * 2 * LINE + 2 * PAD
    top = total / 2 - height / 2
    canvas.rect(0, top, width, height, "input")
    texts = []
    for name, shape in ins:
        texts += [(name, ""), (shape, "shape")]
    canvas.lines(width / 2, total / 2, texts)
    bus = width + GAP_X / 2
    canvas.path([(width, total / 2), (bus, total / 2)], arrow=False)
    canvas.path([(bus, centres[0]), (bus, centres[-1])], arrow=False)
    for c in centres:
        canvas.path([(bus, c), (gx, c)])


def _update(
    canvas: Canvas, class_name: str, cfg: dict[str, Any], right: float, centres: list[float], total: float, h_text: str
) -> None:
    """The state update that joins the gates, and the step's outputs."""
    lines = [u.format(act=cfg.get("activation", "tanh")) for u in UPDATES[class_name]]
    outs = [f"h_t {h_text}"] + ([f"c_t {h_text}"] if class_name == "LSTM" else [])
    texts = [("state update", "title")] + [(t, "") for t in lines] + [("out: " + o, "shape") for o in outs]
    width = max(text_width(t) for t, _ in texts) + 2 * PAD
    height = len(texts) * LINE + 2 * PAD
    left = right + GAP_X
    canvas.rect(left, total / 2 - height / 2, width, height, "merge")
    canvas.lines(left + width / 2, total / 2, texts)
    join = right + GAP_X / 2
    for c in centres:
        canvas.path([(right, c), (join, c)], arrow=False)
    canvas.path([(join, centres[0]), (join, centres[-1])], arrow=False)
    canvas.path([(join, total / 2), (left, total / 2)])
