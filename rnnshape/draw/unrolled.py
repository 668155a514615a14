"""``draw --style unrolled``: one recurrent layer unrolled over time.

x₁ … x_T enter one cell per step, h₀ → h₁ → … → h_T runs from cell to cell (and c_t
beside it for an LSTM), and what leaves the layer is drawn as Keras returns it: every
h_t with ``return_sequences``, else h_T alone, the returned states named. A Bidirectional
layer is two rows (forward above the inputs, backward below, running right to left)
joined as its ``merge_mode`` says. Long sequences show the first steps, an ellipsis and
the last step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..graph import first_calls
from ..report import LayerReport, ModelReport
from ..spec import LayerSpec, ModelSpec
from .labels import RECURRENT, recurrent_core, resolved, shape_text, state_names, step_input_text, step_name
from .svg import LINE, Canvas, text_width
from ..records import record

CELL_W, CELL_H = 70, 64
STATE_DY = 16  # the h path runs this far below the cell's middle, c this far above
ROW_GAP = 3 * LINE + 30  # from a cell row to the inputs row


@record
class Direction:
    """One row of cells: which way it runs and the sizes it works with."""

    class_name: str
    config: dict[str, Any]
    units: int | None
    forward: bool  # processes x₁ first
    arrow: str  # "" for a plain layer, "→"/"←" in a Bidirectional


def pick_layer(report: ModelReport, name: str | None) -> LayerReport:
    """The layer ``--layer`` names, or the first recurrent one."""
    candidates = [layer for layer in report.layers if recurrent_core(layer) is not None]
    if name is not None:
        found = [layer for layer in report.layers if layer.name == name]
        if not found:
            raise UsageError(f"--layer {name}: the model has no layer of that name", hint=_choices(report))
        if recurrent_core(found[0]) is None:
            raise UsageError(
                f"--layer {name}: '{name}' is a {found[0].class_name}, not a SimpleRNN, LSTM, GRU or a "
                "Bidirectional one", hint=_choices(report),
            )
        return found[0]
    if not candidates:
        raise UsageError(
            f"model '{report.name}' has no SimpleRNN, LSTM or GRU layer to unroll",
            hint="--style graph or --style boxes draw any model",
        )
    return candidates[0]


def _choices(report: ModelReport) -> str | None:
    names = [layer.name for layer in report.layers if recurrent_core(layer) is not None]
    return f"recurrent layers of this model: {', '.join(names)}" if names else None


def steps_shown(length: int | None, most: int) -> list[int | str]:
    """Which steps get a cell: all when they fit, else the first ones, "…" and the last."""
    if length is not None and length <= most:
        return list(range(1, length + 1))
    first = max(1, min(most - 1, 3 if length is None else most - 1))
    return [*range(1, first + 1), "…", "T" if length is None else length]


def directions(layer: LayerReport) -> list[Direction]:
    core = recurrent_core(layer)
    assert core is not None
    class_name, cfg = core
    if layer.class_name != "Bidirectional":
        return [Direction(class_name, cfg, cfg.get("units"), not cfg.get("go_backwards"), "")]
    back = layer.config.get("backward_layer")
    bcfg = resolved(back) if isinstance(back, LayerSpec) else cfg
    bname = back.class_name if isinstance(back, LayerSpec) and back.class_name in RECURRENT else class_name
    return [
        Direction(class_name, cfg, cfg.get("units"), True, "→"),
        Direction(bname, bcfg, bcfg.get("units"), False, "←"),
    ]


def render(model: ModelSpec, report: ModelReport, *, layer_name: str | None, steps: int, symbols: bool) -> str:
    """The SVG of one recurrent layer unrolled over time."""
    layer = pick_layer(report, layer_name)
    # h₀ is zeros unless the layer's (first) call passes initial_state.
    given = bool(first_calls(model)[layer.name].initial_state) if layer.name in first_calls(model) else False
    seq = layer.input_shapes[0]
    length = seq[1] if len(seq) > 2 else None
    shown = steps_shown(length, max(2, steps))
    dirs = directions(layer)
    x_text = step_input_text(layer, symbols)
    h_texts = [_state_shape(layer, d, symbols) for d in dirs]
    widest = max(text_width(t) for t in [x_text, *h_texts, "h→_T-1"])
    sheet = Sheet(Canvas(f"{layer.name} unrolled over time"), shown, length, widest + CELL_W + 24, given)
    x_row = 2 * LINE + CELL_H + ROW_GAP
    # Columns are time positions, x₁ on the left; a row that runs backwards flows right to left.
    for col, t in enumerate(shown):
        if t == "…":
            sheet.canvas.text(sheet.x(col), x_row, "⋯", "title")
        else:
            sheet.canvas.lines(sheet.x(col), x_row, [(step_name("x", t), ""), (x_text, "shape")])
    ends = []
    for k, (d, h_text) in enumerate(zip(dirs, h_texts)):
        below = k == 1
        y = x_row + (1 if below else -1) * (ROW_GAP + CELL_H / 2)
        ends.append(sheet.row(d, y, x_row, h_text, below))
    if layer.class_name == "Bidirectional":
        _merge(sheet, layer, dirs, ends, x_row, symbols)
    # The title goes above whatever the rows drew, so it can never cover an output.
    top = sheet.canvas.extent.top
    sheet.canvas.text(sheet.canvas.extent.left, top - LINE, _title(layer, dirs, length), "title", anchor="start")
    return sheet.canvas.render()


@dataclass
class Sheet:
    """The canvas and the columns: one per step shown, the ellipsis included."""

    canvas: Canvas
    shown: list[int | str]
    length: int | None
    col_w: float
    initial_given: bool = False

    def x(self, col: int) -> float:
        return 40 + self.col_w * 0.75 + col * self.col_w

    def row(self, d: Direction, y: float, x_row: float, h_text: str, below: bool) -> tuple[float, float]:
        """One row of cells; returns the right end of its last output's label."""
        n = len(self.shown)
        flow = list(range(n)) if d.forward else list(reversed(range(n)))
        way = 1 if d.forward else -1
        states = state_names(d.class_name)
        lanes: dict[str, float] = {"h": STATE_DY, "c": -STATE_DY} if len(states) == 2 else {"h": 0.0}
        for p, col in enumerate(flow):
            cx = self.x(col)
            if self.shown[col] == "…":
                for s in states:
                    self.canvas.text(cx, y + lanes[s], "⋯", "title")
            else:
                self._cell(d, cx, y, x_row, below, p)
            for s in states:
                self._state_in(d, s, flow, p, y + lanes[s], h_text, lanes[s] >= 0 and len(states) == 2)
        return self._outputs(d, flow, y, below, h_text, lanes)

    def _cell(self, d: Direction, cx: float, y: float, x_row: float, below: bool, p: int) -> None:
        self.canvas.rect(cx - CELL_W / 2, y - CELL_H / 2, CELL_W, CELL_H, "cell")
        self.canvas.text(cx, y, d.class_name, "small")
        if below:  # the inputs row is above this row
            self.canvas.path([(cx, x_row + LINE + 4), (cx, y - CELL_H / 2)])
        else:
            self.canvas.path([(cx, x_row - LINE - 4), (cx, y + CELL_H / 2)])

    def _state_in(self, d: Direction, s: str, flow: list[int], p: int, ly: float, h_text: str, under: bool) -> None:
        """The arrow carrying state ``s`` into the ``p``-th column of the flow, and its label."""
        way = 1 if d.forward else -1
        col = flow[p]
        cx = self.x(col)
        start = cx - way * (self.col_w - CELL_W / 2) if p else cx - way * (CELL_W / 2 + 40)
        if self.shown[col] == "…":
            end = cx - way * 12
        else:
            end = cx - way * CELL_W / 2
        if p and self.shown[flow[p - 1]] == "…":
            start = cx - way * (self.col_w - 12)
        self.canvas.path([(start, ly), (end, ly)], "state" if s == "c" else "edge")
        name = step_name(s + d.arrow, self._index_in(d, flow, p))
        if p == 0:
            value = "initial_state" if self.initial_given else "0"
            self.canvas.text(start - way * 6, ly, f"{name} = {value}", "small", anchor="end" if way > 0 else "start")
            return
        mid = cx - way * self.col_w / 2
        texts = [(name, ""), (h_text, "shape")]
        if under:
            self.canvas.lines(mid, ly + 6 + LINE, texts)
        else:
            self.canvas.lines(mid, ly - 6 - LINE, texts)

    def _index_in(self, d: Direction, flow: list[int], p: int) -> int | str:
        """The step index of the state entering flow position ``p`` (h₀ enters the first)."""
        if p == 0:
            return 0 if d.forward else ("T+1" if self.length is None else self.length + 1)
        before = self.shown[flow[p - 1]]
        if before != "…":
            return before
        here = self.shown[flow[p]]
        if isinstance(here, int):
            return here - 1 if d.forward else here + 1
        return "T-1" if d.forward else "T+1"

    def _outputs(
        self, d: Direction, flow: list[int], y: float, below: bool, h_text: str, lanes: dict[str, float]
    ) -> tuple[float, float]:
        """Every h_t with return_sequences, else the last h; the returned states beside the row."""
        sign = 1 if below else -1
        edge = y + sign * CELL_H / 2
        out_y = edge + sign * (2 * LINE + 8)
        every = bool(d.config.get("return_sequences"))
        anchor = (0.0, 0.0)
        for p, col in enumerate(flow):
            t = self.shown[col]
            if t == "…" or (not every and p != len(flow) - 1):
                continue
            cx = self.x(col)
            name = step_name("h" + d.arrow, t)
            name = name if every or d.arrow else f"output = {name}"
            self.canvas.path([(cx, edge), (cx, out_y - sign * (LINE + 4))])
            self.canvas.lines(cx, out_y, [(name, ""), (h_text, "shape")])
            anchor = (cx + max(text_width(name), text_width(h_text)) / 2 + 6, out_y)
        if d.config.get("return_state"):
            way = 1 if d.forward else -1
            end = self.x(flow[-1]) + way * CELL_W / 2
            for s, dy in lanes.items():
                name = f"{'forward ' if d.arrow == '→' else 'backward ' if d.arrow else ''}state_{s}"
                self.canvas.path([(end, y + dy), (end + way * 26, y + dy)], "state" if s == "c" else "edge")
                value = step_name(s + d.arrow, self.shown[flow[-1]])
                self.canvas.text(end + way * 32, y + dy, f"{name} = {value} {h_text}", "shape", anchor="start" if way > 0 else "end")
        return anchor


