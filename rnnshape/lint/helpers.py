"""Small questions the checks ask about layers, answered from the layer registry."""

from __future__ import annotations

from typing import Any

from ..layers import REGISTRY, find_layer_def
from ..spec import LayerSpec

# Read from the entries' flags, so a new layer joins these by its entry alone.
# Merge layers: several inputs whose shapes must agree.
MERGE_LAYERS = frozenset(name for name, layer_def in REGISTRY.items() if layer_def.merge)
# Layers that pass their input through unchanged in shape.
PASS_THROUGH = frozenset(name for name, layer_def in REGISTRY.items() if layer_def.shape_preserving)


def is_recurrent(class_name: str) -> bool:
    layer_def = find_layer_def(class_name)
    return layer_def is not None and layer_def.recurrent


def flag(spec: LayerSpec, key: str) -> bool:
    """A boolean argument as the user wrote it (absent = False)."""
    return spec.args.get(key) is True


def describe(spec: LayerSpec) -> str:
    return f"'{spec.name}' ({spec.class_name})" if spec.name else spec.class_name


def shown(value: Any) -> str:
    return repr(value) if not isinstance(value, bool) else str(value)
