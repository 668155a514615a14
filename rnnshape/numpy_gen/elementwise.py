"""Forward templates for layers that keep the input's shape or only move its time axis:
the activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), the layers that are the
identity at inference (GaussianNoise, GaussianDropout, Identity), UnitNormalization
and Normalization, and ZeroPadding1D / Cropping1D / UpSampling1D.

Each follows Keras 3's own definition (keras/src/layers/activations, keras/src/ops).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import SpecError
from .base import LayerCode, Site, function_def
from .layout import AS_IS

# keras.backend.epsilon(): the floor under a standard deviation (Normalization) or a
# norm (UnitNormalization).
EPSILON = 1e-7


def _code(site: Site, doc: str, body: Sequence[tuple[str, str]], eq: str, *, mask: str | None = "same",
          layouts: tuple[str, ...] = ()) -> LayerCode:
    return LayerCode(
        functions=(function_def(site, doc, body),),
        summary=eq,
        mask_out=mask,
        stems=("a",),
        layouts=layouts,
        equations=(eq,),
    )


def _number(value: Any) -> float:
    return float(value)


def relu_template(site: Site) -> LayerCode:
    cfg = site.cfg
    slope, threshold, cap = _number(cfg["negative_slope"]), _number(cfg["threshold"]), cfg["max_value"]
    body: list[tuple[str, str]] = []
    if slope:
        below = f"np.maximum({threshold!r} - x, 0.0)" if threshold else "np.maximum(-x, 0.0)"
        body.append((f"below = {below}", "how far x is under the threshold"))
    if threshold:
        body.append((f"y = x * (x > {threshold!r})", "x above the threshold, 0 elsewhere"))
    else:
        body.append(("y = np.maximum(x, 0.0)", "max(x, 0)"))
    if cap is not None:
        body.append((f"y = np.clip(y, 0.0, {_number(cap)!r})", "capped at max_value"))
    if slope:
        body.append((f"y = y - {slope!r} * below", "the leak under the threshold"))
    body.append(("return y", site.out_shape_text()))
    eq = "y = relu(x)" + (f" capped at {_number(cap)!r}" if cap is not None else "")
    eq += (f", leak {slope!r}" if slope else "") + (f", threshold {threshold!r}" if threshold else "")
    return _code(site, f"ReLU(max_value={cap!r}, negative_slope={slope!r}, threshold={threshold!r}).", body, eq)


def leaky_relu_template(site: Site) -> LayerCode:
    alpha = site.cfg["alpha"] if site.cfg.get("alpha") is not None else site.cfg["negative_slope"]
    slope = _number(alpha)
    body = [(f"return np.where(x > 0, x, {slope!r} * x)", site.out_shape_text())]
    return _code(site, f"LeakyReLU({slope!r}).", body, f"y = x if x > 0 else {slope!r}·x")


def elu_template(site: Site) -> LayerCode:
    alpha = _number(site.cfg["alpha"])
    body = [(f"return np.where(x > 0, x, {alpha!r} * np.expm1(np.minimum(x, 0.0)))", site.out_shape_text())]
    return _code(site, f"ELU({alpha!r}).", body, f"y = x if x > 0 else {alpha!r}·(e^x - 1)")


def softmax_template(site: Site) -> LayerCode:
    if site.has_mask:
        raise SpecError("Softmax on a masked input has no NumPy template", layer=site.name)
    axis = site.cfg["axis"]
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    body = [
        (f"e = np.exp(x - x.max(axis={axes!r}, keepdims=True))", "shifted by the max, for stability"),
        (f"return e / e.sum(axis={axes!r}, keepdims=True)", site.out_shape_text() + f": sums to 1 over axis {axes!r}"),
    ]
    return _code(site, f"Softmax(axis={axes!r}).", body, f"y = e^x / sum(e^x) over axis {axes!r}")


def prelu_template(site: Site) -> LayerCode:
    body = [
        (f"(alpha,) = {site.weight_ref}", "one slope per value, size 1 along shared axes"),
        ("return np.where(x > 0, x, alpha * x)", site.out_shape_text()),
    ]
    return _code(site, "PReLU, a leaky ReLU with learned slopes.", body, "y = x if x > 0 else alpha·x", layouts=(AS_IS,))


def inference_identity_template(site: Site) -> LayerCode:
    """GaussianNoise and GaussianDropout act only while training; Identity always."""
    when = "" if site.class_name == "Identity" else ", the identity at inference"
    return _code(site, f"{site.class_name}{when}.", [("return x", site.out_shape_text())], "y = x")


def unit_normalization_template(site: Site) -> LayerCode:
    axis = site.cfg["axis"]
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    body = [
        (f"norm2 = np.sum(x * x, axis={axes!r}, keepdims=True)", "squared L2 norm"),
        (f"return x / np.sqrt(np.maximum(norm2, {EPSILON!r}))", site.out_shape_text() + ": unit length"),
    ]
    return _code(site, f"UnitNormalization(axis={axes!r}).", body, "y = x / ||x||")


def normalization_template(site: Site) -> LayerCode:
    cfg = site.cfg
    if cfg["mean"] is not None:
        raise SpecError("Normalization with mean=/variance= given has no NumPy template", layer=site.name)
    shape = site.in_shapes[0]
    axis = cfg["axis"]
    kept = () if axis is None else tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    keep = {a % len(shape) for a in kept}
    target = tuple(int(d or 1) if i in keep else 1 for i, d in enumerate(shape))
    std = f"np.maximum(np.sqrt(variance), {EPSILON!r})"
    body = [
        (f"mean, variance, _count = {site.weight_ref}", "learned by adapt()"),
        (f"mean, variance = mean.reshape({target!r}), variance.reshape({target!r})", "broadcast over the other axes"),
    ]
    if cfg["invert"]:
        body.append((f"return mean + x * {std}", site.out_shape_text() + ": undoes the scaling"))
        eq = "y = mean + x·std"
    else:
        body.append((f"return (x - mean) / {std}", site.out_shape_text() + ": mean 0, variance 1"))
        eq = "y = (x - mean) / std"
    return _code(site, "Normalization with adapted statistics.", body, eq, layouts=(AS_IS, AS_IS, AS_IS))


def _pair(value: Any) -> tuple[int, int]:
    return (int(value[0]), int(value[1])) if isinstance(value, (list, tuple)) else (int(value), int(value))


def zero_padding1d_template(site: Site) -> LayerCode:
    if site.cfg.get("data_format") == "channels_first":
        raise SpecError("ZeroPadding1D with data_format='channels_first' has no NumPy template", layer=site.name)
    a, b = _pair(site.cfg["padding"])
    body = [(f"return np.pad(x, ((0, 0), ({a}, {b}), (0, 0)))", site.out_shape_text() + f": {a} zero steps before, {b} after")]
    return _code(site, f"ZeroPadding1D(({a}, {b})).", body, f"y = [0]*{a} + x + [0]*{b} along time", mask=None)


def cropping1d_template(site: Site) -> LayerCode:
    a, b = _pair(site.cfg["cropping"])
    end = f"-{b}" if b else ""
    body = [(f"return x[:, {a}:{end}, :]", site.out_shape_text() + f": {a} steps dropped at the start, {b} at the end")]
    return _code(site, f"Cropping1D(({a}, {b})).", body, f"y = x[:, {a}:T-{b}]", mask=None)


def up_sampling1d_template(site: Site) -> LayerCode:
    size = int(site.cfg["size"])
    body = [(f"return np.repeat(x, {size}, axis=1)", site.out_shape_text() + f": every step {size} times")]
    return _code(site, f"UpSampling1D({size}).", body, f"y[:, t] = x[:, t // {size}]", mask=None)
