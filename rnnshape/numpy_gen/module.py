"""Assemble the generated Python module: header, weights, helpers, layer functions, forward, demo."""

from __future__ import annotations

import keyword
import re
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import SpecError
from ..layers import find_layer_def
from ..report import LayerReport, ModelReport
from ..graph import Step, TensorTable, steps
from ..spec import ModelSpec
from .activations import HELPERS
from .base import AS_IS, COLUMN, COLUMN_BIAS, TRANSPOSE, LayerCode, Site, clean, comment_pad, shape_text
from .layout import COLUMNS, ROWS
from .recurrent import equations
from .templates import template_for
from ..records import record

# Models up to this many parameters carry their weights as literals in the code.
EMBED_LIMIT = 5000

RESERVED = {"np", "forward", "WEIGHTS", "WEIGHTS_FILE", "load_weights", "x", "xs", *HELPERS}


@record
class Section:
    """A titled piece of the module, so documents can interleave prose with code."""

    title: str
    code: str
    prose: str = ""


@record
class Plan:
    sections: tuple[Section, ...]
    npz: dict[str, np.ndarray] | None  # arrays for a sibling .npz, or None when embedded
    demo_shapes: tuple[tuple[int, ...], ...]
    header: str


def identifier(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", name) or "layer"
    if base[0].isdigit() or keyword.iskeyword(base) or base in RESERVED:
        base = f"layer_{base}"
    out, n = base, 1
    while out in taken:
        n += 1
        out = f"{base}_{n}"
    taken.add(out)
    return out


def plan_module(
    model: ModelSpec,
    report: ModelReport,
    weights: Mapping[str, Sequence[np.ndarray]],
    *,
    convention: str,
    trace: bool,
    weights_origin: str,
    npz_name: str | None,
    embed_limit: int = EMBED_LIMIT,
) -> Plan:
    layers = {r.name: r for r in report.layers if r.class_name != "InputLayer"}
    missing = sorted({entry_key(r) for r in layers.values() if _no_template(entry_key(r))})
    if missing:
        from .templates import TEMPLATES

        reasons = sorted({d.no_numpy for d in map(find_layer_def, missing) if d is not None and d.no_numpy})
        raise SpecError(
            f"no NumPy forward template for {', '.join(missing)}" + (f" ({'; '.join(reasons)})" if reasons else ""),
            hint="layers with one: " + ", ".join(sorted(TEMPLATES)),
        )
    fn_names: set[str] = set(RESERVED)
    fns = {name: identifier(name, fn_names) for name in layers}
    # Tensors never shadow a layer's function: a layer named "a" and its output differ.
    var_names: set[str] = set(fn_names)
    input_vars, body, codes, results = _forward_calls(model, layers, fns, var_names, weights, convention, trace)
    input_shapes = _input_shapes(model, report)

    # ---- forward()
    ins_text = shape_text(*_first_input(report))
    outs_text = ", ".join(shape_text(s, y) for s, y in zip(report.outputs, _output_symbols(model, report)))
    if len(input_vars) == 1:
        fwd = ["def forward(x):", f'    """The whole model, vectorised over the batch: {ins_text} -> {outs_text}."""']
        fwd.append(comment_pad("    x = np.asarray(x, dtype=np.float32)", ins_text, 48))
    else:
        fwd = ["def forward(xs):", f'    """The whole model; xs is the list of its {len(input_vars)} inputs, in order."""']
        fwd.append(f"    {', '.join(input_vars)} = [np.asarray(v, dtype=np.float32) for v in xs]")
    fwd += body
    fwd.append(f"    return {results[0]}" if len(results) == 1 else f"    return [{', '.join(results)}]")

    # ---- weights
    ordered = [n for n in layers if layers[n].weights]
    stored = {n: [_layout(np.asarray(w, dtype=np.float32), lay) for w, lay in zip(weights[n], _layouts(codes[n], len(weights[n]), convention))] for n in ordered}
    total = sum(int(a.size) for arrs in stored.values() for a in arrs)
    npz: dict[str, np.ndarray] | None = None
    if total <= embed_limit or npz_name is None:
        wcode = _weights_literal(stored, layers, convention)
    else:
        npz = {f"{n}/{i}": a for n, arrs in stored.items() for i, a in enumerate(arrs)}
        wcode = _weights_npz(stored, layers, npz_name)

    helpers = sorted(set().union(*(c.helpers for c in codes.values())) if codes else set(), key=list(HELPERS).index)
    sections = [Section("Imports", "import numpy as np")]
    sections.append(Section("Weights", wcode, f"Weights: {clean(weights_origin)}. Keras's `layer.weights` order, keyed by layer name."))
    if helpers:
        sections.append(Section("Activations", "\n\n\n".join(HELPERS[h] for h in helpers)))
    for name, code in codes.items():
        rep = layers[name]
        prose = f"`{clean(name)}` ({rep.class_name}), output {', '.join(shape_text(s, y) for s, y in zip(rep.outputs, rep.output_symbols))}, params {rep.formula}:\n\n" + "\n".join(f"    {e}" for e in code.equations)
        sections.append(Section(f"{clean(name)} ({rep.class_name})", "\n\n\n".join(code.functions), prose))
    sections.append(Section("Forward pass", "\n".join(fwd), "The layers chained in graph order."))
    sections.append(Section("Demo", _demo(input_vars, input_shapes, model, report), "Run on a random input and print the output."))
    header = _header(model, report, codes, convention, weights_origin, npz_name if npz else None)
    return Plan(tuple(sections), npz, tuple(input_shapes), header)


def _forward_calls(
    model: ModelSpec,
    layers: Mapping[str, LayerReport],
    fns: Mapping[str, str],
    var_names: set[str],
    weights: Mapping[str, Sequence[np.ndarray]],
    convention: str,
    trace: bool,
) -> tuple[list[str], list[str], dict[str, LayerCode], list[str]]:
    """The body of forward(): one line per call, in graph order.

    Returns the input variables, the body lines, each layer's code (made at its first
    call) and the variables holding the model's outputs.
    """
    # ---- inputs
    # Per tensor: the variable holding it, and the variable holding its mask (if any).
    tensors: TensorTable[tuple[str, str | None]] = TensorTable()
    input_vars = []
    for i, inp in enumerate(model.inputs):
        var = "x" if len(model.inputs) == 1 else identifier(f"x{i + 1}", var_names)
        var_names.add(var)
        tensors.add_input(inp, (var, None))
        input_vars.append(var)

    body: list[str] = []
    codes: dict[str, LayerCode] = {}
    for step in steps(model):
        call, name = step.call, step.name
        rep = layers[name]
        _refuse_keyword_tensors(step)
        ins = tensors.inputs(call)
        states = [var for var, _ in tensors.initial_state(call)]
        masks = [m for _, m in ins if m]
        if name not in codes:
            site = _site(rep, fns[name], weights, convention, trace, has_mask=bool(masks), n_states=len(states))
            codes[name] = template_for(entry_key(rep), layer=name)(site)
        code = codes[name]
        args = [v for v, _ in ins]
        arg_text = f"[{', '.join(args)}]" if code.list_input else ", ".join(args)
        call_args = [arg_text]
        out_mask: str | None = None
        if masks and code.list_input and len(masks) > 0:
            mask_var = identifier("mask", var_names)
            body.append(comment_pad(f"    {mask_var} = " + " & ".join(masks), "a step is real only if real in every input", 48))
            masks = [mask_var]
        if masks and code.takes_mask:
            call_args.append(masks[0])
        call_args += states
        outs = [identifier(stem, var_names) for stem in _stems(code, len(rep.outputs))]
        shape_note = ", ".join(shape_text(s, y) for s, y in zip(rep.outputs, rep.output_symbols))
        body.append(comment_pad(f"    {', '.join(outs)} = {fns[name]}({', '.join(call_args)})", shape_note, 48))
        if code.mask_out == "same" and masks:
            out_mask = masks[0]
        elif code.mask_out and code.mask_out != "same":
            out_mask = identifier("mask", var_names)
            expr = code.mask_out.format(x=args[0])
            body.append(comment_pad(f"    {out_mask} = {expr}", "(N, T) True where a step is real", 48))
        tensors.add_outputs(step, ((var, out_mask if t == 0 else None) for t, var in enumerate(outs)))
    results = [var for var, _ in tensors.outputs(model)]
    return input_vars, body, codes, results


def _refuse_keyword_tensors(step: Step) -> None:
    """Keyword tensors (``mask=``, ``key=``) have no place in a template's signature."""
    if step.call.kwarg_inputs:
        keys = ", ".join(f"{key}=" for key, _ in step.call.kwarg_inputs)
        raise SpecError(
            f"'{step.name}' is called with keyword tensors ({keys}), which the NumPy forward pass cannot pass on",
            layer=step.name,
            pos=step.call.layer.pos,
        )


def entry_key(rep: LayerReport) -> str:
    """A row's registry key: an operation whose Keras class is also a layer's (``Concatenate``
    for ``ops.concatenate``) must never get that layer's template."""
    found = find_layer_def(rep.spec.class_name) if rep.spec is not None else None
    return found.class_name if found is not None else rep.class_name


def _no_template(class_name: str) -> bool:
    from .templates import TEMPLATES

    return class_name not in TEMPLATES


def _stems(code: LayerCode, n: int) -> list[str]:
    stems = list(code.stems)
    while len(stems) < n:
        stems.append(f"{stems[0]}_{len(stems)}")
    return stems[:n]


def _site(rep: LayerReport, fn: str, weights: Mapping[str, Sequence[np.ndarray]], convention: str, trace: bool, *, has_mask: bool, n_states: int) -> Site:
    return Site(
        name=clean(rep.name),
        fn=fn,
        class_name=rep.class_name,
        cfg=rep.config,
        in_shapes=rep.input_shapes,
        out_shapes=rep.outputs,
        in_syms=rep.input_symbols,
        out_syms=rep.output_symbols,
        weight_ref=f"WEIGHTS[{rep.name!r}]",
        n_weights=len(weights.get(rep.name, ())),
        convention=convention,
        trace=trace,
        has_mask=has_mask,
        n_states=n_states,
    )


def _layouts(code: LayerCode, n: int, convention: str) -> list[str]:
    if convention != COLUMN:
        return [AS_IS] * n
    return list(code.layouts) + [AS_IS] * (n - len(code.layouts))


def _layout(a: np.ndarray, how: str) -> np.ndarray:
    if how == TRANSPOSE:
        return np.ascontiguousarray(a.T)
    if how == COLUMN_BIAS:
        return np.ascontiguousarray(a.reshape(-1, 1) if a.ndim == 1 else a.T)
    return a


def format_array(a: np.ndarray, indent: int) -> str:
    """A float32 array as a nested list literal, one innermost row per line."""
    def fmt(v: Any) -> str:
        return str(np.float32(v))

    def rec(x: np.ndarray, depth: int) -> str:
        if x.ndim == 1:
            return "[" + ", ".join(fmt(v) for v in x) + "]"
        pad = " " * (indent + 4 * (depth + 1))
        inner = (",\n" + pad).join(rec(row, depth + 1) for row in x)
        return "[\n" + pad + inner + ",\n" + " " * (indent + 4 * depth) + "]"

    if a.ndim == 0:
        return f"np.array({fmt(a)}, dtype=np.float32)"
    return f"np.array({rec(a, 0)}, dtype=np.float32)"


def _weights_literal(stored: Mapping[str, list[np.ndarray]], layers: Mapping[str, LayerReport], convention: str) -> str:
    lines = ["WEIGHTS = {"]
    for name, arrays in stored.items():
        lines.append(f"    {name!r}: [")
        specs = layers[name].weights
        for i, a in enumerate(arrays):
            label = clean(specs[i].name) if i < len(specs) else f"weight {i}"
            keras_shape = tuple(specs[i].shape) if i < len(specs) else a.shape
            note = f"{label} {keras_shape}" + (f", stored as {a.shape}" if tuple(a.shape) != keras_shape else "")
            lines.append(f"        # {note}")
            lines.append(f"        {format_array(a, 8)},")
        lines.append("    ],")
    lines.append("}")
    return "\n".join(lines)


def _weights_npz(stored: Mapping[str, list[np.ndarray]], layers: Mapping[str, LayerReport], npz_name: str) -> str:
    counts = ", ".join(f"({n!r}, {len(a)})" for n, a in stored.items())
    return "\n".join(
        [
            f"# The weights are too many to print: they live in {npz_name}, next to this file,",
            '# as arrays named "<layer>/<index>" in layer.weights order.',
            "_HERE = __file__.replace(\"\\\\\", \"/\")",
            f"WEIGHTS_FILE = _HERE[: _HERE.rfind(\"/\") + 1] + {npz_name!r}",
            "",
            "",
            "def load_weights(path=WEIGHTS_FILE):",
            '    """{layer name: [arrays in layer.weights order]} from the .npz file."""',
            "    with np.load(path) as data:",
            f"        return {{name: [data[f\"{{name}}/{{i}}\"] for i in range(n)] for name, n in ({counts},)}}",
            "",
            "",
            "WEIGHTS = load_weights()",
        ]
    )


def _first_input(report: ModelReport) -> tuple[Any, Any]:
    for r in report.layers:
        if r.class_name == "InputLayer":
            return r.outputs[0], r.output_symbols[0]
    first = report.layers[0]
    return first.input_shapes[0], first.input_symbols[0] if first.input_symbols else ()


def _output_symbols(model: ModelSpec, report: ModelReport) -> list[Any]:
    by_name = {r.name: r for r in report.layers}
    out = []
    for ref in model.outputs:
        r = by_name.get(ref.layer)
        out.append(r.output_symbols[ref.tensor] if r and ref.tensor < len(r.output_symbols) else ())
    return out


def _input_shapes(model: ModelSpec, report: ModelReport) -> list[tuple[int, ...]]:
    """The demo's input shapes: every None filled, one batch size shared by all inputs.

    The inputs of one model meet in its layers, so they must agree on the batch: an
    input that fixes it (``batch_shape=(4, ...)``) sets it for the others too.
    """
    from ..layers.core import input_batch_shape

    batch_shapes = [input_batch_shape(inp) for inp in model.inputs]
    batch = next((shape[0] for shape in batch_shapes if shape[0] is not None), 2)
    shapes = []
    for shape in batch_shapes:
        filled = [batch if shape[0] is None else shape[0]]
        filled += [(3 if i == 1 else 4) if d is None else d for i, d in enumerate(shape[1:], start=1)]
        shapes.append(tuple(filled))
    return shapes


def _demo(input_vars: list[str], shapes: list[tuple[int, ...]], model: ModelSpec, report: ModelReport) -> str:
    vocab = embedding_vocab(model, report)
    lines = ['if __name__ == "__main__":', "    rng = np.random.default_rng(0)"]
    for var, shape, inp in zip(input_vars, shapes, model.inputs):
        v = vocab.get(inp.name)
        if v:
            lines.append(comment_pad(f"    {var} = rng.integers(0, {v}, size={shape!r})", "random token ids", 48))
        else:
            lines.append(comment_pad(f"    {var} = rng.standard_normal({shape!r}).astype(np.float32)", "a random input", 48))
    arg = input_vars[0] if len(input_vars) == 1 else "[" + ", ".join(input_vars) + "]"
    lines.append(f"    y = forward({arg})")
    if len(model.outputs) == 1:
        lines += ['    print("output shape:", y.shape)', "    print(y)"]
    else:
        lines += ["    for i, out in enumerate(y):", '        print(f"output {i} shape:", out.shape)', "        print(out)"]
    return "\n".join(lines)


def embedding_vocab(model: ModelSpec, report: ModelReport) -> dict[str, int]:
    """Inputs read by an Embedding get integer ids below its input_dim."""
    by_name = {r.name: r for r in report.layers}
    found: dict[str, int] = {}
    for call in model.calls:
        r = by_name.get(call.layer.name)
        if r is not None and r.class_name == "Embedding":
            for ref in call.inputs:
                found[ref.layer] = int(r.config["input_dim"])
    return found


def _header(model: ModelSpec, report: ModelReport, codes: Mapping[str, LayerCode], convention: str, origin: str, npz: str | None) -> str:
    from tabulate import tabulate

    rows = []
    for r in report.layers:
        if r.class_name == "InputLayer":
            continue
        shapes = ", ".join(shape_text(s, y) for s, y in zip(r.outputs, r.output_symbols))
        rows.append([clean(r.name), r.class_name, shapes, f"{r.params:,}", r.formula])
    table = tabulate(rows, headers=["layer", "class", "output", "params", "formula"], tablefmt="simple", disable_numparse=True)
    legend = ", ".join(f"{l.symbol} = {l.value if l.value is not None else 'any'} ({clean(l.meaning)})" for l in report.legend)
    lines = [
        f"NumPy forward pass of the Keras model '{clean(report.name)}', written by rnnshape.",
        "",
        "It needs only NumPy. forward(x) takes the whole batch at once and returns what",
        "Keras's model.predict(x) returns; run this file to try it on a random input.",
        "",
        "Axes: " + legend + ".",
        "",
        *table.splitlines(),
        f"Total params: {report.total_params:,}",
        "",
        "What each layer computes:",
    ]
    for name, code in codes.items():
        lines.append(f"  {clean(name)}: {code.summary}")
    lines.append("")
    if convention == COLUMN:
        lines += [
            f"Convention: column vectors, as in the equations {equations('SimpleRNN', COLUMNS)[0]}.",
            "Keras stores kernel (D, M) and computes x_t @ kernel on row vectors; here",
            "Wx = kernel.T is (M, D), Wh = recurrent_kernel.T, biases are columns (M, 1),",
            "and a batch is a matrix with one column per sample: Wx @ X equals (X.T @ kernel).T.",
        ]
    else:
        lines += [
            f"Convention: Keras's row vectors, {equations('SimpleRNN', ROWS)[0]}, with Wx = kernel (D, M),",
            "Wh = recurrent_kernel (M, M), bh = bias (M,), and a batch as rows: x[:, t] is (N, D).",
        ]
    lines.append(f"Weights: {clean(origin)}" + (f", stored in {npz} next to this file." if npz else "."))
    return "\n".join(lines)