def _title(layer: LayerReport, dirs: list[Direction], length: int | None) -> str:
    flags = [f for f in ("return_sequences", "return_state") if dirs[0].config.get(f)]
    if len(dirs) == 1 and not dirs[0].forward:
        flags.append("go_backwards: reads x_T first, returns states in that order")
    steps = "T unknown" if length is None else f"T = {length}"
    kind = layer.class_name if len(dirs) == 1 else f"Bidirectional({dirs[0].class_name})"
    return f"{layer.name}: {kind}, {steps}" + (f", {', '.join(flags)}" if flags else "")


def _state_shape(layer: LayerReport, d: Direction, symbols: bool) -> str:
    seq = layer.input_shapes[0]
    units_sym = None
    if symbols and layer.class_name != "Bidirectional" and layer.output_symbols:
        units_sym = layer.output_symbols[0][-1]
    return shape_text((seq[0], d.units), ("N", units_sym or "M"), symbols)


MERGES = {
    "concat": "y_t = [h→_t, h←_t]",
    "sum": "y_t = h→_t + h←_t",
    "mul": "y_t = h→_t ⊙ h←_t",
    "ave": "y_t = (h→_t + h←_t) / 2",
}


def _merge(
    sheet: Sheet, layer: LayerReport, dirs: list[Direction], ends: list[tuple[float, float]], y: float, symbols: bool
) -> None:
    """Bidirectional's merge of the two rows, as ``merge_mode`` says, right of the rows."""
    mode = layer.config.get("merge_mode")
    outs, syms = layer.outputs, layer.output_symbols
    every = bool(dirs[0].config.get("return_sequences"))
    if mode is None:
        texts = [("merge_mode=None: two outputs", "title"),
                 (f"forward  {shape_text(outs[0], syms[0], symbols)}", "shape"),
                 (f"backward {shape_text(outs[1], syms[1], symbols)}", "shape")]
    else:
        rule = MERGES.get(str(mode), str(mode))
        if not every:
            rule = rule.replace("_t", "")
        texts = [(f"merge_mode={mode!r}", "title"), (rule, ""), (f"output {shape_text(outs[0], syms[0], symbols)}", "shape")]
    width = max(text_width(t) for t, _ in texts) + 24
    height = len(texts) * LINE + 16
    left = sheet.x(len(sheet.shown) - 1) + sheet.col_w * 0.75
    if dirs[0].config.get("return_state"):
        left += text_width("backward state_h (None, 999)") + 40
    sheet.canvas.rect(left, y - height / 2, width, height, "merge")
    sheet.canvas.lines(left + width / 2, y, texts)
    if every:
        return
    middle = left + width / 2
    for (x, out_y), edge in zip(ends, (y - height / 2, y + height / 2)):
        sheet.canvas.path([(x, out_y), (middle, out_y), (middle, edge)])
