"""`check` over a seeded random corpus: rnnshape and a real Keras build must agree on every model.

All models run through one ``check_models`` call, so TensorFlow is imported once (the
session ``keras`` fixture) and each model costs a build plus one forward pass.
"""

from __future__ import annotations

import pytest

from randmodels import random_model_specs
from rnnshape.check.render import render_table
from rnnshape.check.runner import CheckOptions, check_models
from rnnshape.graph import all_layers
from rnnshape.layers import REGISTRY, get_layer_def
from rnnshape.spec import LayerSpec, ModelSpec

CORPUS_SIZE = 200
CORPUS_SEED = 20240

RECURRENT_FLAGS = {
    "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "use_bias", "dropout",
    "recurrent_dropout", "reset_after", "activation", "trainable",
}


@pytest.fixture(scope="module")
def corpus() -> list[ModelSpec]:
    return random_model_specs(CORPUS_SIZE, CORPUS_SEED)


def _specs(model: ModelSpec) -> list[LayerSpec]:
    return list(all_layers(model))


def test_the_generator_is_deterministic() -> None:
    assert random_model_specs(12, 5) == random_model_specs(12, 5)
    assert random_model_specs(12, 5) != random_model_specs(12, 6)


def test_the_corpus_covers_every_layer_and_recurrent_flag(corpus: list[ModelSpec]) -> None:
    specs = [s for m in corpus for s in _specs(m)]
    defs = [get_layer_def(s.class_name) for s in specs]  # aliases resolve to their entry
    # Every layer a user writes; recorded mask operations (category "op") are not layers.
    assert {d.class_name for d in defs} >= {name for name, d in REGISTRY.items() if d.category != "op"}
    recurrent_args = {k for s, d in zip(specs, defs) if d.category == "recurrent" for k in s.args}
    assert recurrent_args >= RECURRENT_FLAGS
    assert any(c.initial_state for m in corpus for c in m.calls)  # Functional state wiring
    assert any(not m.sequential for m in corpus)


def test_every_random_model_agrees_with_keras(keras, corpus: list[ModelSpec]) -> None:
    run = check_models(corpus, CheckOptions(device="auto"))
    assert len(run.models) == CORPUS_SIZE
    failed = [m for m in run.models if not m.ok]
    if failed:
        from dataclasses import replace

        pytest.fail(f"{len(failed)} of {CORPUS_SIZE} models disagree:\n" + render_table(replace(run, models=failed)))
