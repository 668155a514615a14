"""Seeded random models that are valid for both rnnshape and Keras 3.

``random_model_specs(count, seed)`` is deterministic: the same arguments give the same
models. It covers every layer in the registry (InputLayer, SimpleRNN, LSTM, GRU, Dense,
Dropout) and every recurrent flag: return_sequences, return_state, go_backwards,
stateful (with a fixed batch), unroll, use_bias, dropout, recurrent_dropout, activations,
reset_after, unit_forget_bias, implementation, use_cudnn, seed, trainable, and the
Functional ``initial_state`` wiring of one RNN's states into the next.
"""

from __future__ import annotations

import random
from typing import Any

from rnnshape.spec import Call, LayerSpec, ModelSpec, Namer, TensorRef, sequential_model

RECURRENT = ("SimpleRNN", "LSTM", "GRU")
STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "softsign", "elu")
RECURRENT_ACTIVATIONS = ("sigmoid", "hard_sigmoid", "tanh")


def random_model_specs(count: int, seed: int) -> list[ModelSpec]:
    """``count`` valid models; every fourth one is a Functional graph with state wiring."""
    rng = random.Random(seed)
    return [_functional(rng, i) if i % 4 == 3 else _sequential(rng, i) for i in range(count)]


def _sequential(rng: random.Random, index: int) -> ModelSpec:
    stateful = rng.random() < 0.2
    batch = rng.randint(1, 4) if stateful or rng.random() < 0.2 else None
    steps = rng.choice([None, rng.randint(1, 12)])
    features = rng.randint(1, 6)
    layers: list[LayerSpec] = []
    rank = 3
    n_recurrent = rng.randint(1, 3)
    for r in range(n_recurrent):
        last = r == n_recurrent - 1
        flags = {"stateful": stateful and rng.random() < 0.7, "unroll": steps is not None and rng.random() < 0.3}
        keep_sequence = not last or rng.random() < 0.5
        layers.append(_recurrent(rng, rng.choice(RECURRENT), keep_sequence, return_state=False, **flags))
        rank = 3 if keep_sequence else 2
        if rng.random() < 0.3:
            layers.append(_dropout(rng))
        if not last and rng.random() < 0.25:  # Dense on the 3-D sequence, per time step
            layers.append(_dense(rng))
    if rng.random() < 0.25 and layers[-1].class_name in RECURRENT:
        # return_state on the final layer: the model's output is its first tensor,
        # and the check still compares every state tensor.
        spec = layers.pop()
        layers.append(LayerSpec(spec.class_name, {**spec.args, "return_state": True}))
    elif rng.random() < 0.8:
        layers.append(_dense(rng))
    assert rank in (2, 3)
    shape: dict[str, Any] = {"batch_shape": [batch, steps, features]}
    input_layer = LayerSpec("InputLayer", shape)
    return sequential_model(f"random_{index}", input_layer, layers, source=f"<random {index}>")


def _functional(rng: random.Random, index: int) -> ModelSpec:
    """input -> RNN(return_state) -> RNN(initial_state=those states) -> [Dense] -> outputs."""
    namer = Namer()
    batch = rng.choice([None, rng.randint(1, 3)])
    steps = rng.choice([None, rng.randint(2, 9)])
    input_name = namer.claim(None, "InputLayer")
    inp = LayerSpec("InputLayer", {"batch_shape": [batch, steps, rng.randint(1, 5)]}, input_name)
    cls = rng.choice(RECURRENT)
    units = rng.randint(1, 6)
    first_seq = rng.random() < 0.5
    first = _recurrent(rng, cls, first_seq, return_state=True, units=units)
    first = _named(first, namer)
    second = _recurrent(rng, cls, rng.random() < 0.5, return_state=rng.random() < 0.4, units=units)
    second = _named(second, namer)
    states = tuple(TensorRef(first.name or "", 0, k) for k in range(1, STATES[cls] + 1))
    second_input = TensorRef(first.name or "", 0, 0) if first_seq else TensorRef(input_name)
    calls = [Call(first, (TensorRef(input_name),)), Call(second, (second_input,), initial_state=states)]
    outputs = [TensorRef(second.name or "", 0, 0)]
    if rng.random() < 0.6:
        dense = _named(_dense(rng), namer)
        calls.append(Call(dense, (TensorRef(second.name or "", 0, 0),)))
        outputs = [TensorRef(dense.name or "", 0, 0)]
    if second.args.get("return_state"):
        outputs.append(TensorRef(second.name or "", 0, 1))
    outputs.append(states[-1])
    return ModelSpec(f"random_{index}", (inp,), tuple(calls), tuple(outputs), False, None, f"<random {index}>")


def _named(spec: LayerSpec, namer: Namer) -> LayerSpec:
    return LayerSpec(spec.class_name, spec.args, namer.claim(spec.name, spec.class_name))


def _recurrent(
    rng: random.Random,
    cls: str,
    return_sequences: bool,
    *,
    return_state: bool,
    stateful: bool = False,
    unroll: bool = False,
    units: int | None = None,
) -> LayerSpec:
    gated = cls != "SimpleRNN"
    args: dict[str, Any] = {"units": units or rng.randint(1, 8)}
    maybe = rng.random
    if return_sequences or maybe() < 0.3:
        args["return_sequences"] = return_sequences
    if return_state:
        args["return_state"] = True
    if maybe() < 0.3:
        args["go_backwards"] = True
    if stateful:
        args["stateful"] = True
    if unroll:
        args["unroll"] = True
    if maybe() < 0.3:
        args["use_bias"] = maybe() < 0.5
    if maybe() < 0.25:
        args["activation"] = rng.choice(ACTIVATIONS)
    if gated and maybe() < 0.25:
        args["recurrent_activation"] = rng.choice(RECURRENT_ACTIVATIONS)
    if maybe() < 0.25:
        args["dropout"] = round(rng.uniform(0.05, 0.5), 2)
    if maybe() < 0.2:
        args["recurrent_dropout"] = round(rng.uniform(0.05, 0.5), 2)
    if cls == "GRU" and maybe() < 0.5:
        args["reset_after"] = maybe() < 0.5
    if cls == "LSTM" and maybe() < 0.25:
        args["unit_forget_bias"] = maybe() < 0.5
    if gated and maybe() < 0.2:
        args["implementation"] = rng.choice([1, 2])
    if gated and maybe() < 0.2:
        args["use_cudnn"] = rng.choice([False, "auto"])
    if maybe() < 0.15:
        args["seed"] = rng.randint(0, 1000)
    if maybe() < 0.1:
        args["zero_output_for_mask"] = True
    if maybe() < 0.1:
        args["trainable"] = False
    if maybe() < 0.1:
        args["kernel_initializer"] = rng.choice(["he_normal", "orthogonal", "zeros"])
    return LayerSpec(cls, args)


def _dense(rng: random.Random) -> LayerSpec:
    args: dict[str, Any] = {"units": rng.randint(1, 6)}
    if rng.random() < 0.3:
        args["activation"] = rng.choice(ACTIVATIONS + ("softmax",))
    if rng.random() < 0.2:
        args["use_bias"] = False
    if rng.random() < 0.1:
        args["trainable"] = False
    if rng.random() < 0.1:
        args["lora_rank"] = rng.randint(1, 2)
    return LayerSpec("Dense", args)


def _dropout(rng: random.Random) -> LayerSpec:
    args: dict[str, Any] = {"rate": round(rng.uniform(0.0, 0.8), 2)}
    if rng.random() < 0.3:
        args["seed"] = rng.randint(0, 100)
    return LayerSpec("Dropout", args)
