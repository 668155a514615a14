"""Live Keras models in a Python session: read through their own config, cross-checked when built.

A live model (Keras 3, or tf.keras / Keras 2 through ``tf_keras``) is never walked as an
object: its ``to_json()`` goes through the same JSON reader as a saved file, so the API and
the CLI share one path. A *built* model also knows its own answer; ``built_findings``
compares rnnshape's report with the model's built output shapes, parameter counts and
weights, using the same comparison as ``rnnshape check``. Nothing here imports Keras: the
model object is already in the session.
"""

from __future__ import annotations

import math
from typing import Any

from .check.compare import Finding, KerasWeight, Params, compare_weights, shapes_text
from .errors import Position, SpecError
from .report import LayerReport, ModelReport
from .spec import LayerSpec, ModelSpec


def is_live_model(obj: Any) -> bool:
    """A Keras model object of any generation: it can write its own JSON config."""
    return callable(getattr(obj, "to_json", None)) and callable(getattr(obj, "get_config", None)) and hasattr(
        obj, "layers"
    )


def live_source(obj: Any) -> str:
    return f"<live model '{getattr(obj, 'name', '?')}'>"


def live_spec(obj: Any, input_layer: LayerSpec | None = None) -> ModelSpec:
    """The model as rnnshape reads it: ``obj.to_json()`` through the Keras JSON reader."""
    from .formats.keras_json import load_keras_json_text

    source = live_source(obj)
    try:
        text = obj.to_json()
    except Exception as exc:  # a subclassed model without get_config, for one
        raise SpecError(
            f"the model cannot write its config ({type(exc).__name__}: {exc})",
            pos=Position(source),
            hint="rnnshape reads Sequential and Functional models; a subclassed Model has no config to read",
        ) from None
    # The JSON names its Keras version, so a tf.keras model is read with Keras 2's rules.
    return load_keras_json_text(text, source, input_layer=input_layer)


def is_built(obj: Any) -> bool:
    """Whether the model has its weights (and so its own answer to compare with)."""
    return bool(getattr(obj, "built", False))


def built_findings(obj: Any, report: ModelReport) -> tuple[Finding, ...]:
    """Where rnnshape's report differs from the built model's own shapes, params and weights."""
    by_name = {layer.name: layer for layer in obj.layers}
    findings: list[Finding] = []
    for ours in report.layers:
        theirs = by_name.get(ours.name)
        if theirs is None or ours.class_name == "InputLayer":
            continue
        findings += _layer_findings(ours, theirs)
    totals = _params(obj)
    mine = Params(report.total_params, report.trainable_params, report.non_trainable_params)
    if totals != mine:
        findings.append(Finding("(model)", "params", str(mine), str(totals)))
    return tuple(findings)


def _layer_findings(ours: LayerReport, theirs: Any) -> list[Finding]:
    findings = []
    params = _params(theirs)
    mine = Params(ours.params, ours.trainable_params, ours.non_trainable_params)
    if params != mine:
        findings.append(Finding(ours.name, "params", str(mine), str(params)))
    built = _built_outputs(theirs)
    if built is not None and tuple(map(tuple, ours.outputs)) != built:
        findings.append(Finding(ours.name, "output shape", shapes_text(ours.outputs), shapes_text(built)))
    for index, w in enumerate(compare_weights(ours.name, ours.weights, _weights(theirs))):
        if not w.ok:
            findings.append(
                Finding(ours.name, f"weight #{index + 1}", str(w.ours.shape) if w.ours else "absent",
                        str(w.keras.shape) if w.keras else "absent")
            )
    return findings


def _built_outputs(layer: Any) -> tuple[tuple[int | None, ...], ...] | None:
    """The layer's symbolic output shapes, or None where Keras keeps none (a shared layer)."""
    try:
        output = layer.output
    except Exception:  # not connected, or called more than once
        return None
    tensors = output if isinstance(output, (list, tuple)) else [output]
    try:
        return tuple(tuple(None if d is None else int(d) for d in t.shape) for t in tensors)
    except (TypeError, ValueError):
        return None


def _params(obj: Any) -> Params:
    trainable = sum(_size(w) for w in obj.trainable_weights)
    non_trainable = sum(_size(w) for w in obj.non_trainable_weights)
    return Params(trainable + non_trainable, trainable, non_trainable)


def _weights(layer: Any) -> tuple[KerasWeight, ...]:
    trainable_ids = {id(w) for w in layer.trainable_weights}
    return tuple(KerasWeight(_path(w), tuple(int(d) for d in w.shape), id(w) in trainable_ids) for w in layer.weights)


def _path(weight: Any) -> str:
    """Keras 3's ``path``; tf.keras's ``name`` without the ``:0`` of its tensor."""
    path = getattr(weight, "path", None)
    return str(path if isinstance(path, str) else weight.name).split(":")[0]


def _size(weight: Any) -> int:
    return math.prod(int(d) for d in weight.shape)


def live_weights(obj: Any, report: ModelReport) -> dict[str, list[Any]]:
    """The model's trained weights by layer name, in ``layer.weights`` order (what ``numpy`` embeds)."""
    by_name = {layer.name: layer for layer in obj.layers}
    return {
        layer.name: list(by_name[layer.name].get_weights())
        for layer in report.layers
        if layer.weights and layer.name in by_name
    }
