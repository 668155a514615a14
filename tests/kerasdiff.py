"""Differential comparison of rnnshape's report with a real Keras 3 model.

``compare_with_keras(keras, spec)`` builds the same model with Keras, runs one real
forward pass on small random input, and lists every disagreement as a sentence:
per-layer output shapes (actual tensors from the forward pass, and Keras's symbolic
shapes), parameter totals and the trainable split, and every weight's shape and
name, in ``layer.weights`` order. An empty list means Keras and rnnshape agree.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any, NamedTuple, Sequence, Union

import numpy as np

from rnnshape.check.keras_build import build_model
from rnnshape.graph import steps
from rnnshape.infer import infer_model
from rnnshape.layers.core import input_batch_shape
from rnnshape.spec import Call, LayerSpec, ModelSpec, TensorRef

# Sizes that stand in for unknown (None) axes when making concrete input.
BATCH = 2
FREE_AXIS = 3


# Text for string inputs (TextVectorization, StringLookup): known words, an unknown
# one ("zz"), and several words per string for the layers that split.
WORDS = np.array(["a", "b c", "c a zz", "zz"])


class Typed(NamedTuple):
    """An input batch shape with a dtype other than float32 ("string", "int64")."""

    shape: tuple[Any, ...]
    dtype: str


InputShape = Union[tuple[Any, ...], Typed]


def concrete_inputs(spec: ModelSpec, rng: np.random.Generator) -> list[np.ndarray]:
    arrays = []
    for inp in spec.inputs:
        shape = input_batch_shape(inp)
        dims = [(BATCH if i == 0 else FREE_AXIS) if d is None else d for i, d in enumerate(shape)]
        # Values in [0, 3): valid token ids for any Embedding in the tests (input_dim >= 3).
        ids = rng.integers(0, 3, size=dims)
        dtype = inp.args.get("dtype")
        if dtype == "string":
            arrays.append(WORDS[ids])
        else:
            arrays.append(ids.astype(dtype if isinstance(dtype, str) else "float32"))
    return arrays


def _matches(mine: tuple[Any, ...], actual: tuple[int | None, ...]) -> bool:
    """A known dimension must equal the real one; None (dynamic) matches any size."""
    return len(mine) == len(actual) and all(m is None or m == a for m, a in zip(mine, actual))


def _size(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape)) if shape else 1


# Keras's own compute_output_shape is wrong for a Bidirectional whose backward layer
# has other units (keras-team/keras#23688): it doubles the forward size. rnnshape
# follows the real forward pass there, so only the actual tensors are compared.
# TextVectorization's compute_output_shape keeps the (N, 1) axis it squeezes before
# splitting, so multi_hot/count/tf_idf outputs read (N, 1, V) symbolically and are
# (N, V) in the forward pass; rnnshape follows the forward pass there too.
def _symbolic_is_known_wrong(report: Any) -> bool:
    if report.class_name == "TextVectorization":
        mode = report.config.get("output_mode", "int")
        return mode != "int" and report.config.get("split", "whitespace") is not None
    return report.class_name == "Bidirectional" and report.config.get("backward_layer") is not None


def single_layer(shapes: Sequence[InputShape], layer: LayerSpec, *, as_list: bool | None = None) -> ModelSpec:
    """A Functional model applying ``layer`` once to inputs of the given batch shapes.

    Several inputs are passed as one list (merge layers, Attention) unless
    ``as_list=False`` (MultiHeadAttention takes separate tensors).
    """
    inputs = tuple(LayerSpec("InputLayer", input_args(s), f"in{i}") for i, s in enumerate(shapes))
    named = replace(layer, name=layer.name or "probe")
    many = len(shapes) > 1 if as_list is None else as_list
    call = Call(named, tuple(TensorRef(f"in{i}") for i in range(len(shapes))), as_list=many)
    report_outputs = len(infer_model(ModelSpec("m", inputs, (call,), (), sequential=False)).layers[-1].outputs)
    outputs = tuple(TensorRef(named.name or "", 0, t) for t in range(report_outputs))
    return ModelSpec("single", inputs, (call,), outputs, sequential=False)


def input_args(shape: InputShape) -> dict[str, Any]:
    if isinstance(shape, Typed):
        return {"batch_shape": list(shape.shape), "dtype": shape.dtype}
    return {"batch_shape": list(shape)}


def compare_with_keras(keras: Any, spec: ModelSpec, *, seed: int = 0) -> list[str]:
    report = infer_model(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_model(keras, spec)
    problems: list[str] = []

    # One probe model exposing every output tensor of every layer call, in call order.
    probes: list[tuple[str, int, Any]] = []
    for step in steps(spec):
        layer = model.get_layer(step.name)
        for index, tensor in enumerate(layer._inbound_nodes[step.node].output_tensors):
            probes.append((step.name, index, tensor))
    probe = keras.Model(model.inputs, [t for _, _, t in probes])
    arrays = concrete_inputs(spec, np.random.default_rng(seed))
    with warnings.catch_warnings():
        # Keras warns about deprecated arguments (input_length) and masks that Flatten drops.
        warnings.simplefilter("ignore")
        values = probe(arrays, training=False)
    values = values if isinstance(values, (list, tuple)) else [values]

    by_name = {r.name: r for r in report.layers}
    seen: dict[str, int] = {}
    for (name, index, tensor), value in zip(probes, values):
        r = by_name[name]
        if index == 0:
            seen[name] = seen.get(name, -1) + 1
        # Every call of a shared layer has the same output shapes in these models.
        if index >= len(r.outputs):
            problems.append(f"{name}: Keras returns more than {len(r.outputs)} outputs")
            continue
        mine = r.outputs[index]
        # A ragged output (TextVectorization one_hot) has None for its ragged axis.
        actual = tuple(None if d is None else int(d) for d in value.shape)
        if not _matches(mine, actual):
            problems.append(f"{name}[{index}]: rnnshape {mine}, forward pass {actual}")
        symbolic = tuple(tensor.shape)
        if symbolic != mine and not _symbolic_is_known_wrong(r):
            problems.append(f"{name}[{index}]: rnnshape {mine}, Keras symbolic {symbolic}")
    for name, r in by_name.items():
        if r.class_name == "InputLayer":
            continue
        layer = model.get_layer(name)
        calls = sum(1 for step in steps(spec) if step.name == name)
        n_keras = len(layer._inbound_nodes)
        if n_keras != calls:
            problems.append(f"{name}: called {calls} times, Keras has {n_keras} nodes")
        keras_outputs = len(layer._inbound_nodes[0].output_tensors)
        if keras_outputs != len(r.outputs):
            problems.append(f"{name}: rnnshape {len(r.outputs)} outputs, Keras {keras_outputs}")
        kw = [(w.name, tuple(int(d) for d in w.shape), w.trainable) for w in layer.weights]
        mw = [(w.name.split("/")[-1], w.shape, w.trainable) for w in r.weights]
        if [(n, s) for n, s, _ in kw] != [(n, s) for n, s, _ in mw]:
            problems.append(f"{name}: weights rnnshape {mw}, Keras {kw}")
        trainable = sum(_size(tuple(int(d) for d in w.shape)) for w in layer.trainable_weights)
        total = layer.count_params()
        if (r.params, r.trainable_params, r.non_trainable_params) != (total, trainable, total - trainable):
            problems.append(
                f"{name}: params rnnshape {r.params} ({r.trainable_params}/{r.non_trainable_params}), "
                f"Keras {total} ({trainable}/{total - trainable})"
            )
    keras_total = model.count_params()
    if report.total_params != keras_total:
        problems.append(f"model: total params rnnshape {report.total_params}, Keras {keras_total}")
    return problems
