"""NumPy forward templates for the feed-forward layers, and the lookup by class name.

Each layer entry names its template (``LayerDef.numpy``, "module:function" in this
package) or says why it has none (``LayerDef.no_numpy``); ``template_for`` resolves
the name, or raises with the entry's reason instead of skipping the layer.
"""

from __future__ import annotations

import importlib

from ..errors import SpecError
from ..layers import REGISTRY
from ..spec import LayerSpec
from .activations import activation_expr
from .base import LayerCode, Site, Template, function_def
from .layout import AS_IS
from .feature import single_int as _int


_fn = function_def


def dense_template(site: Site) -> LayerCode:
    cfg = site.cfg
    if cfg.get("lora_rank"):
        raise SpecError("Dense with lora_rank has no NumPy template", layer=site.name)
    d, k = site.in_sym(-1), site.out_sym(-1)
    use_bias = bool(cfg.get("use_bias", True))
    names = "Wo, bo" if use_bias else "(Wo,)"
    out = site.out_shape_text()
    lay = site.layout
    shapes = lay.matrix(d, k) + (f" {lay.vector(k)}" if use_bias else "")
    layouts = (lay.kernel_layout,) + ((lay.bias_layout,) if use_bias else ())
    # Rows apply the kernel from the right; columns compute y.T = Wo·x.T, a different statement.
    if site.column:
        pre = "Wo @ x.swapaxes(-1, -2)" + (" + bo" if use_bias else "")
        expr, helpers = activation_expr(cfg.get("activation"), "yT.swapaxes(-1, -2)", layer=site.name)
        body = [
            (f"{names} = {site.weight_ref}", shapes + ": Wo = kernel.T"),
            (f"yT = {pre}", f"({k}, N): Wo·x + bo with x as columns"),
            (f"return {expr}", out),
        ]
        eq = "y = Wo·x + bo (columns)"
    else:
        expr, helpers = activation_expr(cfg.get("activation"), "x @ Wo" + (" + bo" if use_bias else ""), layer=site.name)
        body = [(f"{names} = {site.weight_ref}", shapes), (f"return {expr}", out + " on the last axis")]
        eq = "y = x·Wo + bo"
    act = cfg.get("activation")
    if act not in (None, "linear"):
        eq = f"y = {act}({eq[4:]})"
    return LayerCode(
        functions=(_fn(site, f"Dense({cfg['units']}), {eq}.", body),),
        summary=eq,
        helpers=frozenset(helpers),
        mask_out="same",
        stems=("y",),
        layouts=layouts,
        equations=(eq,),
    )


def identity_template(site: Site) -> LayerCode:
    keeps_mask = site.class_name == "Dropout"
    return LayerCode(
        functions=(_fn(site, f"{site.class_name}, the identity at inference.", [("return x", site.out_shape_text())]),),
        summary="identity at inference (it only acts while training)",
        mask_out="same" if keeps_mask else None,
        stems=("a",),
        equations=("y = x",),
    )


def activation_template(site: Site) -> LayerCode:
    expr, helpers = activation_expr(site.cfg.get("activation"), "x", layer=site.name)
    return LayerCode(
        functions=(_fn(site, f"Activation({site.cfg.get('activation')!r}).", [(f"return {expr}", site.out_shape_text())]),),
        summary=f"y = {expr}",
        helpers=frozenset(helpers),
        mask_out="same",
        stems=("a",),
        equations=(f"y = {expr}",),
    )


def embedding_template(site: Site) -> LayerCode:
    cfg = site.cfg
    e = site.out_sym(-1)
    body = [
        (f"E = {site.weight_ref}[0]", f"(V, {e}): row v is the vector of token id v"),
        ("return E[x.astype(np.int64)]", site.out_shape_text() + ": one row per token id"),
    ]
    mask = "{x} != 0" if cfg.get("mask_zero") else None
    doc = f"Embedding({cfg['input_dim']}, {cfg['output_dim']}), a table lookup"
    if mask:
        doc += "; token id 0 means padding (mask_zero=True)"
    return LayerCode(
        functions=(_fn(site, doc + ".", body),),
        summary="y[n, t] = E[x[n, t]]" + ("  (mask: x != 0)" if mask else ""),
        mask_out=mask,
        stems=("e",),
        layouts=(AS_IS,),
        equations=("y[n, t] = E[x[n, t]]",),
    )


