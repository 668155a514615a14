"""Unbuilt models: the input's unknown feature axis kept as a symbol, parameters as polynomials in it.

A Sequential model that declares no input shape is valid Keras 3 (built at its first
call). rnnshape explains it on a symbolic input ``(None, ..., D)``: the model is inferred
three times by the layers' own rules, with ``D`` set to three large primes (``PROBES``).
Every number that differs between the runs (an output axis, a weight axis, a number in
a formula) must be the same affine function ``a·D + b`` with integer ``a`` and ``b`` in
all three runs; then it is that polynomial, and a weight's size is the product of its
axes. A number that follows no such rule (a division by a stride, say) stops the
explanation at its layer and asks for ``--input-shape``. No layer fact is written twice:
the shapes, weights and formulas all come from the layers' own entries.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Sequence

from .errors import ShapeError
from .layers.base import WeightSpec, symbolic_text
from .layers.core import input_batch_shape
from .poly import Poly
from .records import record
from .report import FailedLayer, LayerReport, ModelReport, Symbolic, SymbolicWeight
from .spec import ModelSpec, Shape, TensorRef
from .symbols import Legend, input_symbols

# Values given to the unknown axis: primes far from any size a layer is likely to have,
# so that no layer's own number is mistaken for one that follows the unknown.
PROBES = (100_003, 200_003, 300_007)

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")

Run = tuple[ModelReport, "FailedLayer | None"]
Concrete = Callable[[ModelSpec], Run]


class NotAFormula(Exception):
    """A number that is no integer polynomial of the unknown across the probes."""


@record
class Fitter:
    """Turns the three runs' values of one number into a constant or a polynomial of ``symbol``."""

    symbol: str
    probes: tuple[int, ...] = PROBES

    def dim(self, values: Sequence[int | None]) -> int | None | Poly:
        first = values[0]
        if all(v == first for v in values):
            return first
        if any(v is None for v in values):
            raise NotAFormula
        a, b, c = (v for v in values if v is not None)
        pa, pb, pc = self.probes
        slope, rest = divmod(b - a, pb - pa)
        intercept = a - slope * pa
        if rest or slope * pc + intercept != c:
            raise NotAFormula
        return Poly.affine(self.symbol, slope, intercept)

    def text(self, texts: Sequence[str]) -> str:
        """The runs' texts as one, each number that differs written as its polynomial."""
        splits = [_NUMBER.split(t) for t in texts]
        numbers = [_NUMBER.findall(t) for t in texts]
        if any(s != splits[0] for s in splits):
            raise NotAFormula
        out = [splits[0][0]]
        for index, found in enumerate(zip(*numbers)):
            fitted = self.dim([int(n.replace(",", "")) for n in found])
            out.append(fitted.grouped() if isinstance(fitted, Poly) else found[0])
            out.append(splits[0][index + 1])
        return "".join(out)

    def shape(self, shapes: Sequence[Shape]) -> tuple[Shape, str, bool]:
        """The shape with None on each axis that follows the unknown, its text, and whether it has one."""
        if len({len(s) for s in shapes}) != 1:
            raise NotAFormula
        dims = [self.dim(axis) for axis in zip(*shapes)]
        plain = tuple(None if isinstance(d, Poly) else d for d in dims)
        return plain, shape_text(dims), any(isinstance(d, Poly) for d in dims)


def shape_text(dims: Sequence[int | None | Poly]) -> str:
    """``(None, D + 8)``: Keras's rendering, with the unknown axes written as their polynomial."""
    return "(" + ", ".join(d.text() if isinstance(d, Poly) else str(d) for d in dims) + ")"


def unknown_symbol(model: ModelSpec) -> str:
    """The name of the unknown axis: the input's last axis as ``symbols.input_symbols`` names it."""
    rank = len(input_batch_shape(model.inputs[0]))
    return input_symbols(rank, 0)[-1] or "D"


