"""Forward templates for SimpleRNN, LSTM and GRU: one loop function per layer.

Every loop is vectorised over the batch: the input part of every gate is computed
for all timesteps with one matrix product before the loop (it does not depend on
the hidden state), and the loop adds the recurrent part step by step. Gate order is
Keras's: LSTM ``i, f, c, o``, GRU ``z, r, h`` with ``h_t = z*h_(t-1) + (1-z)*hh``.
Every statement is written once; the site's ``Layout`` spells it in Keras's rows or
in columns. Bidirectional and RNN(cell) reuse ``rnn_function`` (``rnn_wrappers``).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Mapping

from ..errors import SpecError
from ..layers import REGISTRY
from .activations import activation_expr
from .base import LayerCode, Site, comment_pad
from .layout import Layout
from ..records import record


@record
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

def equations(class_name: str, lay: Layout) -> tuple[str, ...]:
    """The layer's maths in the convention's own order (``x_t·Wx`` or ``Wx·x_t``); ``h_(t-1)`` throughout."""
    x, h = lay.dot("Wx", "x_t"), lay.dot("Wh", "h_(t-1)")
    if class_name == "SimpleRNN":
        return (f"h_t = tanh({x} + {h} + bh)",)
    if class_name == "LSTM":
        return (
            f"[i, f, g, o] = {x} + {h} + b      (gate order i, f, c, o)",
            "c_t = sigmoid(f)*c_(t-1) + sigmoid(i)*tanh(g)",
            "h_t = sigmoid(o)*tanh(c_t)",
        )
    x_z, h_z = lay.dot("Wx_z", "x_t"), lay.dot("Wh_z", "h_(t-1)")
    x_h, h_h = lay.dot("Wx_h", "x_t"), lay.dot("Wh_h", "h_(t-1)")
    return (
        f"z = sigmoid({x_z} + {h_z} + b_z),  r likewise   (gate order z, r, h)",
        f"hh = tanh({x_h} + r*({h_h} + bh_h))   (reset_after=True; else {lay.dot('Wh_h', '(r*h_(t-1))')})",
        "h_t = z*h_(t-1) + (1-z)*hh",
    )


class _Lines:
    """Indented code lines with aligned shape comments."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, depth: int, code: str, comment: str = "") -> None:
        self.lines.append(comment_pad("    " * depth + code, comment, 48))


@record
class _Loop:
    """One recurrent loop to write: the layer's settings, and the activations it uses."""

    site: Site
    cfg: Mapping[str, Any]
    class_name: str
    d: str  # the input features' symbol
    m: str  # the units' symbol
    use_bias: bool
    reset_after: bool
    backwards: bool
    seqs: bool
    with_states: bool
    zero_out: bool
    helpers: set[str] = field(default_factory=set)

    @property
    def lay(self) -> Layout:
        return self.site.layout

    @property
    def gates(self) -> tuple[Gate, ...]:
        return GATES[self.class_name]

    @property
    def gm(self) -> str:
        """The width of the kernels: the units times the gate blocks side by side."""
        return self.m if len(self.gates) == 1 else f"{len(self.gates)}{self.m}"

    @property
    def states(self) -> tuple[str, ...]:
        return REGISTRY[self.class_name].states

    @property
    def state_shape(self) -> str:
        return self.lay.batch(self.m)

    @property
    def new(self) -> str:
        """Masked loops compute a step's states as ``h_new`` and keep them only where the mask says."""
        return "_new" if self.site.has_mask else ""

    def act(self, key: str, inner: str) -> str:
        default = "tanh" if key == "activation" else "sigmoid"
        expr, used = activation_expr(self.cfg.get(key, default), inner, layer=self.site.name)
        self.helpers.update(used)
        return expr


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
    """One recurrent layer as a function; returns (code, helpers, weight layouts)."""
    if cfg.get("stateful"):
        raise SpecError("stateful=True has no NumPy template (the state lives between calls)", layer=site.name)
    zero_out = bool(cfg.get("zero_output_for_mask", False)) if zero_output_for_mask is None else zero_output_for_mask
    loop = _Loop(
        site, cfg, class_name, d, m,
        use_bias=bool(cfg.get("use_bias", True)),
        reset_after=class_name == "GRU" and bool(cfg.get("reset_after", True)),
        backwards=bool(cfg.get("go_backwards", False)),
        seqs=bool(cfg.get("return_sequences", False)),
        with_states=force_states or bool(cfg.get("return_state", False)),
        zero_out=zero_out,
    )
    out = _Lines()
    _signature(out, loop, fn, label)
    layouts, bias_in = _weights(out, loop, weight_ref)
    _before_the_loop(out, loop, bias_in)
    if site.trace:
        out.add(2, f'print(f"{site.name}: t = {{t}}")')
        out.add(2, f'print("  x_t =", {loop.lay.x_step})', f"(N, {d})")
    STEPS[class_name](out, loop)
    if site.has_mask:
        _masked_step(out, loop)
    if site.trace:
        _trace_step(out, loop)
    _outputs(out, loop)
    return "\n".join(out.lines), frozenset(loop.helpers), layouts