def masking_template(site: Site) -> LayerCode:
    value = float(site.cfg.get("mask_value", 0.0))
    body = [
        (f"keep = np.any(x != {value!r}, axis=-1, keepdims=True)", "(N, T, 1) False where a whole step is padding"),
        ("return np.where(keep, x, 0.0)", site.out_shape_text() + ", masked steps zeroed"),
    ]
    return LayerCode(
        functions=(_fn(site, f"Masking({value!r}): steps equal to mask_value everywhere are skipped downstream.", body),),
        summary=f"mask = any(x != {value!r}) over features",
        mask_out="np.any({x} != " + repr(value) + ", axis=-1)",
        stems=("a",),
        equations=(f"mask[n, t] = any(x[n, t] != {value!r})",),
    )


def flatten_template(site: Site) -> LayerCode:
    return _reshaping(site, "x.reshape(x.shape[0], -1)", "Flatten, every axis after N in one")


def reshape_template(site: Site) -> LayerCode:
    target = tuple(site.cfg["target_shape"])
    return _reshaping(site, f"x.reshape((x.shape[0],) + {target!r})", f"Reshape({target!r})")


def repeat_vector_template(site: Site) -> LayerCode:
    n = site.cfg["n"]
    return _reshaping(site, f"np.repeat(x[:, None, :], {n}, axis=1)", f"RepeatVector({n}), the same vector at every step")


def permute_template(site: Site) -> LayerCode:
    dims = tuple(site.cfg["dims"])
    return _reshaping(site, f"x.transpose((0,) + {dims!r})", f"Permute({dims!r}), axes numbered from 1 after N")


def _reshaping(site: Site, expr: str, doc: str) -> LayerCode:
    return LayerCode(
        functions=(_fn(site, doc + ".", [(f"return {expr}", site.out_shape_text())]),),
        summary=f"y = {expr}",
        stems=("a",),
        equations=(f"y = {expr}",),
    )


def _channels_last(site: Site) -> None:
    if site.cfg.get("data_format") not in (None, "channels_last"):
        raise SpecError("pooling with data_format='channels_first' has no NumPy template", layer=site.name)


def pooling_template(site: Site) -> LayerCode:
    _channels_last(site)
    cfg = site.cfg
    p = _int(cfg.get("pool_size", 2))
    s = _int(cfg.get("strides") or p)
    is_max = site.class_name.startswith("Max")
    padding = str(cfg.get("padding", "valid")).lower()
    reduce = "max" if is_max else "mean"
    body: list[tuple[str, str]] = [(f"p, s = {p}, {s}", "pool size, stride"), ("N, L, C = x.shape", "")]
    if padding == "valid":
        body += [
            ("L_out = (L - p) // s + 1", "windows that fit entirely"),
            ("idx = np.arange(L_out)[:, None] * s + np.arange(p)", "(L_out, p) positions in each window"),
            (f"return x[:, idx].{reduce}(axis=2)", site.out_shape_text()),
        ]
    else:
        body += [
            ("L_out = -(-L // s)", "ceil(L / s) windows"),
            ("pad = max((L_out - 1) * s + p - L, 0)", "total padding, the smaller half in front"),
            ("idx = np.arange(L_out)[:, None] * s + np.arange(p)", "(L_out, p)"),
        ]
        if is_max:
            body += [
                ("xp = np.pad(x, ((0, 0), (pad // 2, pad - pad // 2), (0, 0)), constant_values=-np.inf)", "padding never wins"),
                ("return xp[:, idx].max(axis=2)", site.out_shape_text()),
            ]
        else:
            body += [
                ("xp = np.pad(x, ((0, 0), (pad // 2, pad - pad // 2), (0, 0)))", ""),
                ("count = np.pad(np.ones(L, x.dtype), (pad // 2, pad - pad // 2))[idx].sum(axis=1)", "(L_out,) real steps per window"),
                ("return xp[:, idx].sum(axis=2) / count[:, None]", site.out_shape_text() + ", padding not counted"),
            ]
    doc = f"{site.class_name}(pool_size={p}, strides={s}, padding={padding!r})."
    return LayerCode(
        functions=(_fn(site, doc, body),),
        summary=f"{reduce} over windows of {p} steps, stride {s}",
        stems=("a",),
        equations=(f"y[:, j] = {reduce}(x[:, j*s : j*s + p])",),
    )


def global_pooling_template(site: Site) -> LayerCode:
    _channels_last(site)
    keep = bool(site.cfg.get("keepdims", False))
    kd = ", keepdims=True" if keep else ""
    is_avg = site.class_name == "GlobalAveragePooling1D"
    if is_avg and site.has_mask:
        body = [
            ("w = mask[:, :, None].astype(x.dtype)", "(N, T, 1) 1 for real steps, 0 for masked"),
            (f"return (x * w).sum(axis=1{kd}) / w.sum(axis=1{kd})", site.out_shape_text() + ", mean over real steps"),
        ]
        params = "x, mask"
    else:
        body = [(f"return x.{'mean' if is_avg else 'max'}(axis=1{kd})", site.out_shape_text())]
        params = "x"
    what = "mean" if is_avg else "max"
    return LayerCode(
        functions=(_fn(site, f"{site.class_name}, the {what} over time.", body, params),),
        summary=f"y = {what} over t of x[:, t]",
        takes_mask=is_avg,
        stems=("a",),
        equations=(f"y = {what}_t x[:, t]",),
    )


