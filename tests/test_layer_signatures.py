"""Each registry entry accepts exactly the arguments of the real Keras 3 class, in
signature order (expressions map positional arguments by it), with Keras's defaults."""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import pytest

from rnnshape.check.keras_build import make_layer
from rnnshape.layers import ALIASES, REGISTRY

# Mask operations (NotEqual, Any, ...) are graph ops, not keras.layers classes.
LAYER_CLASSES = sorted(name for name, d in REGISTRY.items() if d.category != "op")
from rnnshape.layers.base import BASE_ARGS, REQUIRED
from rnnshape.spec import LayerSpec

# Arguments a Keras class takes through **kwargs and pops itself (not in its signature).
POPPED: dict[str, set[str]] = {
    "SimpleRNN": {"zero_output_for_mask"},
    "LSTM": {"zero_output_for_mask", "implementation"},
    "GRU": {"zero_output_for_mask", "implementation"},
    "LSTMCell": {"implementation"},
    "GRUCell": {"implementation"},
    "Embedding": {"input_length"},
    "LayerNormalization": {"rms_scaling"},
    "InputLayer": {"batch_input_shape"},
    # Keras 2's name for negative_slope, popped with a deprecation warning.
    "LeakyReLU": {"alpha"},
}

# The smallest valid construction of each class, to prove popped arguments are accepted.
MINIMAL: dict[str, dict[str, Any]] = {
    "SimpleRNN": {"units": 2}, "LSTM": {"units": 2}, "GRU": {"units": 2},
    "LSTMCell": {"units": 2}, "GRUCell": {"units": 2},
    "Embedding": {"input_dim": 3, "output_dim": 2}, "LayerNormalization": {}, "LeakyReLU": {},
}

BASE_NAMES = {a.name for a in BASE_ARGS}


def _signature(class_name: str, keras: Any) -> list[inspect.Parameter]:
    cls = getattr(keras.layers, class_name)
    params = inspect.signature(cls.__init__).parameters.values()
    return [p for p in params if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]


@pytest.mark.parametrize("class_name", LAYER_CLASSES)
def test_argument_names_and_order_match_keras(keras: Any, class_name: str) -> None:
    layer_def = REGISTRY[class_name]
    expected = [p.name for p in _signature(class_name, keras) if p.name not in BASE_NAMES]
    ours = [n for n in layer_def.arg_names if n not in BASE_NAMES and n not in POPPED.get(class_name, set())]
    assert ours == expected


@pytest.mark.parametrize("class_name", LAYER_CLASSES)
def test_defaults_match_keras(keras: Any, class_name: str) -> None:
    ours = {a.name: a.default for a in BASE_ARGS + REGISTRY[class_name].args}
    for p in _signature(class_name, keras):
        keras_default = REQUIRED if p.default is inspect.Parameter.empty else p.default
        assert ours[p.name] is keras_default or ours[p.name] == keras_default, p.name


def test_base_arguments_are_keras_layer_arguments(keras: Any) -> None:
    """BASE_ARGS = keras.layers.Layer's own keywords + input_shape/input_dim (popped by Layer)."""
    layer_params = {p.name: p.default for p in _signature("Layer", keras)}
    assert BASE_NAMES == set(layer_params) | {"input_shape", "input_dim"}
    for arg in BASE_ARGS:
        if arg.name in layer_params:
            assert arg.default == layer_params[arg.name]


@pytest.mark.parametrize("class_name", sorted(set(POPPED) - {"InputLayer"}))
def test_popped_arguments_are_accepted_by_keras(keras: Any, class_name: str) -> None:
    defaults = {a.name: a.default for a in REGISTRY[class_name].args}
    for extra in POPPED[class_name]:
        value = defaults[extra] if defaults[extra] is not None else 4
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = make_layer(keras, LayerSpec(class_name, {**MINIMAL[class_name], extra: value}))
        assert type(layer).__name__ == class_name


def test_aliases_are_the_same_keras_classes(keras: Any) -> None:
    for alias, target in ALIASES.items():
        if alias == "Input":  # a function in Keras 3, not a class
            continue
        assert getattr(keras.layers, alias) is getattr(keras.layers, target)
