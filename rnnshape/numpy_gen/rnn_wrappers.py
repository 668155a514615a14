"""Forward templates for the layers that run another layer's loop: Bidirectional and RNN(cell).

Both write their inner recurrences with ``recurrent.rnn_function`` and add one small
function that calls them: two directions merged, or a stack of cells chained.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import SpecError
from ..layers import REGISTRY, get_layer_def
from ..layers.base import resolve_args
from ..spec import LayerSpec
from .base import LayerCode, Site, comment_pad
from .recurrent import EQUATIONS, loop_code, rnn_function, writes_loop

MERGES = {
    "concat": ("np.concatenate([y_fwd, y_bwd], axis=-1)", "forward and backward side by side"),
    "sum": ("y_fwd + y_bwd", "sum of both directions"),
    "mul": ("y_fwd * y_bwd", "product of both directions"),
    "ave": ("(y_fwd + y_bwd) / 2.0", "mean of both directions"),
    None: ("", "both directions as two outputs"),
}


def _directions(site: Site) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """(class, resolved config) of the forward layer, then of the backward one."""
    inner = site.cfg["layer"]
    if not isinstance(inner, LayerSpec) or not writes_loop(inner.class_name):
        raise SpecError("Bidirectional has a NumPy template only around SimpleRNN, LSTM or GRU", layer=site.name)
    fwd_cfg = dict(resolve_args(get_layer_def(inner.class_name), inner))
    back = site.cfg.get("backward_layer")
    if isinstance(back, LayerSpec):
        if not writes_loop(back.class_name):
            raise SpecError("Bidirectional's backward_layer has no NumPy template", layer=site.name)
        return (inner.class_name, fwd_cfg), (back.class_name, dict(resolve_args(get_layer_def(back.class_name), back)))
    return (inner.class_name, fwd_cfg), (inner.class_name, dict(fwd_cfg, go_backwards=not fwd_cfg.get("go_backwards", False)))


def bidirectional_template(site: Site) -> LayerCode:
    """Two copies of the inner RNN, the backward one reading the sequence from the end."""
    (fwd_class, fwd_cfg), (bwd_class, bwd_cfg) = _directions(site)
    merge = site.cfg.get("merge_mode", "concat")
    if merge not in MERGES:
        raise SpecError(f"merge_mode {merge!r} has no NumPy template", layer=site.name)
    seqs = bool(fwd_cfg.get("return_sequences"))
    n_fwd = 2 + bool(fwd_cfg.get("use_bias", True))
    m = site.out_sym(-1) if merge != "concat" else "M"
    m = m if not m.isdigit() else "M"
    helpers: set[str] = set()
    fns = []
    layouts: list[str] = []
    for direction, dcfg, dclass, ref in (
        ("forward", fwd_cfg, fwd_class, f"{site.weight_ref}[:{n_fwd}]"),
        ("backward", bwd_cfg, bwd_class, f"{site.weight_ref}[{n_fwd}:]"),
    ):
        code, used, lay = rnn_function(
            site, dcfg, dclass, f"{site.fn}_{direction}", ref, d=site.in_sym(-1), m=m,
            label=f"{site.name}, {direction} direction", force_states=True,
            zero_output_for_mask=seqs,  # Bidirectional forces zero_output_for_mask = return_sequences
        )
        fns.append(code)
        helpers |= used
        layouts += lay
    fns.append(_merged(site, merge, seqs, len(REGISTRY[fwd_class].states), len(REGISTRY[bwd_class].states), fwd_cfg))
    n_out = len(site.out_shapes)
    return LayerCode(
        functions=tuple(fns),
        summary=f"two {fwd_class}s, one per direction, merged by {merge!r}",
        helpers=frozenset(helpers),
        takes_mask=True,
        mask_out="same" if seqs and merge is not None else None,
        stems=tuple(["h"] + [f"h{k}" for k in range(1, n_out)]),
        layouts=tuple(layouts),
        equations=EQUATIONS[fwd_class] + ("backward: the same on x[:, ::-1], its outputs flipped back",),
    )


def _merged(site: Site, merge: str | None, seqs: bool, n_states: int, n_bstates: int, fwd_cfg: dict[str, Any]) -> str:
    """The Bidirectional function itself: both directions, then the merge."""
    call_args = "x, mask" if site.has_mask else "x"
    lines = [f"def {site.fn}({call_args}):", f'    """{site.name}: Bidirectional, merge_mode={merge!r}."""']
    fs = ", ".join(f"s_fwd{k}" for k in range(n_states))
    bs = ", ".join(f"s_bwd{k}" for k in range(n_bstates))
    lines.append(comment_pad(f"    y_fwd, {fs} = {site.fn}_forward({call_args})", "reads t = 0 .. T-1", 48))
    lines.append(comment_pad(f"    y_bwd, {bs} = {site.fn}_backward({call_args})", "reads t = T-1 .. 0", 48))
    if seqs:
        lines.append(comment_pad("    y_bwd = y_bwd[:, ::-1]", "flip back so y_bwd[:, t] belongs to x[:, t]", 48))
    expr, what = MERGES[merge]
    outs = ["y_fwd, y_bwd"] if merge is None else [expr]
    if site.cfg.get("layer") is not None and fwd_cfg.get("return_state"):
        outs += [f"s_fwd{k}" for k in range(n_states)] + [f"s_bwd{k}" for k in range(n_bstates)]
    lines.append(comment_pad(f"    return {', '.join(outs)}", what, 48))
    return "\n".join(lines)


SEQUENCE_FLAGS = ("return_sequences", "return_state", "go_backwards", "stateful", "zero_output_for_mask")


def _cells(site: Site) -> list[tuple[str, dict[str, Any]]]:
    """The cells of ``RNN(cell)``, ``RNN([c1, c2])`` or ``RNN(StackedRNNCells(...))``:
    (the layer class whose loop runs the cell's step, the cell's resolved config)."""
    cell = site.cfg["cell"]
    if isinstance(cell, LayerSpec) and cell.class_name == "StackedRNNCells":
        cell = cell.args.get("cells", ())
    specs = [cell] if isinstance(cell, LayerSpec) else list(cell)
    found = []
    for spec in specs:
        entry = REGISTRY.get(spec.class_name) if isinstance(spec, LayerSpec) else None
        if entry is None or entry.step_of is None or not writes_loop(entry.step_of):
            what = spec.class_name if isinstance(spec, LayerSpec) else type(spec).__name__
            raise SpecError(f"RNN with a {what} cell has no NumPy template", layer=site.name)
        found.append((entry.step_of, dict(resolve_args(entry, spec))))
    return found


def rnn_cells_template(site: Site) -> LayerCode:
    """``RNN(cell)``: the cell's step in the loop of the matching layer.

    A stack of cells feeds cell k's output at step t to cell k+1 at the same step t.
    Cell k+1 at step t needs only cell k at step t and its own state at t-1, so
    running cell 1 over every step, then cell 2 over cell 1's outputs, and so on,
    computes exactly the same numbers; the generated code does it that way, one
    function per cell, each the loop of the layer with the same step.
    """
    cells = _cells(site)
    flags = {k: site.cfg.get(k, False) for k in SEQUENCE_FLAGS}
    if len(cells) == 1:
        ((class_name, cell_cfg),) = cells
        code, helpers, layouts = rnn_function(
            site, {**cell_cfg, **flags}, class_name, site.fn, site.weight_ref,
            d=site.in_sym(-1), m=site.out_sym(-1), label=site.name,
        )
        return loop_code(site, class_name, code, helpers, layouts)
    if site.n_states:
        raise SpecError("RNN over a stack of cells with initial_state has no NumPy template", layer=site.name)
    return _stacked_cells(site, cells, flags)


def _stacked_cells(site: Site, cells: list[tuple[str, dict[str, Any]]], flags: dict[str, Any]) -> LayerCode:
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
        names = [f"{s}{k}" for s in REGISTRY[class_name].states]
        state_vars += names
        src = "x" if k == 1 else "y"
        mask = ", mask[:, ::-1]" if site.has_mask and backwards and k > 1 else mask_arg  # cell 1 wrote last step first
        shape = f"(N, T, {units})" if not last or seqs else f"(N, {units})"
        what = "x" if k == 1 else f"cell {k - 1} outputs"
        calls.append((f"y, {', '.join(names)} = {fn}({src}{mask})", f"{shape}, cell {k}: {class_name} step on {what}"))
        d = units
    fns.append(_chain(site, calls, state_vars, len(cells), bool(flags["return_state"])))
    n_out = len(site.out_shapes)
    kinds = ", ".join(c for c, _ in cells)
    return LayerCode(
        functions=tuple(fns),
        summary=f"stacked cells ({kinds}): cell k+1 reads cell k's output at every step",
        helpers=frozenset(all_helpers),
        takes_mask=True,
        mask_out="same" if seqs else None,
        stems=tuple(["h"] + [f"{v}_last" for v in state_vars][: n_out - 1]),
        layouts=tuple(all_layouts),
        equations=tuple(f"cell {k}: {EQUATIONS[c][0]}" for k, (c, _) in enumerate(cells, start=1))
        + ("x_t of cell k+1 = h_t of cell k",),
    )


def _chain(site: Site, calls: list[tuple[str, str]], state_vars: list[str], n_cells: int, return_state: bool) -> str:
    """The RNN function itself: each cell's loop over the previous cell's outputs."""
    mask_arg = ", mask" if site.has_mask else ""
    lines = [
        f"def {site.fn}(x{mask_arg}):",
        f'    """{site.name}: RNN over {n_cells} stacked cells, cell k+1 reads cell k\'s output at each step."""',
    ]
    lines += [comment_pad("    " + c, note, 48) for c, note in calls]
    outs = ["y"] + (state_vars if return_state else [])
    every = ", then every cell's states in order" if return_state else ""
    lines.append(comment_pad(f"    return {', '.join(outs)}", "output of the last cell" + every, 48))
    return "\n".join(lines)
