"""Differential tests: rnnshape's answers for the foundation layers against a real Keras 3 build.

Each model is built with real Keras from the *same* spec and run forward on a random
batch, so output shapes come from what Keras actually computes, not from its
``compute_output_shape``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from cases import CASES

from rnnshape.check.keras_build import build_model
from rnnshape.formats import from_expressions
from rnnshape.infer import infer_model
from rnnshape.layers.base import ACTIVATIONS
from rnnshape.spec import ModelSpec

PROBE_BATCH, PROBE_TIME = 2, 6


def _concrete(shape: tuple[Any, ...], fixed_batch: Any) -> tuple[int, ...]:
    """Replace dynamic axes by the probe's sizes: batch first, then time."""
    first = fixed_batch if fixed_batch is not None else PROBE_BATCH
    return tuple(first if i == 0 else PROBE_TIME if d is None else d for i, d in enumerate(shape))


def compare_with_keras(keras: Any, spec: ModelSpec) -> None:
    report = infer_model(spec)
    model = build_model(keras, spec)
    batch_shape = tuple(model.inputs[0].shape)
    probe = np.random.default_rng(0).normal(size=_concrete(batch_shape, batch_shape[0])).astype("float32")
    layers = [model.get_layer(r.name) for r in report.layers]
    # One model that returns every layer's outputs: one forward pass gives all shapes.
    outputs = [t for layer in layers for t in (layer.output if isinstance(layer.output, list) else [layer.output])]
    values = keras.Model(model.inputs[0], outputs)(probe)
    values = values if isinstance(values, (list, tuple)) else [values]
    actual = iter(tuple(v.shape) for v in values)
    for ours, layer in zip(report.layers, layers):
        symbolic = layer.output if isinstance(layer.output, list) else [layer.output]
        # Symbolic shapes keep None where the axis is dynamic: compare exactly.
        assert [tuple(t.shape) for t in symbolic] == list(ours.outputs), ours.name
        # The forward pass must produce those shapes with the probe sizes filled in.
        for shape in ours.outputs:
            assert next(actual) == _concrete(shape, batch_shape[0]), ours.name
        assert layer.count_params() == ours.params, ours.name
        trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
        assert (trainable, layer.count_params() - trainable) == (ours.trainable_params, ours.non_trainable_params)
        assert [(w.name, tuple(w.shape)) for w in layer.weights] == [(w.name, w.shape) for w in ours.weights]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hand_table_agrees_with_keras(keras: Any, case: Any) -> None:
    spec = from_expressions(case.exprs, input_shape=case.input_shape, batch_input_shape=case.batch_input_shape)
    compare_with_keras(keras, spec)


def _recurrent_grid() -> list[str]:
    exprs = []
    flags = ["return_sequences", "return_state", "go_backwards", "use_bias"]
    for cls, units in itertools.product(["SimpleRNN", "LSTM", "GRU"], [1, 4]):
        resets = [True, False] if cls == "GRU" else [None]
        for values in itertools.product([False, True], repeat=len(flags)):
            for reset in resets:
                args = [str(units)] + [f"{f}={v}" for f, v in zip(flags, values)]
                if reset is not None:
                    args.append(f"reset_after={reset}")
                exprs.append(f"{cls}({', '.join(args)})")
    return exprs


@pytest.mark.parametrize("time", ["7", "None"])
def test_recurrent_grid_agrees_with_keras(keras: Any, time: str) -> None:
    # 96 recurrent configurations x 2 time axes, each built and run by Keras.
    for expr in _recurrent_grid():
        compare_with_keras(keras, from_expressions([expr], input_shape=f"{time},5"))


@pytest.mark.parametrize(
    "exprs,batch_input_shape",
    [
        (["LSTM(3, stateful=True)"], "4,7,5"),
        (["GRU(3, stateful=True, return_sequences=True, return_state=True)"], "4,7,5"),
        (["SimpleRNN(3, stateful=True, go_backwards=True)"], "4,None,5"),
        (["Dense(6)", "Dense(2, use_bias=False)"], "None,3,4,5"),
        (["Dense(6, lora_rank=2)"], "None,5"),
        (["Dropout(0.3)", "Dense(1)"], "None,5"),
        (["LSTM(4, trainable=False)", "Dense(1)"], "None,7,5"),
    ],
)
def test_other_foundation_configs_agree_with_keras(keras: Any, exprs: list[str], batch_input_shape: str) -> None:
    compare_with_keras(keras, from_expressions(exprs, batch_input_shape=batch_input_shape))


def test_activation_list_matches_keras(keras: Any) -> None:
    from keras.src.activations import ALL_OBJECTS_DICT

    assert ACTIVATIONS == frozenset(ALL_OBJECTS_DICT)