def _signature(out: _Lines, loop: _Loop, fn: str, label: str) -> None:
    site = loop.site
    params = ["x"] + (["mask"] if site.has_mask else []) + [f"{s}0" for s in loop.states[: site.n_states]]
    flags = [f"{loop.cfg['units']}"] + (["go_backwards=True"] if loop.backwards else [])
    out.lines.append(f"def {fn}({', '.join(params)}):")
    out.add(1, f'"""{label}: {loop.class_name}({", ".join(flags)}), {_gate_text(loop)}."""')


def _weights(out: _Lines, loop: _Loop, weight_ref: str) -> tuple[tuple[str, ...], str]:
    """Unpack the weights; returns their layouts and the bias term of the input part."""
    lay, gm, m = loop.lay, loop.gm, loop.m
    bias = ("b" if len(loop.gates) > 1 else "bh") if loop.use_bias else None
    names = ["Wx", "Wh"] + ([bias] if bias else [])
    shapes = [lay.matrix(loop.d, gm), lay.matrix(m, gm)]
    if bias:
        shapes.append(lay.matrix("2", gm) if loop.reset_after else lay.vector(gm))
    layouts = (lay.kernel_layout, lay.kernel_layout) + ((lay.bias_layout,) if bias else ())
    out.add(1, f"{', '.join(names)} = {weight_ref}", " ".join(shapes))
    out.add(1, lay.units, f"{m}: hidden units")
    bias_in = ""
    if bias and loop.reset_after:
        out.add(1, lay.bias_split, f"{lay.vector(gm)} each: input bias, recurrent bias")
        bias_in = " + bx"
    elif bias:
        bias_in = " + " + bias
    if loop.class_name == "GRU" and not loop.reset_after:
        split = f"{lay.block('Wh', '', '2 * M')}, {lay.block('Wh', '2 * M', '')}"
        out.add(1, f"Wh_zr, Wh_h = {split}", f"{lay.matrix(m, '2' + m)} for z and r, ({m}, {m}) for hh")
    return layouts, bias_in


def _before_the_loop(out: _Lines, loop: _Loop, bias_in: str) -> None:
    """The input part of every step at once, the initial states, and the loop header."""
    lay, state_shape = loop.lay, loop.state_shape
    out.add(1, "N, T, _ = x.shape", "N samples, T timesteps")
    for code, comment in lay.inputs:
        out.add(1, code.format(bias=bias_in), comment.format(d=loop.d, gm=loop.gm, bias=bias_in))
    for i, s in enumerate(loop.states):
        what = "hidden state" if s == "h" else "cell state"
        if i < loop.site.n_states:
            out.add(1, f"{s} = {lay.keras(s + '0')}.astype(x.dtype)", f"{state_shape} initial {what} (given)")
        else:
            out.add(1, f"{s} = {lay.zeros}", f"{state_shape} {what} {s}_0 = 0")
    if loop.site.has_mask:
        out.add(1, f"y = {lay.zeros}", f"{state_shape} last output (masked steps repeat it)")
    if loop.seqs:
        out.add(1, "ys = []", "one output per processed step")
    order = "reversed(range(T))" if loop.backwards else "range(T)"
    out.add(1, f"for t in {order}:", "go_backwards: last step first" if loop.backwards else "")


def _simple_rnn_step(out: _Lines, loop: _Loop) -> None:
    lay = loop.lay
    pre = f"{lay.step('Zx')} + {lay.product('Wh', 'h')}"
    if loop.site.trace or loop.site.has_mask:
        out.add(2, f"z = {pre}", f"{loop.state_shape} pre-activation")
        pre = "z"
    out.add(2, f"h{loop.new} = {loop.act('activation', pre)}", f"{loop.state_shape} {equations(loop.class_name, lay)[0]}")


def _lstm_step(out: _Lines, loop: _Loop) -> None:
    lay, shape, new = loop.lay, loop.state_shape, loop.new
    out.add(2, f"z = {lay.step('Zx')} + {lay.product('Wh', 'h')}", f"{lay.batch('4' + loop.m)} all four gates, pre-activation")
    bounds = ["", "M", "2 * M", "3 * M", ""]
    for k, gate in enumerate(loop.gates):
        key = "recurrent_activation" if gate.recurrent else "activation"
        out.add(2, f"{gate.var} = {loop.act(key, lay.block('z', bounds[k], bounds[k + 1]))}", f"{shape} {gate.meaning}")
    out.add(2, f"c{new} = f * c + i * g", f"{shape} c_t = f*c_(t-1) + i*g")
    out.add(2, f"h{new} = o * {loop.act('activation', 'c' + new)}", f"{shape} h_t = o*tanh(c_t)")


