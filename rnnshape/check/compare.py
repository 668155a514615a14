"""Compare rnnshape's report with what Keras built, layer by layer (pure, no TensorFlow).

The Keras side arrives as plain data (``KerasFacts``), extracted by ``keras_side``.
Output shapes are compared on the probe input: rnnshape's inference on exactly that
input against the shapes of the real forward pass. rnnshape's declared shapes (with
``None``) must also agree with the forward pass on every axis they fix.
"""

from __future__ import annotations

from dataclasses import field
from typing import Mapping, Sequence

from ..layers.base import WeightSpec, format_shape
from ..report import LayerReport, ModelReport
from ..spec import Shape
from ..records import record

IntShape = tuple[int, ...]


@record
class KerasWeight:
    path: str  # Keras's variable path, e.g. "lstm/lstm_cell/kernel"
    shape: IntShape
    trainable: bool

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@record
class Params:
    total: int
    trainable: int
    non_trainable: int

    def __str__(self) -> str:
        text = f"{self.total:,}"
        return text if not self.non_trainable else f"{text} ({self.non_trainable:,} non-trainable)"


@record
class KerasLayerFacts:
    name: str
    class_name: str
    outputs: tuple[IntShape, ...]  # actual shapes from the forward pass
    params: Params
    weights: tuple[KerasWeight, ...]


@record
class KerasFacts:
    layers: Mapping[str, KerasLayerFacts]
    totals: Params
    device: str  # the device the forward pass ran on, as TensorFlow names it
    # Layers Keras has that the model spec does not (only InputLayers are expected).
    extra_layers: tuple[str, ...] = ()


@record
class Finding:
    """One disagreement: where, what, and both values."""

    layer: str
    aspect: str
    rnnshape: str
    keras: str

    def __str__(self) -> str:
        return f"{self.layer}: {self.aspect}: rnnshape {self.rnnshape}, keras {self.keras}"


@record
class WeightCheck:
    ours: WeightSpec | None
    keras: KerasWeight | None
    relative_path: str  # Keras's path below the layer, e.g. "lstm_cell/kernel"
    ok: bool


@record
class LayerCheck:
    name: str
    class_name: str
    declared: tuple[Shape, ...]  # rnnshape on the model as declared
    ours: tuple[Shape, ...]  # rnnshape on the probe input
    keras: tuple[IntShape, ...]  # the real forward pass
    ours_params: Params
    keras_params: Params | None
    weights: tuple[WeightCheck, ...]
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.findings


def layer_params(layer: LayerReport) -> Params:
    return Params(layer.params, layer.trainable_params, layer.non_trainable_params)


def report_params(report: ModelReport) -> Params:
    return Params(report.total_params, report.trainable_params, report.non_trainable_params)


def compare_reports(declared: ModelReport, concrete: ModelReport, facts: KerasFacts) -> tuple[
    tuple[LayerCheck, ...], tuple[Finding, ...]
]:
    """Per-layer checks plus model-level findings (totals, layers missing on either side)."""
    declared_by_name = {layer.name: layer for layer in declared.layers}
    checks = []
    model_findings: list[Finding] = []
    for layer in concrete.layers:
        keras = facts.layers.get(layer.name)
        decl = declared_by_name.get(layer.name, layer)
        checks.append(_compare_layer(decl, layer, keras))
    ours_total = report_params(concrete)
    if ours_total != facts.totals:
        model_findings.append(_params_finding("(model)", ours_total, facts.totals))
    for name in facts.extra_layers:
        model_findings.append(Finding(name, "layer", "absent", "present"))
    return tuple(checks), tuple(model_findings)


def _compare_layer(decl: LayerReport, ours: LayerReport, keras: KerasLayerFacts | None) -> LayerCheck:
    name = ours.name
    ours_params = layer_params(ours)
    if keras is None:
        return LayerCheck(
            name, ours.class_name, decl.outputs, ours.outputs, (), ours_params, None, (),
            (Finding(name, "layer", "present", "absent"),),
        )
    findings: list[Finding] = []
    if keras.class_name != ours.class_name:
        findings.append(Finding(name, "class", ours.class_name, keras.class_name))
    findings += _compare_outputs(name, decl.outputs, ours.outputs, keras.outputs)
    if ours_params != keras.params:
        findings.append(_params_finding(name, ours_params, keras.params))
    weights = compare_weights(name, ours.weights, keras.weights)
    for index, w in enumerate(weights):
        if not w.ok:
            findings.append(
                Finding(
                    name,
                    f"weight #{index + 1}",
                    _weight_text(w.ours.name, w.ours.shape, w.ours.trainable) if w.ours else "absent",
                    _weight_text(w.relative_path, w.keras.shape, w.keras.trainable) if w.keras else "absent",
                )
            )
    return LayerCheck(
        name, ours.class_name, decl.outputs, ours.outputs, keras.outputs, ours_params, keras.params, weights,
        tuple(findings),
    )


