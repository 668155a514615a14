"""Forward templates for SimpleRNN, LSTM, GRU and Bidirectional.

Every loop is vectorised over the batch: the input part of every gate is computed
for all timesteps with one matrix product before the loop (it does not depend on
the hidden state), and the loop adds the recurrent part step by step. Gate order is
Keras's: LSTM ``i, f, c, o``, GRU ``z, r, h`` with ``h_t = z*h_{t-1} + (1-z)*hh``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import SpecError
from .activations import activation_expr
from .base import AS_IS, COLUMN_BIAS, TRANSPOSE, LayerCode, Site, comment_pad

RNN_CLASSES = ("SimpleRNN", "LSTM", "GRU")


@dataclass(frozen=True)
class Gate:
    var: str  # the variable in the code: i, f, g, o / z, r, hh
    meaning: str
    recurrent: bool  # uses recurrent_activation (else activation)


GATES: dict[str, tuple[Gate, ...]] = {
    "SimpleRNN": (Gate("h", "hidden state", False),),
    "LSTM": (
        Gate("i", "input gate", True),
        Gate("f", "forget gate", True),
        Gate("g", "candidate cell state c~", False),
        Gate("o", "output gate", True),
    ),
    "GRU": (Gate("z", "update gate", True), Gate("r", "reset gate", True), Gate("hh", "candidate state h~", False)),
}

EQUATIONS: dict[str, tuple[str, ...]] = {
    "SimpleRNN": ("h_t = tanh(x_t·Wx + h_{t-1}·Wh + bh)",),
    "LSTM": (
        "[i, f, g, o] = x_t·Wx + h_{t-1}·Wh + b      (gate order i, f, c, o)",
        "c_t = sigmoid(f)*c_{t-1} + sigmoid(i)*tanh(g)",
        "h_t = sigmoid(o)*tanh(c_t)",
    ),
    "GRU": (
        "z = sigmoid(x_t·Wx_z + h_{t-1}·Wh_z + b_z),  r likewise   (gate order z, r, h)",
        "hh = tanh(x_t·Wx_h + r*(h_{t-1}·Wh_h + bh_h))   (reset_after=True; else r*h_{t-1} before ·Wh_h)",
        "h_t = z*h_{t-1} + (1-z)*hh",
    ),
}


class _Lines:
    """Indented code lines with aligned shape comments."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, depth: int, code: str, comment: str = "") -> None:
        self.lines.append(comment_pad("    " * depth + code, comment, 48))


