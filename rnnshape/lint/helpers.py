"""Small questions the checks ask about layers, answered from the layer registry."""

from __future__ import annotations

from typing import Any

from ..errors import UnknownLayer
from ..layers import REGISTRY, get_layer_def
from ..spec import LayerSpec

# Keras 3 merge layers: several inputs whose shapes must agree.
MERGE_LAYERS = frozenset(
    {"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot"}
)
# Layers that pass their input through unchanged in shape.
PASS_THROUGH = frozenset({"Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "Activation",
                          "ActivityRegularization", "LayerNormalization", "BatchNormalization", "Masking"})


def is_recurrent(class_name: str) -> bool:
    try:
        return get_layer_def(class_name).category == "recurrent"
    except UnknownLayer:
        return False


def known_class(class_name: str) -> bool:
    return class_name in REGISTRY


def flag(spec: LayerSpec, key: str) -> bool:
    """A boolean argument as the user wrote it (absent = False)."""
    return spec.args.get(key) is True


def describe(spec: LayerSpec) -> str:
    return f"'{spec.name}' ({spec.class_name})" if spec.name else spec.class_name


def shown(value: Any) -> str:
    return repr(value) if not isinstance(value, bool) else str(value)