def _gru_step(out: _Lines, loop: _Loop) -> None:
    lay, shape, m = loop.lay, loop.state_shape, loop.m

    def both(a: str, b: str, zh_end: str | None = None) -> str:
        """zx and zh over the same gate block (zh may end elsewhere: it holds z and r only)."""
        return lay.block("zx", a, b) + " + " + lay.block("zh", a, b if zh_end is None else zh_end)

    out.add(2, f"zx = {lay.step('Zx')}", f"{lay.batch('3' + m)} input part of z, r, hh")
    if loop.reset_after:
        bh = " + bh" if loop.use_bias else ""
        out.add(2, f"zh = {lay.product('Wh', 'h')}{bh}", "recurrent part, its bias included")
        out.add(2, f"z = {loop.act('recurrent_activation', both('', 'M'))}", f"{shape} update gate")
        out.add(2, f"r = {loop.act('recurrent_activation', both('M', '2 * M'))}", f"{shape} reset gate")
        hh = lay.block("zx", "2 * M", "") + " + r * " + lay.block("zh", "2 * M", "")
        out.add(2, f"hh = {loop.act('activation', hh)}", f"{shape} candidate: r scales {lay.dot('Wh_h', 'h')} + bh_h")
    else:
        out.add(2, f"zh = {lay.product('Wh_zr', 'h')}", f"{lay.batch('2' + m)} recurrent part of z and r")
        out.add(2, f"z = {loop.act('recurrent_activation', both('', 'M'))}", f"{shape} update gate")
        out.add(2, f"r = {loop.act('recurrent_activation', both('M', '2 * M', ''))}", f"{shape} reset gate")
        hh = lay.block("zx", "2 * M", "") + " + " + lay.product("Wh_h", "(r * h)")
        out.add(2, f"hh = {loop.act('activation', hh)}", f"{shape} candidate: {lay.dot('Wh_h', '(r*h)')}, r scales h first")
    out.add(2, f"h{loop.new} = z * h + (1.0 - z) * hh", f"{shape} h_t = z*h_(t-1) + (1-z)*hh")


STEPS = {"SimpleRNN": _simple_rnn_step, "LSTM": _lstm_step, "GRU": _gru_step}


def _masked_step(out: _Lines, loop: _Loop) -> None:
    out.add(2, f"m = {loop.lay.mask_step}", "True where step t is real, False where masked")
    for s in loop.states:
        out.add(2, f"{s} = np.where(m, {s}_new, {s})", "masked steps keep the previous state")
    if loop.zero_out:
        out.add(2, "y = np.where(m, h_new, 0.0)", "masked steps output zeros")
    else:
        out.add(2, "y = np.where(m, h_new, y)", "masked steps repeat the last output")


def _trace_step(out: _Lines, loop: _Loop) -> None:
    lay = loop.lay
    if loop.class_name == "GRU":
        out.add(2, f'print("  x_t·Wx + b (z, r, hh parts) =", {lay.keras("zx")})')
    else:
        out.add(2, f'print("  pre-activation =", {lay.keras("z")})')
    for s in (*loop.states[1:], "h"):
        out.add(2, f'print("  {s}_t =", {lay.keras(s)})')


def _outputs(out: _Lines, loop: _Loop) -> None:
    lay, m = loop.lay, loop.m
    y = "y" if loop.site.has_mask else "h"
    if loop.seqs:
        out.add(2, f"ys.append({y})")
        code, comment, reversed_note = lay.stack
        out.add(1, code, comment.format(m=m) + (reversed_note if loop.backwards else ""))
        result = "y_seq"
    else:
        result = lay.keras(y)
    if loop.with_states:
        returned = ", ".join([result, *(lay.keras(s) for s in loop.states)])
        out.add(1, f"return {returned}", "output, then the final states " + ", ".join(loop.states))
    else:
        out.add(1, f"return {result}", f"(N, T, {m})" if loop.seqs else f"(N, {m})")


def _gate_text(loop: _Loop) -> str:
    gates = ", ".join(REGISTRY[loop.class_name].gates)
    if loop.class_name == "LSTM":
        return f"gates {gates} side by side in the kernels"
    if loop.class_name == "GRU":
        return f"gates {gates} side by side; reset_after={loop.reset_after}"
    return equations(loop.class_name, loop.lay)[0]


def loop_code(site: Site, class_name: str, code: str, helpers: frozenset[str], layouts: tuple[str, ...]) -> LayerCode:
    """The LayerCode of one loop function (a recurrent layer, or RNN over one cell)."""
    n_out = len(site.out_shapes)
    stems = ("h",) + tuple(f"{s}_last" for s in REGISTRY[class_name].states)[: n_out - 1]
    return LayerCode(
        functions=(code,),
        summary=equations(class_name, site.layout)[0],
        helpers=helpers,
        takes_mask=True,
        mask_out="same" if site.cfg.get("return_sequences") else None,
        stems=stems,
        layouts=layouts,
        equations=equations(class_name, site.layout),
    )


def rnn_template(site: Site) -> LayerCode:
    code, helpers, layouts = rnn_function(
        site, site.cfg, site.class_name, site.fn, site.weight_ref, d=site.in_sym(-1), m=site.out_sym(-1), label=site.name
    )
    return loop_code(site, site.class_name, code, helpers, layouts)


def writes_loop(class_name: str) -> bool:
    """Whether ``rnn_function`` writes this layer's loop (its entry names ``rnn_template``)."""
    entry = REGISTRY.get(class_name)
    return entry is not None and entry.numpy == f"recurrent:{rnn_template.__name__}"