def infer_symbolic(model: ModelSpec, concrete: Concrete) -> Run:
    """The report of an unbuilt model, from ``concrete`` inference on each probe value."""
    symbol = unknown_symbol(model)
    fit = Fitter(symbol)
    runs = [concrete(_probed(model, probe)) for probe in PROBES]
    reports = [report for report, _ in runs]
    layers: list[LayerReport] = []
    failure: FailedLayer | None = None
    for rows in zip(*(r.layers for r in reports)):
        try:
            layers.append(_layer(rows, fit))
        except NotAFormula:
            failure = _no_formula(rows[0], symbol)
            break
    if failure is None:
        failure = _failure([f for _, f in runs], fit, [len(r.layers) for r in reports])
    base = reports[0]
    outputs = () if failure is not None else tuple(_plain(fit, list(shapes)) for shapes in zip(*(r.outputs for r in reports)))
    report = replace(
        base,
        layers=tuple(layers),
        outputs=outputs,
        legend=_legend([r.legend for r in reports], fit),
        tensors={
            ref: (_plain(fit, [r.tensors[ref][0] for r in reports]), symbols, label)
            for ref, (_, symbols, label) in base.tensors.items()
            if all(ref in r.tensors for r in reports)
        },
        unknowns=(symbol,),
        shape_texts=_shape_texts(reports, fit),
        model=model,  # the graph as written, not a probe's: its unknown axis stays None
    )
    return report, failure


def _shape_texts(reports: Sequence[ModelReport], fit: Fitter) -> dict[TensorRef, str]:
    texts = {}
    for ref in reports[0].tensors:
        try:
            _, text, has = fit.shape([r.tensors[ref][0] for r in reports if ref in r.tensors])
        except NotAFormula:
            continue
        if has:
            texts[ref] = text
    return texts


def _probed(model: ModelSpec, probe: int) -> ModelSpec:
    first = model.inputs[0]
    shape = list(input_batch_shape(first))
    shape[-1] = probe
    probed = replace(first, args={**first.args, "batch_shape": shape, "shape": None, "batch_size": None})
    return replace(model, inputs=(probed, *model.inputs[1:]), symbolic_input=False)


def _plain(fit: Fitter, shapes: list[Shape]) -> Shape:
    try:
        return fit.shape(shapes)[0]
    except NotAFormula:
        return tuple(None for _ in shapes[0])


def _layer(rows: Sequence[LayerReport], fit: Fitter) -> LayerReport:
    """One layer's three reports as one: shapes, weights, formula and MACs in the unknown."""
    base = rows[0]
    if any((r.name, r.class_name, len(r.weights), len(r.outputs)) != (base.name, base.class_name, len(base.weights), len(base.outputs)) for r in rows):
        raise NotAFormula
    ins = [fit.shape([r.input_shapes[i] for r in rows]) for i in range(len(base.input_shapes))]
    outs = [fit.shape([r.outputs[i] for r in rows]) for i in range(len(base.outputs))]
    weights = [_weight([r.weights[i] for r in rows], fit) for i in range(len(base.weights))]
    depends = any(w is not None for w in weights)
    formula = _formula([r.formula for r in rows], fit, depends, weights, base)
    macs, macs_formula = _cost([r.macs for r in rows], [r.macs_formula for r in rows], fit)
    flops, flops_formula = _cost([r.flops for r in rows], [r.flops_formula for r in rows], fit)
    symbolic = None
    if depends or any(has for _, _, has in ins + outs):
        symbolic = Symbolic(
            tuple(text for _, text, _ in ins),
            tuple(text for _, text, _ in outs),
            tuple(w if w is not None else _known_weight(base.weights[i]) for i, w in enumerate(weights)) if depends else (),
        )
    return replace(
        base,
        input_shapes=tuple(shape for shape, _, _ in ins),
        outputs=tuple(shape for shape, _, _ in outs),
        weights=() if depends else base.weights,
        formula=formula,
        macs=macs,
        macs_formula=macs_formula,
        flops=flops,
        flops_formula=flops_formula,
        symbolic=symbolic,
    )


def _weight(specs: Sequence[WeightSpec], fit: Fitter) -> SymbolicWeight | None:
    """A weight whose shape follows the unknown (None when it does not)."""
    base = specs[0]
    if any((w.name, len(w.shape), w.trainable) != (base.name, len(base.shape), base.trainable) for w in specs):
        raise NotAFormula
    dims = [fit.dim(axis) for axis in zip(*(w.shape for w in specs))]
    if not any(isinstance(d, Poly) for d in dims):
        return None
    size = Poly.const(1)
    for d in dims:
        size = size * (d if isinstance(d, Poly) else Poly.const(d or 0))
    plain = tuple(None if isinstance(d, Poly) else d for d in dims)
    text = shape_text(dims)
    return SymbolicWeight(base.name, plain, text[:-1] + ",)" if len(dims) == 1 else text, size, base.trainable)


