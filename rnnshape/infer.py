"""The pure inference core: a ``ModelSpec`` in, a ``ModelReport`` out.

Walks the calls in order, feeds each layer entry the shapes of its inputs, and
records outputs, weights, formulas and axis names. Never imports TensorFlow or NumPy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from . import limits
from .errors import CustomLayerClass, RankError, RnnshapeError, ShapeError, SpecError, UnknownLayer
from .graph import TensorTable, consumer_classes, first_calls, nested_model, steps
from .layers import get_layer_def, shown_class
from .layers.base import (
    NO_MACS,
    Built,
    Context,
    CostTerm,
    Formula,
    LayerDef,
    Macs,
    Term,
    WeightSpec,
    format_shape,
    resolve_args,
    symbolic_text,
)
from .layers.core import INPUT_LAYER, input_batch_shape
from .layers.flops_total import layer_flops, with_elementwise
from .infer_hints import assume_hint, custom_class_error, rank_hint, unknown_layer_hint
from .report import FailedLayer, LayerReport, ModelReport, dtype_bytes
from .spec import Call, LayerSpec, ModelSpec, NamedLayer, Shape, TensorRef
from .symbolic import infer_symbolic
from .symbols import (
    Legend, LegendBook, OtherUnits, Symbols, input_legend, input_symbols, number_symbols, output_symbols, settle_names,
)

# ``--assume``: layer name (or class name) -> its output shape, or None for "keeps its input's shape".
Assumptions = Mapping[str, "Shape | None"]


class _NestedBuilder(Context):
    def __init__(self, depth: int = 0) -> None:
        self.depth = depth

    def build_nested(self, spec: LayerSpec, inputs: Sequence[Shape]) -> Built:
        if self.depth >= limits.value(limits.LAYER_DEPTH):
            raise SpecError(limits.too_deep(limits.LAYER_DEPTH, "layers"), pos=spec.pos, layer=spec.name)
        return build_layer(spec, inputs, depth=self.depth + 1)[2]


def build_layer(
    spec: LayerSpec, inputs: Sequence[Shape], *, depth: int = 0
) -> tuple[LayerDef, dict[str, Any], Built]:
    """Resolve one layer's arguments and infer it on ``inputs`` (no error context added)."""
    custom = custom_class_error(spec)
    if custom is not None:
        raise custom
    inner = nested_model(spec)
    if inner is not None:
        return _nested_model(spec, inner, inputs)
    layer_def = get_layer_def(spec.class_name, pos=spec.pos, name=spec.name)
    if layer_def.class_name == "InputLayer":
        # Only a model's first layer (or a graph's input) may be an InputLayer; the core
        # resolves those before inference, so one here sits in the middle of a model.
        raise SpecError(
            "an InputLayer can only be a model's first layer (or the input of a graph)",
            pos=spec.pos,
            layer=spec.name,
        )
    if layer_def.arity == 1 and len(inputs) != 1:
        raise ShapeError(
            f"{layer_def.class_name} takes one input tensor, but is called on {len(inputs)}",
            pos=spec.pos,
            layer=spec.name,
        )
    cfg = resolve_args(layer_def, spec)
    built = layer_def.infer(cfg, inputs, _NestedBuilder(depth))
    return layer_def, cfg, _apply_trainable(cfg, with_macs(layer_def, cfg, inputs, built))