def rnn_function(
    site: Site,
    cfg: Mapping[str, Any],
    class_name: str,
    fn: str,
    weight_ref: str,
    *,
    d: str,
    m: str,
    label: str,
    force_states: bool = False,
    zero_output_for_mask: bool | None = None,
) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """One recurrent layer as a function; returns (code, helpers, column layouts)."""
    if cfg.get("stateful"):
        raise SpecError("stateful=True has no NumPy template (the state lives between calls)", layer=site.name)
    col = site.column
    gates = GATES[class_name]
    g = len(gates)
    gm = m if g == 1 else f"{g}{m}"
    use_bias = bool(cfg.get("use_bias", True))
    reset_after = class_name == "GRU" and bool(cfg.get("reset_after", True))
    backwards = bool(cfg.get("go_backwards", False))
    seqs = bool(cfg.get("return_sequences", False))
    with_states = force_states or bool(cfg.get("return_state", False))
    zero_out = bool(cfg.get("zero_output_for_mask", False)) if zero_output_for_mask is None else zero_output_for_mask
    helpers: set[str] = set()

    def act(key: str, inner: str) -> str:
        expr, used = activation_expr(cfg.get(key, "tanh" if key == "activation" else "sigmoid"), inner, layer=site.name)
        helpers.update(used)
        return expr

    state_names = ["h", "c"] if class_name == "LSTM" else ["h"]
    params = ["x"] + (["mask"] if site.has_mask else []) + [f"{s}0" for s in state_names[: site.n_states]]
    out = _Lines()
    kind = {"SimpleRNN": "SimpleRNN", "LSTM": "LSTM", "GRU": "GRU"}[class_name]
    flags = [f"{cfg['units']}"]
    if backwards:
        flags.append("go_backwards=True")
    out.lines.append(f"def {fn}({', '.join(params)}):")
    out.add(1, f'"""{label}: {kind}({", ".join(flags)}), {_gate_text(class_name, reset_after)}."""')

    # ---- weights
    wnames = ["Wx", "Wh"] + (["b"] if use_bias and g > 1 else ["bh"] if use_bias else [])
    if col:
        shapes = [f"({gm}, {d})", f"({gm}, {m})"] + ([_bias_shape(class_name, reset_after, gm, col)] if use_bias else [])
        layouts = (TRANSPOSE, TRANSPOSE) + ((COLUMN_BIAS,) if use_bias else ())
    else:
        shapes = [f"({d}, {gm})", f"({m}, {gm})"] + ([_bias_shape(class_name, reset_after, gm, col)] if use_bias else [])
        layouts = (AS_IS,) * len(wnames)
    out.add(1, f"{', '.join(wnames)} = {weight_ref}", " ".join(shapes))
    if col:
        out.add(1, "M = Wh.shape[1]", f"{m}: hidden units")
    else:
        out.add(1, "M = Wh.shape[0]", f"{m}: hidden units")
    bias_in = ""
    if use_bias:
        if reset_after:
            if col:
                out.add(1, "bx, bh = b[:, :1], b[:, 1:]", f"({gm}, 1) each: input bias, recurrent bias")
            else:
                out.add(1, "bx, bh = b", f"({gm},) each: input bias, recurrent bias")
            bias_in = " + bx"
        else:
            bias_in = " + " + wnames[2]
    if class_name == "GRU" and not reset_after:
        if col:
            out.add(1, "Wh_zr, Wh_h = Wh[:2 * M], Wh[2 * M:]", f"(2{m}, {m}) for z and r, ({m}, {m}) for hh")
        else:
            out.add(1, "Wh_zr, Wh_h = Wh[:, :2 * M], Wh[:, 2 * M:]", f"({m}, 2{m}) for z and r, ({m}, {m}) for hh")

    # ---- the input part of every step at once
    if col:
        out.add(1, "N, T, _ = x.shape", "N samples, T timesteps")
        out.add(1, "X = x.transpose(1, 2, 0)", f"(T, {d}, N): one column x_t per sample")
        out.add(1, f"Zx = Wx @ X{bias_in}", f"(T, {gm}, N): Wx·x_t{bias_in.replace(' + ', ' + ')} for every t")
        state_shape, zeros = f"({m}, N)", "np.zeros((M, N), dtype=x.dtype)"
    else:
        out.add(1, "N, T, _ = x.shape", "N samples, T timesteps")
        out.add(1, f"Zx = x @ Wx{bias_in}", f"(N, T, {gm}): x_t·Wx{bias_in} for every t")
        state_shape, zeros = f"(N, {m})", "np.zeros((N, M), dtype=x.dtype)"
    for i, s in enumerate(state_names):
        what = "hidden state" if s == "h" else "cell state"
        if i < site.n_states:
            init = f"{s}0.T.astype(x.dtype)" if col else f"{s}0.astype(x.dtype)"
            out.add(1, f"{s} = {init}", f"{state_shape} initial {what} (given)")
        else:
            out.add(1, f"{s} = {zeros}", f"{state_shape} {what} {s}_0 = 0")
    masked = site.has_mask
    if masked:
        out.add(1, f"y = {zeros}", f"{state_shape} last output (masked steps repeat it)")
    if seqs:
        out.add(1, "ys = []", "one output per processed step")
    order = "reversed(range(T))" if backwards else "range(T)"
    note = "go_backwards: last step first" if backwards else ""
    out.add(1, f"for t in {order}:", note)

    # ---- one step
    zx = "Zx[t]" if col else "Zx[:, t]"

    def rec(w: str, v: str) -> str:
        return f"{w} @ {v}" if col else f"{v} @ {w}"

    def zslice(v: str, a: object, b: object) -> str:
        return f"{v}[{a}:{b}]" if col else f"{v}[:, {a}:{b}]"

    def sl(a: object, b: object) -> str:
        return zslice("z", a, b)

    new = "_new" if masked else ""
    if site.trace:
        xt = "X[t].T" if col else "x[:, t]"
        out.add(2, f'print(f"{site.name}: t = {{t}}")')
        out.add(2, f'print("  x_t =", {xt})', f"(N, {d})")
    if class_name == "SimpleRNN":
        pre = f"{zx} + {rec('Wh', 'h')}"
        if site.trace or masked:
            out.add(2, f"z = {pre}", f"{state_shape} pre-activation")
            pre = "z"
        eq = "h_t = tanh(Wx·x_t + Wh·h_(t-1) + bh)" if col else "h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)"
        out.add(2, f"h{new} = {act('activation', pre)}", f"{state_shape} {eq}")
        pre_name = "z"
    elif class_name == "LSTM":
        out.add(2, f"z = {zx} + {rec('Wh', 'h')}", f"({'4' + m + ', N' if col else 'N, 4' + m}) all four gates, pre-activation")
        bounds = ["", "M", "2 * M", "3 * M", ""]
        for k, gate in enumerate(gates):
            key = "recurrent_activation" if gate.recurrent else "activation"
            out.add(2, f"{gate.var} = {act(key, sl(bounds[k], bounds[k + 1]))}", f"{state_shape} {gate.meaning}")
        out.add(2, f"c{new} = f * c + i * g", f"{state_shape} c_t = f*c_(t-1) + i*g")
        out.add(2, f"h{new} = o * {act('activation', 'c' + new)}", f"{state_shape} h_t = o*tanh(c_t)")
        pre_name = "z"
    else:  # GRU
        if reset_after:
            bh = " + bh" if use_bias else ""
            out.add(2, f"zx = {zx}", f"({'3' + m + ', N' if col else 'N, 3' + m}) input part of z, r, hh")
            out.add(2, f"zh = {rec('Wh', 'h')}{bh}", "recurrent part, its bias included")
            out.add(2, f"z = {act('recurrent_activation', zslice('zx', '', 'M') + ' + ' + zslice('zh', '', 'M'))}", f"{state_shape} update gate")
            out.add(2, f"r = {act('recurrent_activation', zslice('zx', 'M', '2 * M') + ' + ' + zslice('zh', 'M', '2 * M'))}", f"{state_shape} reset gate")
            out.add(2, f"hh = {act('activation', zslice('zx', '2 * M', '') + ' + r * ' + zslice('zh', '2 * M', ''))}", f"{state_shape} candidate: r scales h·Wh_h + bh_h")
        else:
            out.add(2, f"zx = {zx}", f"({'3' + m + ', N' if col else 'N, 3' + m}) input part of z, r, hh")
            out.add(2, f"zh = {rec('Wh_zr', 'h')}", f"({'2' + m + ', N' if col else 'N, 2' + m}) recurrent part of z and r")
            out.add(2, f"z = {act('recurrent_activation', zslice('zx', '', 'M') + ' + ' + zslice('zh', '', 'M'))}", f"{state_shape} update gate")
            out.add(2, f"r = {act('recurrent_activation', zslice('zx', 'M', '2 * M') + ' + ' + zslice('zh', 'M', ''))}", f"{state_shape} reset gate")
            out.add(2, f"hh = {act('activation', zslice('zx', '2 * M', '') + ' + ' + rec('Wh_h', '(r * h)'))}", f"{state_shape} candidate: r scales h before ·Wh_h")
        out.add(2, f"h{new} = z * h + (1.0 - z) * hh", f"{state_shape} h_t = z*h_(t-1) + (1-z)*hh")
        pre_name = "zx"
    if masked:
        m_expr = "mask[:, t]" if col else "mask[:, t, None]"
        out.add(2, f"m = {m_expr}", "True where step t is real, False where masked")
        for s in state_names:
            out.add(2, f"{s} = np.where(m, {s}_new, {s})", "masked steps keep the previous state")
        if zero_out:
            out.add(2, "y = np.where(m, h_new, 0.0)", "masked steps output zeros")
        else:
            out.add(2, "y = np.where(m, h_new, y)", "masked steps repeat the last output")
    if site.trace:
        if class_name == "GRU":
            out.add(2, f'print("  x_t·Wx + b (z, r, hh parts) =", {pre_name}{".T" if col else ""})')
        else:
            out.add(2, f'print("  pre-activation =", {"z.T" if col else "z"})')
        if class_name == "LSTM":
            out.add(2, f'print("  c_t =", {"c.T" if col else "c"})')
        out.add(2, f'print("  h_t =", {"h.T" if col else "h"})')
    y = "y" if masked else "h"
    if seqs:
        out.add(2, f"ys.append({y})")
        if col:
            out.add(1, "y_seq = np.stack(ys).transpose(2, 0, 1)", f"(T, {m}, N) -> (N, T, {m})" + (", in processing order (reversed)" if backwards else ""))
        else:
            out.add(1, "y_seq = np.stack(ys, axis=1)", f"(N, T, {m})" + (" in processing order (reversed in time)" if backwards else ""))
        result = "y_seq"
    else:
        result = f"{y}.T" if col else y
    if with_states:
        states = [f"{s}.T" if col else s for s in state_names]
        out.add(1, f"return {', '.join([result, *states])}", "output, then the final states" + (" h, c" if class_name == "LSTM" else " h"))
    else:
        out.add(1, f"return {result}", f"(N, T, {m})" if seqs else f"(N, {m})")
    return "\n".join(out.lines), frozenset(helpers), layouts


