"""The hints inference adds to its errors: the fix a learner most likely needs."""

from __future__ import annotations

from typing import Mapping

from .errors import CustomLayerClass, RankError
from .layers.base import format_shape
from .report import LayerReport
from .spec import LayerSpec


def unknown_layer_hint(spec: LayerSpec, name: str, hint: str | None) -> str:
    close = f"{hint}; " if hint and hint.startswith("did you mean") else ""
    return f"{close}rnnshape cannot infer it; {assume_hint(name)}; `rnnshape layers` lists the supported layers"


def assume_hint(name: str) -> str:
    """How ``--assume`` carries inference past layer ``name``."""
    return (
        f"to continue, pass --assume {name}=SHAPE with its output shape including the batch axis "
        f"(e.g. --assume {name}=None,10,16), or --assume {name} if it keeps its input's shape"
    )


def custom_class_error(spec: LayerSpec) -> CustomLayerClass | None:
    """The error for a layer whose class (or whose nested layer's class: an RNN's cell, a
    wrapper's layer) the model file defines; None when every class in it is Keras's."""
    from .graph import layer_tree

    for site in layer_tree(spec):
        custom = site.spec
        if custom.defined_at is None:
            continue
        what = f"custom layer class '{custom.class_name}' defined at {custom.defined_at.where()}"
        if site.parent is not None:
            what = f"{site.parent.class_name}'s {site.arg} is {what}"
        return CustomLayerClass(
            f"{what}; its code is never run", class_name=custom.class_name, pos=spec.pos, layer=spec.name,
            hint=CUSTOM_CLASS_HINT,
        )
    return None


# Said by every command; explain adds how --assume gets past it (infer._in_layer).
CUSTOM_CLASS_HINT = "rnnshape never runs the code of a class the file defines, so the layers after it are not checked"


def rank_hint(err: RankError, producer_label: str, reports: Mapping[str, LayerReport]) -> str | None:
    """Name the classic fix: the layer before dropped the time axis."""
    producer = reports.get(producer_label.split("[")[0])
    if 3 not in err.expected or err.got != 2:
        return None
    if producer is None or producer.class_name == "InputLayer":  # a Sequential model's input has no report
        # The classic slip is a per-sample shape with one axis, e.g. --input-shape 10.
        return (
            "a sequence layer takes samples of shape T,D (timesteps, features): give both, "
            "e.g. input_shape: [10, 3] in the model; or --input-shape T,D"
        )
    if producer.config.get("return_sequences") is False and producer.input_shapes:
        seq = producer.input_shapes[0]
        full = (*seq[:2], *producer.outputs[0][1:])
        return (
            f"set return_sequences=True on '{producer.name}' so it passes on the whole "
            f"sequence {format_shape(full)} instead of only the last step"
        )
    return None