def _known_weight(weight: WeightSpec) -> SymbolicWeight:
    return SymbolicWeight(weight.name, weight.shape, str(weight.shape), Poly.const(weight.size), weight.trainable)


def _formula(
    texts: Sequence[str], fit: Fitter, depends: bool, weights: Sequence[SymbolicWeight | None], base: LayerReport
) -> str:
    """``K(D+1) = 8(D+1) = 8D + 8``: the layer's own formula with the unknown kept, then the polynomial."""
    if not depends:
        return fit.text(texts)
    split = [t.split(" = ") for t in texts]
    if len({len(s) for s in split}) != 1:
        raise NotAFormula
    total = sum(
        ((w.size if w is not None else Poly.const(base.weights[i].size)) for i, w in enumerate(weights)), Poly.const(0)
    )
    # "2·D" reads "2D", as the symbolic side writes "2·{D}"; a side equal to the one before it is said once.
    sides = [symbolic_text(fit.text(parts), {}) for parts in list(zip(*split))[:-1]] + [total.text()]
    return " = ".join(side for i, side in enumerate(sides) if i == 0 or side != sides[i - 1])


def _cost(values: Sequence[int | None], formulas: Sequence[str], fit: Fitter) -> tuple[int | None, str]:
    """A cost (MACs, FLOPs) stays null where it depends on the unknown, its formula kept with it named."""
    if all(v == values[0] for v in values):
        return values[0], fit.text(formulas)
    heads = [f.split(" = ")[:-1] or [f] for f in formulas]
    if len({len(h) for h in heads}) != 1:
        raise NotAFormula
    head = " = ".join(fit.text(parts) for parts in zip(*heads))
    return None, f"{head} (unknown: {fit.symbol})"


def _legend(legends: Sequence[Sequence[Legend]], fit: Fitter) -> tuple[Legend, ...]:
    out = []
    for items in zip(*legends):
        base = items[0]
        if any(i.symbol != base.symbol for i in items):
            break
        try:
            value = fit.dim([i.value for i in items])
        except NotAFormula:
            value = None
        if isinstance(value, Poly):
            own = value == Poly.symbol(fit.symbol)
            out.append(replace(base, value=None, formula="unknown" if own else value.text()))
        else:
            out.append(base)
    return tuple(out)


def _failure(failures: Sequence[FailedLayer | None], fit: Fitter, lengths: Sequence[int]) -> FailedLayer | None:
    """The run that stopped first, its message and shapes written with the unknown named."""
    stopped = [f for f in failures if f is not None]
    if not stopped:
        return None
    first = failures[lengths.index(min(lengths))] or stopped[0]
    error, shapes = first.error, first.input_shapes
    if len(stopped) == len(failures):
        try:
            message = fit.text([f.error.message for f in stopped])
        except NotAFormula:
            message = error.message  # the runs stopped for different reasons: the first one's words
        if message != stopped[0].error.message:  # it depends on the unknown: say which option settles it
            said = f"{fit.symbol} is this unbuilt model's unknown input size: --input-shape settles it"
            error = error.amended(message=message, hint=f"{error.hint}; {said}" if error.hint else said)
        if all(len(f.input_shapes) == len(shapes) for f in stopped):
            shapes = tuple(_plain(fit, [f.input_shapes[i] for f in stopped]) for i in range(len(shapes)))
    return replace(first, error=error, input_shapes=shapes)


def _no_formula(layer: LayerReport, symbol: str) -> FailedLayer:
    error = ShapeError(
        f"{layer.class_name}: its shapes depend on the unknown input size {symbol} in a way that is no "
        "polynomial (a division or a fixed target size, say)",
        pos=layer.spec.pos,
        layer=layer.name,
        hint=f"give the input shape with --input-shape, which settles {symbol}",
    )
    return FailedLayer(error, layer.name, layer.class_name, tuple(tuple(None for _ in s) for s in layer.input_shapes), layer.inbound)


def legend_value(item: Legend) -> str:
    """A legend entry's value as the legend line shows it."""
    if item.formula is not None:
        return item.formula
    return "dynamic" if item.value is None else str(item.value)