def _bias_shape(class_name: str, reset_after: bool, gm: str, col: bool) -> str:
    if reset_after:
        return f"({gm}, 2)" if col else f"(2, {gm})"
    return f"({gm}, 1)" if col else f"({gm},)"


def _gate_text(class_name: str, reset_after: bool) -> str:
    if class_name == "LSTM":
        return "gates i, f, c, o side by side in the kernels"
    if class_name == "GRU":
        return "gates z, r, h side by side; " + ("reset_after=True" if reset_after else "reset_after=False")
    return "h_t = tanh(x_t·Wx + h_(t-1)·Wh + bh)"


def rnn_template(site: Site) -> LayerCode:
    cfg = site.cfg
    code, helpers, layouts = rnn_function(
        site, cfg, site.class_name, site.fn, site.weight_ref, d=site.in_sym(-1), m=site.out_sym(-1), label=site.name
    )
    n_out = len(site.out_shapes)
    stems = ("h",) + (("h_last", "c_last") if site.class_name == "LSTM" else ("h_last",))[: n_out - 1]
    return LayerCode(
        functions=(code,),
        summary=EQUATIONS[site.class_name][0],
        helpers=helpers,
        takes_mask=True,
        mask_out="same" if cfg.get("return_sequences") else None,
        stems=stems,
        layouts=layouts,
        equations=EQUATIONS[site.class_name],
    )