MERGE_EXPRS = {
    "Add": ("y = y + x_i", "sum"),
    "Subtract": ("", "difference"),
    "Multiply": ("y = y * x_i", "product"),
    "Average": ("y = y + x_i", "mean"),
    "Maximum": ("y = np.maximum(y, x_i)", "maximum"),
    "Minimum": ("y = np.minimum(y, x_i)", "minimum"),
}


def merge_template(site: Site) -> LayerCode:
    if site.class_name == "Concatenate":
        axis = site.cfg.get("axis", -1)
        body = [(f"return np.concatenate(xs, axis={axis})", site.out_shape_text())]
        doc, eq = f"Concatenate(axis={axis}).", f"y = concat(x_1, ..., x_n) along axis {axis}"
    elif site.class_name == "Subtract":
        body = [("return xs[0] - xs[1]", site.out_shape_text())]
        doc, eq = "Subtract, x_1 - x_2.", "y = x_1 - x_2"
    else:
        step, what = MERGE_EXPRS[site.class_name]
        body = [("y = xs[0]", ""), ("for x_i in xs[1:]:", ""), ("    " + step, "broadcasts like NumPy")]
        body.append(("return y / len(xs)" if site.class_name == "Average" else "return y", site.out_shape_text()))
        doc, eq = f"{site.class_name}, the elementwise {what}.", f"y = elementwise {what} of x_1, ..., x_n"
    return LayerCode(
        functions=(_fn(site, doc, body, "xs"),),
        summary=eq,
        mask_out="same",
        stems=("a",),
        list_input=True,
        equations=(eq,),
    )


def time_distributed_template(site: Site) -> LayerCode:
    """The inner layer applied to every step: fold T into N, apply, unfold."""
    from ..layers import get_layer_def
    from ..layers.base import resolve_args

    inner = site.cfg["layer"]
    if not isinstance(inner, LayerSpec):
        raise SpecError("TimeDistributed needs a layer", layer=site.name)
    tmpl = template_for(inner.class_name, layer=site.name)
    in_shape = site.in_shapes[0]
    out_shape = site.out_shapes[0]
    inner_site = Site(
        name=site.name,
        fn=f"{site.fn}_step",
        class_name=inner.class_name,
        cfg=dict(resolve_args(get_layer_def(inner.class_name), inner)),
        in_shapes=((None, *in_shape[2:]),),
        out_shapes=((None, *out_shape[2:]),),
        in_syms=(("N·T", *site.in_syms[0][2:]),) if site.in_syms else (),
        out_syms=(("N·T", *site.out_syms[0][2:]),) if site.out_syms else (),
        weight_ref=site.weight_ref,
        n_weights=site.n_weights,
        convention=site.convention,
        trace=site.trace,
    )
    code = tmpl(inner_site)
    body = [
        ("N, T = x.shape[:2]", ""),
        (f"y = {site.fn}_step(x.reshape((N * T,) + x.shape[2:]))", "every step of every sample at once"),
        ("return y.reshape((N, T) + y.shape[1:])", site.out_shape_text()),
    ]
    return LayerCode(
        functions=code.functions + (_fn(site, f"TimeDistributed({inner.class_name}), the same layer at every step.", body),),
        summary=f"{code.summary}, at every timestep",
        helpers=code.helpers,
        mask_out="same",
        stems=code.stems[:1],
        layouts=code.layouts,
        equations=tuple(f"{e}   (for every t)" for e in code.equations),
    )


def _resolve(name: str) -> Template:
    """``"module:function"`` under rnnshape.numpy_gen, as a layer entry names its template."""
    module_name, _, function = name.partition(":")
    module = importlib.import_module(f"{__package__}.{module_name}")
    found: Template = getattr(module, function)
    return found


# Read from the layer entries (their ``numpy=``), never listed here: one place per layer.
TEMPLATES: dict[str, Template] = {c: _resolve(d.numpy) for c, d in REGISTRY.items() if d.numpy is not None}


def template_for(class_name: str, *, layer: str | None = None) -> Template:
    found = TEMPLATES.get(class_name)
    if found is None:
        entry = REGISTRY.get(class_name)
        reason = entry.no_numpy if entry is not None else None
        raise SpecError(
            f"{class_name} has no NumPy forward template" + (f": {reason}" if reason else ""),
            layer=layer,
            hint="layers with one: " + ", ".join(sorted(TEMPLATES)),
        )
    return found