def _compare_outputs(
    name: str, declared: Sequence[Shape], ours: Sequence[Shape], actual: Sequence[IntShape]
) -> list[Finding]:
    if len(ours) != len(actual) or any(tuple(o) != tuple(a) for o, a in zip(ours, actual)):
        return [Finding(name, "output shape", shapes_text(ours), shapes_text(actual))]
    findings = []
    if len(declared) != len(actual) or not all(_fits(d, a) for d, a in zip(declared, actual)):
        findings.append(Finding(name, "declared output shape", shapes_text(declared), shapes_text(actual)))
    return findings


def _fits(declared: Shape, actual: IntShape) -> bool:
    """A declared shape fits an actual one when every fixed axis agrees."""
    return len(declared) == len(actual) and all(d is None or d == a for d, a in zip(declared, actual))


def compare_weights(
    layer_name: str, ours: Sequence[WeightSpec], keras: Sequence[KerasWeight]
) -> tuple[WeightCheck, ...]:
    """Pair weights in order; each pair must agree on name, shape and trainability."""
    checks = []
    for index in range(max(len(ours), len(keras))):
        mine = ours[index] if index < len(ours) else None
        theirs = keras[index] if index < len(keras) else None
        rel = relative_path(theirs.path, layer_name) if theirs else ""
        ok = (
            mine is not None
            and theirs is not None
            and tuple(mine.shape) == tuple(theirs.shape)
            and mine.trainable == theirs.trainable
            and weight_name_matches(mine.name, rel)
        )
        checks.append(WeightCheck(mine, theirs, rel, ok))
    return tuple(checks)


def relative_path(path: str, layer_name: str) -> str:
    """Keras's variable path below the layer: ``lstm/lstm_cell/kernel`` -> ``lstm_cell/kernel``."""
    parts = path.split("/")
    if layer_name in parts[:-1]:
        parts = parts[parts.index(layer_name) + 1 :]
    return "/".join(parts)


def weight_name_matches(ours: str, keras_relative: str) -> bool:
    """rnnshape's name (``kernel``, ``forward_lstm/kernel``) against Keras's path below the layer.

    The last parts (the variable's own name) must be equal, and every part rnnshape names
    must appear in Keras's path in the same order; Keras may add levels rnnshape leaves out
    (``lstm_cell``). Owner levels may carry Keras's auto-uniquifying suffix, which
    depends on every object created before in the session: an unnamed cell is
    ``gru_cell_2`` in Keras whatever rnnshape calls it, so owners compare without it.
    """
    mine = [p for p in ours.split("/") if p]
    theirs = keras_relative.split("/")
    if not mine or mine[-1] != theirs[-1]:
        return False
    remaining = iter(theirs[:-1])
    return all(any(_same_owner(part, other) for other in remaining) for part in mine[:-1])


def _same_owner(ours: str, keras: str) -> bool:
    return ours == keras or _without_counter(ours) == _without_counter(keras)


def _without_counter(name: str) -> str:
    stem, sep, suffix = name.rpartition("_")
    return stem if sep and suffix.isdigit() else name


def shapes_text(shapes: Sequence[Shape]) -> str:
    if not shapes:
        return "-"
    parts = [format_shape(tuple(s)) for s in shapes]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def _weight_text(name: str, shape: Sequence[int], trainable: bool) -> str:
    return f"{name} {format_shape(tuple(shape))}" + ("" if trainable else " non-trainable")


def _params_finding(name: str, ours: Params, keras: Params) -> Finding:
    return Finding(
        name,
        "params (total/trainable/non-trainable)",
        f"{ours.total:,}/{ours.trainable:,}/{ours.non_trainable:,}",
        f"{keras.total:,}/{keras.trainable:,}/{keras.non_trainable:,}",
    )