MERGES = {
    "concat": ("np.concatenate([y_fwd, y_bwd], axis=-1)", "forward and backward side by side"),
    "sum": ("y_fwd + y_bwd", "sum of both directions"),
    "mul": ("y_fwd * y_bwd", "product of both directions"),
    "ave": ("(y_fwd + y_bwd) / 2.0", "mean of both directions"),
    None: ("", "both directions as two outputs"),
}


def bidirectional_template(site: Site) -> LayerCode:
    """Two copies of the inner RNN, the backward one reading the sequence from the end."""
    from ..layers import get_layer_def
    from ..layers.base import resolve_args
    from ..spec import LayerSpec

    cfg = site.cfg
    inner = cfg["layer"]
    if not isinstance(inner, LayerSpec) or inner.class_name not in RNN_CLASSES:
        raise SpecError("Bidirectional has a NumPy template only around SimpleRNN, LSTM or GRU", layer=site.name)
    fwd_cfg = dict(resolve_args(get_layer_def(inner.class_name), inner))
    back = cfg.get("backward_layer")
    if isinstance(back, LayerSpec):
        if back.class_name not in RNN_CLASSES:
            raise SpecError("Bidirectional's backward_layer has no NumPy template", layer=site.name)
        bwd_cfg = dict(resolve_args(get_layer_def(back.class_name), back))
        bwd_class = back.class_name
    else:
        bwd_cfg = dict(fwd_cfg, go_backwards=not fwd_cfg.get("go_backwards", False))
        bwd_class = inner.class_name
    merge = cfg.get("merge_mode", "concat")
    if merge not in MERGES:
        raise SpecError(f"merge_mode {merge!r} has no NumPy template", layer=site.name)
    seqs = bool(fwd_cfg.get("return_sequences"))
    n_fwd = 2 + bool(fwd_cfg.get("use_bias", True))
    d = site.in_sym(-1)
    m = site.out_sym(-1) if merge != "concat" else "M"
    m = m if not m.isdigit() else "M"
    helpers: set[str] = set()
    fns = []
    layouts: list[str] = []
    for direction, dcfg, dclass, ref in (
        ("forward", fwd_cfg, inner.class_name, f"{site.weight_ref}[:{n_fwd}]"),
        ("backward", bwd_cfg, bwd_class, f"{site.weight_ref}[{n_fwd}:]"),
    ):
        code, used, lay = rnn_function(
            site,
            dcfg,
            dclass,
            f"{site.fn}_{direction}",
            ref,
            d=d,
            m=m,
            label=f"{site.name}, {direction} direction",
            force_states=True,
            zero_output_for_mask=seqs,  # Bidirectional forces zero_output_for_mask = return_sequences
        )
        fns.append(code)
        helpers |= used
        layouts += lay
    n_states = 2 if inner.class_name == "LSTM" else 1
    n_bstates = 2 if bwd_class == "LSTM" else 1
    call_args = "x, mask" if site.has_mask else "x"
    lines = [f"def {site.fn}({call_args}):"]
    lines.append(f'    """{site.name}: Bidirectional, merge_mode={merge!r}."""')
    fs = ", ".join(f"s_fwd{k}" for k in range(n_states))
    bs = ", ".join(f"s_bwd{k}" for k in range(n_bstates))
    lines.append(comment_pad(f"    y_fwd, {fs} = {site.fn}_forward({call_args})", "reads t = 0 .. T-1", 48))
    lines.append(comment_pad(f"    y_bwd, {bs} = {site.fn}_backward({call_args})", "reads t = T-1 .. 0", 48))
    if seqs:
        lines.append(comment_pad("    y_bwd = y_bwd[:, ::-1]", "flip back so y_bwd[:, t] belongs to x[:, t]", 48))
    expr, what = MERGES[merge]
    outs = ["y_fwd, y_bwd"] if merge is None else [expr]
    if cfg.get("layer") is not None and fwd_cfg.get("return_state"):
        outs += [f"s_fwd{k}" for k in range(n_states)] + [f"s_bwd{k}" for k in range(n_bstates)]
    lines.append(comment_pad(f"    return {', '.join(outs)}", what, 48))
    fns.append("\n".join(lines))
    n_out = len(site.out_shapes)
    stems = tuple(["h"] + [f"h{k}" for k in range(1, n_out)])
    return LayerCode(
        functions=tuple(fns),
        summary=f"two {inner.class_name}s, one per direction, merged by {merge!r}",
        helpers=frozenset(helpers),
        takes_mask=True,
        mask_out="same" if seqs and merge is not None else None,
        stems=stems,
        layouts=tuple(layouts),
        equations=EQUATIONS[inner.class_name] + ("backward: the same on x[:, ::-1], its outputs flipped back",),
    )


