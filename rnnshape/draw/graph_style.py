"""``draw --style graph``: layers as boxes, tensors as arrows labelled with their shapes.

The layers and tensors come from the model graph walk (``graph.steps``) and the shapes
from inference (``ModelReport.tensors``). The placement is igraph's Sugiyama layout (a
maintained, layered layout with crossing reduction; wheels on every platform, so a
plain ``pip install`` draws). Each arrow's label is a node of its own in that layout,
between the layer that makes the tensor and the one that reads it, so the layout keeps
labels apart from boxes and from each other, as dot does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph import edges as call_edges
from ..graph import steps
from ..report import ModelReport
from ..spec import ModelSpec, TensorRef
from .labels import output_names, params_text, tensor_text
from .svg import FONT_SIZE, LINE, Canvas, text_width

GAP_X = 28  # between neighbours in a row
GAP_Y = 14  # between a row and the next
PAD = 10  # inside a box


@dataclass
class Node:
    lines: list[tuple[str, str]]  # (text, css class)
    kind: str  # layer, input, output, label
    width: float = 0.0
    height: float = 0.0

    def __post_init__(self) -> None:
        widest = max(text_width(t, FONT_SIZE) for t, _ in self.lines)
        if self.kind == "label":
            # The arrow runs down the node's left side, the text beside it.
            self.width = widest + 8
            self.height = len(self.lines) * LINE
        else:
            self.width = widest + 2 * PAD
            self.height = len(self.lines) * LINE + 2 * PAD - 4


@dataclass
class Diagram:
    nodes: list[Node] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)

    def add(self, node: Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def link(self, source: int, target: int, texts: list[tuple[str, str]]) -> None:
        """Join ``source`` to ``target`` through a label node holding ``texts``."""
        label = self.add(Node(texts, "label"))
        self.links += [(source, label), (label, target)]


def build(model: ModelSpec, report: ModelReport, *, symbols: bool) -> Diagram:
    """The layers, output markers and tensor labels of ``model``, and the links between them."""
    diagram = Diagram()
    box: dict[str, int] = {}
    by_name = {layer.name: layer for layer in report.layers}

    calls: dict[str, int] = {}
    for step in steps(model):
        calls[step.name] = calls.get(step.name, 0) + 1

    def label_of(ref: TensorRef) -> str:
        label = report.tensors[ref][2]
        text = tensor_text(report, ref, symbols)
        producer = by_name.get(ref.layer)
        if producer is not None and len(producer.outputs) > 1:
            text = f"{output_names(producer)[ref.tensor]} {text}"
        if calls.get(ref.layer, 1) > 1:  # which call of a shared layer made it, as Keras labels it
            text = f"{label} {text}"
        return text

    for inp in model.inputs:
        ref = TensorRef(inp.name)
        box[inp.name] = diagram.add(Node([("Input", "title"), (inp.name, ""), (label_of(ref), "shape")], "input"))
    for step in steps(model):
        if step.name not in box:
            layer = by_name[step.name]
            lines = [(layer.class_name, "title"), (layer.name, ""), (params_text(layer.params_text), "small")]
            if calls[step.name] > 1:
                lines.append((f"shared: {calls[step.name]} calls", "note"))
            box[step.name] = diagram.add(Node(lines, "layer"))
        target = box[step.name]
        grouped: dict[str, list[tuple[str, str]]] = {}
        roles = [""] * len(step.call.inputs) + ["initial_state "] * len(step.call.initial_state)
        roles += [f"{key}= " for key, _ in step.call.kwarg_inputs]
        for ref, role in zip(call_edges(step.call), roles):
            grouped.setdefault(ref.layer, []).append((role + label_of(ref), "shape"))
        for producer, texts in grouped.items():
            diagram.link(box[producer], target, texts)
    outputs = list(model.outputs)
    if model.sequential and model.calls:
        # A Sequential model returns everything its last layer does (merge_mode=None: two).
        last = model.calls[-1].layer.name
        outputs = [ref for ref in report.tensors if ref.layer == last]
    for i, ref in enumerate(outputs):
        name = "Output" if len(outputs) == 1 else f"Output {i}"
        sink = diagram.add(Node([(name, "title")], "output"))
        diagram.link(box[ref.layer], sink, [(label_of(ref), "shape")])
    return diagram


def render(model: ModelSpec, report: ModelReport, *, symbols: bool) -> str:
    """The SVG of the model graph."""
    import igraph

    diagram = build(model, report, symbols=symbols)
    g = igraph.Graph(n=len(diagram.nodes), edges=diagram.links, directed=True)
    layout = g.layout_sugiyama(hgap=1, vgap=1, maxiter=200)
    coords = [tuple(layout[i]) for i in range(len(diagram.nodes))]
    routes = [list(map(tuple, r)) for r in layout.edge_routing]
    xs = _compact(diagram, coords, routes)
    rows = _row_spans(diagram, [int(round(y)) for _, y in coords])

    def at(x: float, y: float) -> tuple[float, float]:
        top, bottom = rows[int(round(y))]
        return xs[x], (top + bottom) / 2

    canvas = Canvas(f"model graph of {report.name}")
    for (source, target), route in zip(diagram.links, routes):
        canvas.path(_route(diagram, rows, [coords[source], *route, coords[target]], xs, source, target),
                    arrow=diagram.nodes[target].kind != "label")
    for node, (x, y) in zip(diagram.nodes, coords):
        cx, cy = at(x, y)
        if node.kind == "label":
            canvas.lines(cx + 8, cy, node.lines, anchor="start")
            continue
        canvas.rect(cx - node.width / 2, cy - node.height / 2, node.width, node.height, node.kind)
        canvas.lines(cx, cy, node.lines)
    return canvas.render()


def _compact(
    diagram: Diagram, coords: list[tuple[float, ...]], routes: list[list[tuple[float, ...]]]
) -> dict[float, float]:
    """Canvas x of each layout x: one increasing map for all rows, so what the layout puts
    in one column stays in one column (a chain is one straight line).

    The layout spaces items in units of one node; boxes and labels differ in width, so
    each layout x is placed just far enough right of the one before to clear every row's
    left neighbour (an arrow runs through a label's left side, its text to the right).
    """
    rows: dict[float, list[tuple[float, float, float]]] = {}  # row -> (layout x, left, right)
    for node, (x, y) in zip(diagram.nodes, coords):
        left, right = (4.0, node.width) if node.kind == "label" else (node.width / 2, node.width / 2)
        rows.setdefault(y, []).append((x, left, right))
    for route in routes:
        for x, y in route:
            rows.setdefault(y, []).append((x, 6.0, 6.0))
    after: dict[float, list[tuple[float, float]]] = {}  # layout x -> (neighbour's x, distance)
    for row in rows.values():
        row.sort()
        for (xa, _, right_a), (xb, left_b, _) in zip(row, row[1:]):
            after.setdefault(xb, []).append((xa, right_a + left_b + GAP_X))
    placed: dict[float, float] = {}
    for x in sorted({x for row in rows.values() for x, _, _ in row}):
        placed[x] = max((placed[xa] + gap for xa, gap in after.get(x, [])), default=0.0)
        if placed:
            placed[x] = max(placed[x], max(placed.values()))
    return placed


def _row_spans(diagram: Diagram, ranks: list[int]) -> list[tuple[float, float]]:
    """The top and bottom of each layout row: each row as tall as its tallest node."""
    heights: dict[int, float] = {}
    for node, rank in zip(diagram.nodes, ranks):
        heights[rank] = max(heights.get(rank, 0.0), node.height)
    spans = []
    y = 0.0
    for rank in range(max(ranks) + 1 if ranks else 0):
        h = heights.get(rank, 0.0)
        spans.append((y, y + h))
        y += h + GAP_Y
    return spans


def _route(
    diagram: Diagram, rows: list[tuple[float, float]], points: list[tuple[float, ...]], xs: dict[float, float],
    source: int, target: int,
) -> list[tuple[float, float]]:
    """An arrow through layout ``points``: straight down inside a row, sideways only in the
    gap between two rows, so it never crosses a row's text."""
    def row(y: float) -> tuple[float, float]:
        return rows[int(round(y))]

    src, tgt = diagram.nodes[source], diagram.nodes[target]
    (x0, y0), (x1, y1) = points[0], points[-1]
    top0, bottom0 = row(y0)
    out = [(xs[x0], (top0 + bottom0 + (src.height if src.kind != "label" else 0)) / 2)]
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        middle = (row(ya)[1] + row(yb)[0]) / 2
        out += [(xs[xa], middle), (xs[xb], middle)]
    top1, bottom1 = row(y1)
    out.append((xs[x1], (top1 + bottom1 - (tgt.height if tgt.kind != "label" else 0)) / 2))
    # Drop the bends of a straight drop.
    return [p for k, p in enumerate(out) if k in (0, len(out) - 1) or not (out[k - 1][0] == p[0] == out[k + 1][0])]
