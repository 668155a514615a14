"""Hundreds of random valid models (tests/randmodels.py) against real Keras 3, in one process."""

from __future__ import annotations

from typing import Any

from kerasdiff import compare_with_keras
from randmodels import random_model_specs
from rnnshape.graph import layer_tree
from rnnshape.infer import infer_model
from rnnshape.layers import ALIASES, REGISTRY
from rnnshape.spec import LayerSpec, ModelSpec

COUNT = 208
SEED = 20240917


def _layer_specs(model: ModelSpec) -> list[LayerSpec]:
    """Every layer spec of a model, nested ones (wrapped layers, cells) included."""
    return [site.spec for call in model.calls for site in layer_tree(call.layer)]


def test_generator_is_deterministic_and_valid() -> None:
    first, again = random_model_specs(40, 7), random_model_specs(40, 7)
    assert first == again
    assert random_model_specs(40, 8) != first
    for model in first:
        infer_model(model)  # raises on an invalid model


def test_generator_covers_every_layer_and_flag() -> None:
    models = random_model_specs(COUNT, SEED)
    specs = [s for m in models for s in _layer_specs(m)]
    classes = {ALIASES.get(s.class_name, s.class_name) for s in specs}
    # Mask operations are recorded by Keras, never written by users (test_keras_roundtrip.py).
    ops = {name for name, d in REGISTRY.items() if d.category == "op"}
    assert set(REGISTRY) - {"InputLayer"} - ops <= classes
    assert {"MaxPool1D", "AvgPool1D", "Convolution1D"} <= {s.class_name for s in specs}
    recurrent = [s for s in specs if s.class_name in ("SimpleRNN", "LSTM", "GRU", "RNN")]
    for flag in ("return_sequences", "return_state", "go_backwards", "stateful", "unroll"):
        assert any(s.args.get(flag) is True for s in recurrent), flag
    assert any(s.args.get("return_sequences") is False for s in recurrent)
    assert any(s.args.get("use_bias") is False for s in specs)
    assert {True, False} <= {s.args.get("reset_after") for s in specs if "reset_after" in s.args}
    bidir = [s for s in specs if s.class_name == "Bidirectional"]
    assert {"concat", "sum", "mul", "ave", None} <= {s.args.get("merge_mode", "concat") for s in bidir}
    assert any("backward_layer" in s.args for s in bidir)
    assert any(c.initial_state for m in models for c in m.calls)
    assert any(c.as_list for m in models for c in m.calls)
    assert any(not m.sequential for m in models) and any(m.sequential for m in models)
    # A shared layer: one name called twice.
    assert any(len({c.layer.name for c in m.calls}) < len(m.calls) for m in models)


def test_random_models_match_keras(keras: Any) -> None:
    failures = []
    for model in random_model_specs(COUNT, SEED):
        keras.backend.clear_session()
        problems = compare_with_keras(keras, model)
        if problems:
            failures.append(f"{model.name}: " + "; ".join(problems))
    # Every model: per-layer shapes, params, trainable split and weights equal Keras's.
    assert failures == []