CELL_LAYERS = {"SimpleRNNCell": "SimpleRNN", "LSTMCell": "LSTM", "GRUCell": "GRU"}
SEQUENCE_FLAGS = ("return_sequences", "return_state", "go_backwards", "stateful", "zero_output_for_mask")


def _cells(site: Site) -> list[tuple[str, dict[str, Any]]]:
    """The cells of ``RNN(cell)``, ``RNN([c1, c2])`` or ``RNN(StackedRNNCells(...))``:
    (the layer class with the same step, the cell's resolved config)."""
    from ..layers import get_layer_def
    from ..layers.base import resolve_args
    from ..spec import LayerSpec

    cell = site.cfg["cell"]
    if isinstance(cell, LayerSpec) and cell.class_name == "StackedRNNCells":
        cell = cell.args.get("cells", ())
    specs = [cell] if isinstance(cell, LayerSpec) else list(cell)
    found = []
    for spec in specs:
        if not isinstance(spec, LayerSpec) or spec.class_name not in CELL_LAYERS:
            what = spec.class_name if isinstance(spec, LayerSpec) else type(spec).__name__
            raise SpecError(f"RNN with a {what} cell has no NumPy template", layer=site.name)
        found.append((CELL_LAYERS[spec.class_name], dict(resolve_args(get_layer_def(spec.class_name), spec))))
    return found


