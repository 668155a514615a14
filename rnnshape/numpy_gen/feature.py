"""Forward templates for LayerNormalization, BatchNormalization (inference) and Conv1D.

Normalisation rescales each feature; it never mixes timesteps. BatchNormalization
at inference uses the statistics it stored while training (``moving_mean``,
``moving_variance``), not the batch's. Conv1D slides a kernel of ``k`` steps along
time: every output step is one matrix product over a window of input steps.
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecError
from .activations import activation_expr
from .base import LayerCode, Site, function_def


def _axes(site: Site) -> list[int]:
    axis = site.cfg.get("axis", -1)
    rank = len(site.in_shapes[0])
    return sorted({int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])})


def _broadcast(site: Site, axes: list[int]) -> tuple[str, str]:
    """(suffix that reshapes a per-feature vector to broadcast against x, its shape note)."""
    shape = site.in_shapes[0]
    rank = len(shape)
    if axes == [rank - 1]:
        return "", f"({site.in_sym(-1)},) one per feature"
    target = tuple(int(shape[a] or 1) if a in axes else 1 for a in range(rank))
    return f".reshape({target!r})", f"{target!r} broadcast over the other axes"


def _weight_names(site: Site, extra: tuple[str, ...] = ()) -> list[str]:
    names = (["gamma"] if site.cfg.get("scale", True) else []) + (["beta"] if site.cfg.get("center", True) else [])
    return names + list(extra)


def _scaled_and_shifted(x_hat: str, names: list[str]) -> str:
    """``x_hat * gamma + beta``, with only the factors the layer has."""
    return x_hat + (" * gamma" if "gamma" in names else "") + (" + beta" if "beta" in names else "")


def layer_norm_template(site: Site) -> LayerCode:
    cfg = site.cfg
    if cfg.get("rms_scaling"):
        raise SpecError("LayerNormalization with rms_scaling=True has no NumPy template", layer=site.name)
    axes = _axes(site)
    eps = float(cfg.get("epsilon", 1e-3))
    reshape, note = _broadcast(site, axes)
    names = _weight_names(site)
    axis_text = repr(tuple(axes)) if len(axes) > 1 else str(axes[0])
    body: list[tuple[str, str]] = []
    if names:
        body.append((f"{', '.join(names)}{',' if len(names) == 1 else ''} = {site.weight_ref}", note))
        body += [(f"{n} = {n}{reshape}", "") for n in names if reshape]
    body += [
        (f"mu = x.mean(axis={axis_text}, keepdims=True)", "the mean of each sample's features"),
        (f"var = x.var(axis={axis_text}, keepdims=True)", "their variance (divided by the count)"),
        (f"x_hat = (x - mu) / np.sqrt(var + {eps!r})", site.in_shape_text() + ": mean 0, variance 1 per sample"),
    ]
    eq = "x_hat = (x - mean) / sqrt(var + eps)"
    out = _scaled_and_shifted("x_hat", names)
    body.append((f"return {out}", site.out_shape_text()))
    final = f"y = {out}"
    doc = f"LayerNormalization(axis={axis_text}, epsilon={eps!r}), statistics over the features of each sample."
    return LayerCode(
        functions=(function_def(site, doc, body),),
        summary=f"{eq}; {final}",
        mask_out="same",
        stems=("a",),
        equations=(eq + "   (mean, var over the features of each sample)", final),
    )


def batch_norm_template(site: Site) -> LayerCode:
    cfg = site.cfg
    if cfg.get("renorm"):
        raise SpecError("BatchNormalization with renorm=True has no NumPy template", layer=site.name)
    axes = _axes(site)
    eps = float(cfg.get("epsilon", 1e-3))
    reshape, note = _broadcast(site, axes)
    names = _weight_names(site, ("moving_mean", "moving_variance"))
    body: list[tuple[str, str]] = [(f"{', '.join(names)} = {site.weight_ref}", note)]
    body += [(f"{n} = {n}{reshape}", "") for n in names if reshape]
    body.append((f"x_hat = (x - moving_mean) / np.sqrt(moving_variance + {eps!r})", site.in_shape_text() + ": the training statistics, not the batch's"))
    out = _scaled_and_shifted("x_hat", names)
    body.append((f"return {out}", site.out_shape_text()))
    eq = "x_hat = (x - moving_mean) / sqrt(moving_variance + eps)"
    doc = f"BatchNormalization(axis={axes[0]}, epsilon={eps!r}) at inference."
    return LayerCode(
        functions=(function_def(site, doc, body),),
        summary=f"{eq}; y = {out}",
        mask_out="same",
        stems=("a",),
        equations=(eq, f"y = {out}"),
    )


def single_int(value: Any) -> int:
    """A 1-D size Keras may store as ``3`` or ``[3]``."""
    if isinstance(value, (list, tuple)):
        (value,) = value
    return int(value)


def conv1d_template(site: Site) -> LayerCode:
    cfg = site.cfg
    if cfg.get("data_format") not in (None, "channels_last"):
        raise SpecError("Conv1D with data_format='channels_first' has no NumPy template", layer=site.name)
    if int(cfg.get("groups", 1)) != 1:
        raise SpecError("Conv1D with groups > 1 has no NumPy template", layer=site.name)
    k, s, d = single_int(cfg["kernel_size"]), single_int(cfg.get("strides", 1)), single_int(cfg.get("dilation_rate", 1))
    padding = str(cfg.get("padding", "valid")).lower()
    use_bias = bool(cfg.get("use_bias", True))
    dim, f = site.in_sym(-1), site.out_sym(-1)
    names = "W, b" if use_bias else "(W,)"
    body: list[tuple[str, str]] = [
        (f"{names} = {site.weight_ref}", f"W ({k}, {dim}, {f}): one ({dim}, {f}) matrix per kernel tap" + (f", b ({f},)" if use_bias else "")),
        (f"k, s, d = {k}, {s}, {d}", "kernel size, stride, dilation"),
        ("span = d * (k - 1) + 1", "input steps one window covers"),
    ]
    if padding == "valid":
        body.append(("xp = x", "valid: no padding, windows that fit entirely"))
    elif padding == "causal":
        body.append(("xp = np.pad(x, ((0, 0), (span - 1, 0), (0, 0)))", "causal: zeros in front, y_t sees only x_<=t"))
    else:
        body += [
            ("L = x.shape[1]", ""),
            ("pad = max((-(-L // s) - 1) * s + span - L, 0)", "same: ceil(L / s) outputs, the smaller half in front"),
            ("xp = np.pad(x, ((0, 0), (pad // 2, pad - pad // 2), (0, 0)))", ""),
        ]
    body += [
        ("L_out = (xp.shape[1] - span) // s + 1", "number of windows"),
        ("idx = np.arange(L_out)[:, None] * s + np.arange(k) * d", "(L_out, k) input step of tap i in window j"),
        ("windows = xp[:, idx]", f"(N, L_out, k, {dim})"),
    ]
    pre = 'np.einsum("njkc,kcf->njf", windows, W)' + (" + b" if use_bias else "")
    expr, helpers = activation_expr(cfg.get("activation"), "z", layer=site.name)
    body.append((f"z = {pre}", f"(N, L_out, {f}): sum over taps i and channels c of x[j*s + i*d, c]·W[i, c]"))
    body.append((f"return {expr}", site.out_shape_text()))
    eq = "y[:, j] = sum_i x[:, j*s + i*d]·W[i]" + (" + b" if use_bias else "")
    act = cfg.get("activation")
    if act not in (None, "linear"):
        eq = f"y[:, j] = {act}({eq[10:]})"
    doc = f"Conv1D({cfg['filters']}, {k}, strides={s}, padding={padding!r}, dilation_rate={d})."
    return LayerCode(
        functions=(function_def(site, doc, body),),
        summary=eq,
        helpers=frozenset(helpers),
        stems=("a",),
        equations=(eq,),
    )