def with_macs(layer_def: LayerDef, cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Built:
    """``built`` with its MAC count from the entry's rule (a string there is a stated zero)."""
    rule = layer_def.macs
    if rule is None:
        return built
    built = replace(built, macs=NO_MACS if isinstance(rule, str) else rule(cfg, inputs, built))
    return with_elementwise(layer_def, cfg, inputs, built)


def _nested_model(spec: LayerSpec, inner: ModelSpec, inputs: Sequence[Shape]) -> tuple[LayerDef, dict[str, Any], Built]:
    """A Sequential/Functional used as a layer: one row, the sum of its layers' weights."""
    if len(inputs) != len(inner.inputs):
        raise ShapeError(f"model '{inner.name}' takes {len(inner.inputs)} inputs, but is called with {len(inputs)}")
    fed = tuple(
        NamedLayer("InputLayer", {"batch_shape": list(shape)}, old.name, old.pos) for old, shape in zip(inner.inputs, inputs)
    )
    report = infer_model(replace(inner, inputs=fed, symbolic_input=False))
    weights = tuple(replace(w, name=f"{layer.name}/{w.name}") for layer in report.layers for w in layer.weights)
    parts = [f"{layer.params:,}" for layer in report.layers if layer.params]
    formula = Formula(" + ".join(parts), {}) if len(parts) > 1 else None
    layer_def = LayerDef(spec.class_name, (), _never, f"nested model '{inner.name}'")
    known = [layer.macs for layer in report.layers]
    total = None if None in known else sum(m for m in known if m is not None)
    macs = Macs(total, "unknown" if total is None else f"{total:,}")
    work = None if total is None or report.total_flops is None else report.total_flops - 2 * total
    elementwise = Macs(work, "unknown" if work is None else f"{work:,}")
    return layer_def, {"name": spec.name}, Built(report.outputs, weights, formula, macs, elementwise)


def _never(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:  # pragma: no cover
    raise AssertionError("nested models and assumed layers are built by the core")


def _assumed(spec: LayerSpec, shape: Shape | None, inputs: Sequence[Shape]) -> tuple[LayerDef, dict[str, Any], Built]:
    """A layer rnnshape cannot infer, given its output shape by --assume (0 params)."""
    out = shape if shape is not None else (inputs[0] if inputs else ())
    layer_def = LayerDef(spec.class_name, (), _never, "assumed with --assume")
    return layer_def, {"name": spec.name}, Built((tuple(out),), (), None, Macs(None, "unknown (assumed: --assume)"))


def _apply_trainable(cfg: Mapping[str, Any], built: Built) -> Built:
    if cfg.get("trainable", True):
        return built
    from dataclasses import replace

    frozen = tuple(replace(w, trainable=False) for w in built.weights)
    return replace(built, weights=frozen)


def infer_model(model: ModelSpec, *, assume: Assumptions | None = None) -> ModelReport:
    """Infer every call; ``assume`` gives shapes for layers rnnshape cannot infer."""
    report, failure = infer_until_error(model, assume=assume)
    if failure is not None:
        raise failure.error
    return report


def infer_until_error(
    model: ModelSpec, *, assume: Assumptions | None = None
) -> tuple[ModelReport, FailedLayer | None]:
    """Infer the calls in order up to the first error: the report of what did infer, and the failure
    (the error, unchanged in type, and the call it stopped at), or None. Unbuilt: rnnshape.symbolic."""
    if model.symbolic_input:
        return infer_symbolic(model, lambda probed: infer_until_error(probed, assume=assume))
    assume = assume or {}
    # Per tensor: its shape, its axis symbols, and its Keras label ``layer[node][tensor]``.
    tensors: TensorTable[tuple[Shape, Symbols, str]] = TensorTable(_no_tensor)
    reports: dict[str, LayerReport] = {}
    legend = LegendBook()
    failure: FailedLayer | None = None

    def partial() -> ModelReport:
        outputs = () if failure is not None else tuple(shape for shape, _, _ in tensors.outputs(model))
        return ModelReport(
            model.name, tuple(reports.values()), outputs, model.sequential, tuple(legend), model.source, model.notes,
            tensors.values, model,
        )

    try:
        for index, inp in enumerate(model.inputs):
            _add_input(model, index, inp, tensors, reports, legend)
    except RnnshapeError as err:
        failure = FailedLayer(err, inp.name, "InputLayer", (), ())
        return partial(), failure

    units_names = _units_symbols(model)
    all_units = frozenset(n.lstrip(_WRAPPED) for n in units_names.values() if n)
    for step in steps(model):
        call, name = step.call, step.name
        try:
            ins = tensors.edges(call)
        except RnnshapeError as err:
            failure = FailedLayer(err, name, shown_class(call.layer.class_name), (), ())
            return partial(), failure
        shapes = [s for s, _, _ in ins][: len(call.inputs)]
        try:
            if model.sequential:
                _check_single_tensor(call, reports)
            report = _infer_call(call, shapes, ins, units_names, all_units, reports, assume, legend)
            if name not in reports:
                reports[name] = report
                legend.add(_units_legend(call, report, units_names.get(name)))
            else:
                reports[name] = _shared_call(reports[name], report, step.node)
        except RnnshapeError as err:
            failure = FailedLayer(err, name, shown_class(call.layer.class_name), tuple(shapes), tuple(label for _, _, label in ins))
            return partial(), failure
        tensors.add_outputs(
            step,
            ((shape, syms, f"{name}[{step.node}][{t}]") for t, (shape, syms) in enumerate(zip(report.outputs, report.output_symbols))),
        )
    try:
        return partial(), None
    except RnnshapeError as err:
        failure = FailedLayer(err, None, None, (), ())
        return partial(), failure


def _add_input(
    model: ModelSpec, index: int, inp: NamedLayer, tensors: TensorTable[tuple[Shape, Symbols, str]],
    reports: dict[str, LayerReport], legend: LegendBook,
) -> None:
    resolve_args(INPUT_LAYER, inp)
    shape = input_batch_shape(inp)
    symbols = input_symbols(len(shape), index, token_ids="Embedding" in consumer_classes(model, inp))
    tensors.add_input(inp, (shape, symbols, f"{inp.name}[0][0]"))
    legend.add(input_legend(shape, symbols))  # N: one batch axis for all inputs
    if not model.sequential:
        reports[inp.name] = LayerReport(inp.name, "InputLayer", inp, dict(inp.args), (), (shape,), (), "0", 4, (symbols,))


def _units_legend(call: Call, report: LayerReport, own_units: str | None) -> list[Legend]:
    """The legend line for a layer's units letter, said at the layer's first call."""
    if own_units and own_units.startswith(_WRAPPED):
        inner = call.layer.args.get("layer")
        value = inner.args.get("units") if isinstance(inner, LayerSpec) else None
        return [Legend(own_units.lstrip(_WRAPPED), value if isinstance(value, int) else None, f"units inside {report.name}")]
    if own_units and report.outputs and report.outputs[0]:
        return [Legend(own_units, report.outputs[0][-1], f"units of {report.name}")]
    return []


def _shared_call(first: LayerReport, later: LayerReport, node: int) -> LayerReport:
    """A shared layer: weights from its first call; Keras shows the last call's outputs."""
    if first.weights != later.weights:
        shown = ", ".join(format_shape(s) for s in later.input_shapes)
        raise ShapeError(
            f"shared layer '{first.name}' was built for {format_shape(first.input_shapes[0])}, "
            f"but its call {node} gets {shown}, which needs different weights",
            pos=first.spec.pos,
            layer=first.name,
        )
    return replace(
        first,
        outputs=later.outputs,
        output_symbols=later.output_symbols,
        inbound=(*first.inbound, *later.inbound),
        # Every call does its own work: a shared layer's MACs add up over its calls.
        macs=None if first.macs is None or later.macs is None else first.macs + later.macs,
        macs_formula=first.macs_formula if node == 0 else f"{first.macs_formula}; + call {node}: {later.macs_formula}",
        flops=None if first.flops is None or later.flops is None else first.flops + later.flops,
        flops_formula=first.flops_formula if node == 0 else f"{first.flops_formula}; + call {node}: {later.flops_formula}",
    )


def _infer_call(
    call: Call,
    shapes: list[Shape],
    ins: list[tuple[Shape, Symbols, str]],
    units_names: Mapping[str, str | None],
    all_units: frozenset[str],
    reports: Mapping[str, LayerReport],
    assume: Assumptions,
    legend: LegendBook,
) -> LayerReport:
    """Infer one call; the formula's symbols not yet in ``legend`` are added to it."""
    spec = call.layer
    name = spec.name
    units_symbol = units_names.get(name)
    assumed = name in assume or spec.class_name in assume
    try:
        if assumed:
            layer_def, cfg, built = _assumed(spec, assume.get(name, assume.get(spec.class_name)), shapes)
        else:
            layer_def, cfg, built = build_layer(spec, shapes)
    except (ShapeError, SpecError) as err:
        raise _in_layer(err, spec, name, ins, reports).with_traceback(err.__traceback__) from None
    src_shape, src_symbols, _ = ins[0] if ins else ((), (), "")
    wrapped = units_symbol is not None and units_symbol.startswith(_WRAPPED)
    axis_symbol = None if wrapped else units_symbol
    out_symbols = tuple(output_symbols(o, src_shape, src_symbols, axis_symbol) for o in built.outputs)
    names = _formula_names(built, src_symbols, units_symbol.lstrip(_WRAPPED) if units_symbol else None)
    if built.formula is not None:
        own = (units_symbol or "").lstrip(_WRAPPED)
        names, added = settle_names(
            names, {k: t.value for k, t in built.formula.terms.items()}, _term_meanings(built.formula, name, wrapped),
            legend, name, OtherUnits(all_units, own),
        )
        legend.add(added)
    weights = built.weights
    formula = built.formula.render(names, sum(w.size for w in weights)) if built.formula else "0"
    weight_axes = tuple(_named_axes(w, names) for w in weights)
    macs, work = built.macs or Macs(None, "unknown"), built.elementwise or Macs(None, "unknown")
    # Costs name the input features as the parameter formula settled them (D2 when D means another size).
    settled = next((names[k] for k, t in built.formula.terms.items() if t.role == "in" and k in names), None) if built.formula else None
    units = units_symbol.lstrip(_WRAPPED) if units_symbol else None
    macs_names = _term_names(macs.terms, src_symbols, units, settled)
    flops, flops_formula = layer_flops(macs, work, _term_names({**macs.terms, **work.terms}, src_symbols, units, settled))
    # A custom class may have weights of any shape: its count is unknown, not 0.
    params_known = not (assumed and custom_class_error(spec) is not None)
    if assumed:
        formula = "0 (assumed: --assume)" if params_known else "unknown (custom class; assumed: --assume)"
    return LayerReport(
        name=name,
        class_name=layer_def.shown_class,
        spec=spec,
        config=cfg,
        input_shapes=tuple(shapes),
        outputs=built.outputs,
        weights=weights,
        formula=formula,
        bytes_per_param=dtype_bytes(cfg.get("dtype")),
        output_symbols=out_symbols,
        inbound=tuple(label for _, _, label in ins),
        input_symbols=tuple(s for _, s, _ in ins),
        weight_axes=weight_axes,
        macs=macs.value,
        macs_formula=macs.render(macs_names),
        flops=flops,
        flops_formula=flops_formula,
        params_known=params_known,
    )


def _in_layer(
    err: ShapeError | SpecError,
    spec: LayerSpec,
    name: str,
    ins: list[tuple[Shape, Symbols, str]],
    reports: Mapping[str, LayerReport],
) -> ShapeError | SpecError:
    """``err`` told where it happened (and how to get past an unknown layer): a new error."""
    message, hint = err.message, err.hint
    if isinstance(err, CustomLayerClass):
        hint = f"{assume_hint(name)}; {hint}"
    if isinstance(err, UnknownLayer) and not err.removed:
        hint = unknown_layer_hint(spec, name, hint)
        if spec.class_name == "Lambda":
            message += " (a Lambda's code is never run or read)"
    if isinstance(err, RankError) and ins:
        hint = hint or rank_hint(err, ins[0][2], reports)
        message = f"{message} from '{ins[0][2].split('[')[0]}'"
    if isinstance(err, ShapeError):
        message = f"{spec.class_name} {message}"
    return err.amended(message=message, hint=hint, layer=err.layer or name, pos=err.pos or spec.pos)


def _named_axes(weight: WeightSpec, names: Mapping[str, str]) -> str | None:
    """``(D, 4M)`` for a weight whose axes the layer named; None otherwise.

    Weights of nested layers name their axes with the inner layer's terms, which the
    outer formula may not have: those stay unnamed rather than guessed.
    """
    if weight.axes is None or not names:
        return None
    try:
        parts = [symbolic_text(a, names) for a in weight.axes]
    except (KeyError, IndexError):
        return None
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _check_single_tensor(call: Call, reports: Mapping[str, LayerReport]) -> None:
    """In a Sequential model every layer hands exactly one tensor to the next."""
    for ref in call.inputs:
        producer = reports.get(ref.layer)
        if producer is not None and len(producer.outputs) > 1:
            why = "return_state=True" if producer.config.get("return_state") else "several outputs"
            raise ShapeError(
                f"'{producer.name}' ({producer.class_name}) returns {len(producer.outputs)} tensors "
                f"({why}), but {call.layer.class_name} takes one",
                pos=call.layer.pos,
                layer=call.layer.name,
                hint="a Sequential model passes one tensor between layers: use the Functional API "
                "to route states, or drop return_state",
            )


def _no_tensor(ref: TensorRef, call: Call | None) -> SpecError:
    where = call.layer if call is not None else None
    return SpecError(
        f"refers to tensor {ref.layer}[{ref.node}][{ref.tensor}], which no earlier layer produces",
        pos=where.pos if where else None,
        layer=where.name if where else None,
    )


def _units_symbols(model: ModelSpec) -> dict[str, str | None]:
    """Units letters per layer (M for recurrent, K for Dense), numbered when repeated.

    A wrapper takes its inner layer's letter (TimeDistributed(Dense) counts K units,
    Bidirectional(LSTM) M units); ``_WRAPPED`` marks those, since the wrapper's own
    output axis is not that letter (a concatenating Bidirectional outputs 2M).
    """
    letters = {name: _units_letter(call.layer) for name, call in first_calls(model).items()}
    numbered = number_symbols([letter.lstrip(_WRAPPED) if letter else None for letter in letters.values()])
    return {
        name: (_WRAPPED + n if n and (letter or "").startswith(_WRAPPED) else n)
        for (name, letter), n in zip(letters.items(), numbered)
    }


# Prefix of a units letter borrowed from a wrapped layer (never shown).
_WRAPPED = "~"


def _units_letter(spec: LayerSpec, depth: int = 0) -> str | None:
    try:
        letter = get_layer_def(spec.class_name).units_symbol
    except SpecError:
        return None  # reported properly when the call is inferred
    if letter is not None or depth > limits.value(limits.LAYER_DEPTH):
        return letter
    inner = spec.args.get("layer")
    if isinstance(inner, LayerSpec):
        found = _units_letter(inner, depth + 1)
        return _WRAPPED + found.lstrip(_WRAPPED) if found else None
    return None


def _term_meanings(formula: Formula, layer: str, wrapped: bool) -> dict[str, str]:
    """The legend's words for a formula's own units and input features (others: symbols.py)."""
    meanings = {}
    for key, term in formula.terms.items():
        if term.role == "units":
            meanings[key] = f"units {'inside' if wrapped else 'of'} {layer}"
        elif term.role == "in":
            meanings[key] = f"input features of {layer}"
    return meanings


def _formula_names(built: Built, src_symbols: Symbols, units_symbol: str | None) -> dict[str, str]:
    if built.formula is None:
        return {}
    return _term_names(built.formula.terms, src_symbols, units_symbol)


def _term_names(
    terms: Mapping[str, Term | CostTerm], src_symbols: Symbols, units_symbol: str | None, features: str | None = None,
) -> dict[str, str]:
    """The symbol each formula term is shown with: the input's letters, the layer's units letter, or its own."""
    names = {}
    for key, term in terms.items():
        if term.role == "time":
            names[key] = (src_symbols[1] if len(src_symbols) > 2 else None) or term.symbol or "T"
        elif term.role == "in":
            names[key] = features or (src_symbols[-1] if src_symbols else None) or "D"
        elif term.role == "units":
            names[key] = units_symbol or "U"
        else:
            names[key] = term.symbol or str(term.value)
    return names