def rnn_cells_template(site: Site) -> LayerCode:
    """``RNN(cell)``: the cell's step in the loop of the matching layer.

    A stack of cells feeds cell k's output at step t to cell k+1 at the same step t.
    Cell k+1 at step t needs only cell k at step t and its own state at t-1, so
    running cell 1 over every step, then cell 2 over cell 1's outputs, and so on,
    computes exactly the same numbers; the generated code does it that way, one
    function per cell, each the loop of the layer with the same step.
    """
    cfg = site.cfg
    cells = _cells(site)
    flags = {k: cfg.get(k, False) for k in SEQUENCE_FLAGS}
    m = site.out_sym(-1)
    if len(cells) == 1:
        (class_name, cell_cfg), = cells
        code, helpers, layouts = rnn_function(
            site, {**cell_cfg, **flags}, class_name, site.fn, site.weight_ref, d=site.in_sym(-1), m=m, label=site.name
        )
        n_out = len(site.out_shapes)
        stems = ("h",) + (("h_last", "c_last") if class_name == "LSTM" else ("h_last",))[: n_out - 1]
        return LayerCode(
            functions=(code,),
            summary=EQUATIONS[class_name][0],
            helpers=helpers,
            takes_mask=True,
            mask_out="same" if flags["return_sequences"] else None,
            stems=stems,
            layouts=layouts,
            equations=EQUATIONS[class_name],
        )
    if site.n_states:
        raise SpecError("RNN over a stack of cells with initial_state has no NumPy template", layer=site.name)
    from dataclasses import replace

    fns: list[str] = []
    all_helpers: set[str] = set()
    all_layouts: list[str] = []
    calls: list[tuple[str, str]] = []
    state_vars: list[str] = []
    start = 0
    backwards = bool(flags["go_backwards"])
    seqs = bool(flags["return_sequences"])
    mask_arg = ", mask" if site.has_mask else ""
    d = site.in_sym(-1)
    for k, (class_name, cell_cfg) in enumerate(cells, start=1):
        last = k == len(cells)
        n_w = 2 + bool(cell_cfg.get("use_bias", True))
        units = f"U{k}"
        step_flags = {
            "return_sequences": seqs if last else True,  # inner cells hand every step on
            "return_state": True,
            "go_backwards": backwards and k == 1,  # later cells read cell 1's outputs in its order
            "stateful": flags["stateful"],
            "zero_output_for_mask": flags["zero_output_for_mask"] if last else False,
        }
        fn = f"{site.fn}_cell{k}"
        code, used, lay = rnn_function(
            replace(site, n_states=0), {**cell_cfg, **step_flags}, class_name, fn,
            f"{site.weight_ref}[{start}:{start + n_w}]", d=d, m=units, label=f"{site.name}, cell {k} of {len(cells)}",
            force_states=True,
        )
        start += n_w
        fns.append(code)
        all_helpers |= used
        all_layouts += lay
        names = [f"h{k}", f"c{k}"] if class_name == "LSTM" else [f"h{k}"]
        state_vars += names
        src = "x" if k == 1 else "y"
        mask = mask_arg
        if site.has_mask and backwards and k > 1:
            mask = ", mask[:, ::-1]"  # cell 1 wrote its outputs last step first
        shape = f"(N, T, {units})" if not last or seqs else f"(N, {units})"
        calls.append((f"y, {', '.join(names)} = {fn}({src}{mask})", f"{shape}, cell {k}: {class_name} step on {'x' if k == 1 else f'cell {k - 1} outputs'}"))
        d = units
    lines = [f"def {site.fn}(x{mask_arg}):", f'    """{site.name}: RNN over {len(cells)} stacked cells, cell k+1 reads cell k\'s output at each step."""']
    lines += [comment_pad("    " + c, note, 48) for c, note in calls]
    outs = ["y"] + (state_vars if flags["return_state"] else [])
    lines.append(comment_pad(f"    return {', '.join(outs)}", "output of the last cell" + (", then every cell's states in order" if flags["return_state"] else ""), 48))
    fns.append("\n".join(lines))
    n_out = len(site.out_shapes)
    stems = tuple(["h"] + [f"{v}_last" for v in state_vars][: n_out - 1])
    kinds = ", ".join(c for c, _ in cells)
    return LayerCode(
        functions=tuple(fns),
        summary=f"stacked cells ({kinds}): cell k+1 reads cell k's output at every step",
        helpers=frozenset(all_helpers),
        takes_mask=True,
        mask_out="same" if seqs else None,
        stems=stems,
        layouts=tuple(all_layouts),
        equations=tuple(f"cell {k}: {EQUATIONS[c][0]}" for k, (c, _) in enumerate(cells, start=1))
        + ("x_t of cell k+1 = h_t of cell k",),
    )
