"""The list of Keras 3 layer class names is the installed Keras's own, and every layer
rnnshape supports is on it."""

from __future__ import annotations

from typing import Any

from rnnshape.layers import ALIASES, REGISTRY
from rnnshape.layers.keras_names import KERAS_LAYER_CLASSES


def test_the_list_is_the_installed_keras_layer_classes(keras: Any) -> None:
    exported = {
        name
        for name in dir(keras.layers)
        if isinstance(getattr(keras.layers, name), type) and issubclass(getattr(keras.layers, name), keras.layers.Layer)
    }
    assert KERAS_LAYER_CLASSES == exported


def test_every_supported_layer_is_a_keras_layer() -> None:
    ours = {name for name, d in REGISTRY.items() if d.category != "op"} | (set(ALIASES) - {"Input"})
    assert ours <= KERAS_LAYER_CLASSES, sorted(ours - KERAS_LAYER_CLASSES)
