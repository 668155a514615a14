"""Words the lint rules share, so no rule module imports another."""

from __future__ import annotations

from typing import Any, Mapping

from ..layers import ALIASES, REGISTRY
from ..spec import LayerSpec
from .helpers import flag

# Keras 1/2 keyword arguments that Keras 3 layers refuse ("Unrecognized keyword
# arguments"), with what to write instead.
KERAS2_ARGS: Mapping[str, str] = {
    "time_major": "remove it: Keras 3 RNNs are always batch-major (batch, time, features); transpose the data instead",
    "batch_input_shape": "declare the input once: keras.Input(batch_shape=...) (YAML: batch_input_shape: at the top level)",
    "batch_size": "declare the batch size on the input: keras.Input(shape=..., batch_size=...) (YAML: batch_input_shape:)",
    "output_dim": "Keras 1 name: use units",
    "init": "Keras 1 name: use kernel_initializer",
    "inner_init": "Keras 1 name: use recurrent_initializer",
    "inner_activation": "Keras 1 name: use recurrent_activation",
    "W_regularizer": "Keras 1 name: use kernel_regularizer",
    "U_regularizer": "Keras 1 name: use recurrent_regularizer",
    "b_regularizer": "Keras 1 name: use bias_regularizer",
    "dropout_W": "Keras 1 name: use dropout",
    "dropout_U": "Keras 1 name: use recurrent_dropout",
    "consume_less": "Keras 1 name: remove it (Keras 3 picks the implementation itself)",
}


def own_args(class_name: str) -> frozenset[str]:
    """The layer's own Keras 3 arguments: Embedding's output_dim/input_dim and
    InputLayer's batch_size are not the Keras 1/2 or input-declaring ones."""
    layer_def = REGISTRY.get(ALIASES.get(class_name, class_name))
    return frozenset(layer_def.arg_names) if layer_def is not None else frozenset()


def activation_name(value: Any) -> Any:
    """``'tanh'``, or the function name inside a serialized activation."""
    if isinstance(value, Mapping):
        inner = value.get("config")
        return inner if isinstance(inner, str) else value
    return value


def multi_output_arg(spec: LayerSpec) -> str | None:
    """The argument that makes a layer return several tensors, if any."""
    if flag(spec, "return_state"):
        return "return_state"
    if "merge_mode" in spec.args and spec.args["merge_mode"] is None:
        return "merge_mode"
    return None
