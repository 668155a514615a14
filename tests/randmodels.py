"""Random but valid Keras models as ``ModelSpec`` values, for differential tests.

``random_model_specs(count, seed)`` is deterministic: the same arguments give the same
models. Every model it returns is valid (rnnshape infers it and Keras builds and runs
it); together they cover every registry layer and the recurrent flags
(return_sequences, return_state, go_backwards, use_bias, reset_after, stateful,
unroll), every Bidirectional merge mode, custom backward layers, wrappers, stacks,
and Functional graphs with merges, attention, shared layers and initial states.
Sizes are tiny (batch 2 when fixed, 2-4 steps, 1-4 units) so Keras runs them fast.
"""

from __future__ import annotations

import random
from typing import Any, Callable

from rnnshape.infer import build_layer
from rnnshape.spec import Call, LayerSpec, ModelSpec, Namer, Shape, TensorRef, sequential_model

MERGE_MODES = ["concat", "sum", "mul", "ave", None]
ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]


class _Graph:
    """Builds a model call by call, tracking shapes with rnnshape itself."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.namer = Namer()
        self.inputs: list[LayerSpec] = []
        self.calls: list[Call] = []
        self.shapes: dict[TensorRef, Shape] = {}
        self.layers: dict[str, LayerSpec] = {}
        self.nodes: dict[str, int] = {}
        # How many models this template made before: rare choices cycle on it, so
        # that a few hundred models are sure to contain each of them.
        self.turn = 0

    def input(self, shape: Shape, dtype: str | None = None) -> TensorRef:
        name = self.namer.claim(None, "InputLayer")
        args: dict[str, Any] = {"batch_shape": list(shape)}
        if dtype is not None:  # "string" or "int64" for the preprocessing layers
            args["dtype"] = dtype
        self.inputs.append(LayerSpec("InputLayer", args, name))
        ref = TensorRef(name)
        self.shapes[ref] = shape
        return ref

    def __call__(
        self,
        spec: LayerSpec | str,
        *inputs: TensorRef,
        as_list: bool = False,
        initial_state: tuple[TensorRef, ...] = (),
    ) -> list[TensorRef]:
        """Apply a new layer (a spec) or an existing one (its name) to ``inputs``."""
        if isinstance(spec, str):
            layer = self.layers[spec]
        else:
            layer = LayerSpec(spec.class_name, spec.args, self.namer.claim(spec.name, spec.class_name))
            self.layers[layer.name or ""] = layer
        name = layer.name or ""
        _, _, built = build_layer(layer, [self.shapes[r] for r in inputs])
        node = self.nodes.get(name, 0)
        self.nodes[name] = node + 1
        self.calls.append(Call(layer, tuple(inputs), as_list, tuple(initial_state)))
        refs = [TensorRef(name, node, i) for i in range(len(built.outputs))]
        for ref, shape in zip(refs, built.outputs):
            self.shapes[ref] = shape
        return refs

    def model(self, outputs: list[TensorRef]) -> ModelSpec:
        chain = (
            len(self.inputs) == 1
            and len(outputs) == 1
            and all(len(c.inputs) == 1 and not c.initial_state and not c.as_list for c in self.calls)
            and all(
                c.inputs[0] == (TensorRef(self.inputs[0].name or "") if i == 0 else TensorRef(self.calls[i - 1].layer.name or ""))
                for i, c in enumerate(self.calls)
            )
            and len(set(c.layer.name for c in self.calls)) == len(self.calls)
            and outputs[0] == TensorRef(self.calls[-1].layer.name or "")
        )
        if chain:
            return sequential_model(self.name, self.inputs[0], [c.layer for c in self.calls])
        return ModelSpec(self.name, tuple(self.inputs), tuple(self.calls), tuple(outputs), sequential=False)


def L(class_name: str, **args: Any) -> LayerSpec:  # noqa: N802 - reads like a Keras call
    return LayerSpec(class_name, args)


def _rnn_flags(rng: random.Random, *, seq: bool, state: bool, unroll_ok: bool) -> dict[str, Any]:
    flags: dict[str, Any] = {"return_sequences": seq}
    if state:
        flags["return_state"] = True
    if rng.random() < 0.3:
        flags["go_backwards"] = True
    if unroll_ok and rng.random() < 0.15:
        flags["unroll"] = True
    return flags


def _cell(rng: random.Random) -> LayerSpec:
    kind = rng.choice(["SimpleRNNCell", "LSTMCell", "GRUCell"])
    args: dict[str, Any] = {"units": rng.randint(1, 4)}
    if rng.random() < 0.25:
        args["use_bias"] = False
    if kind == "GRUCell" and rng.random() < 0.5:
        args["reset_after"] = False
    return LayerSpec(kind, args)


def _recurrent(rng: random.Random, *, seq: bool, state: bool = False, unroll_ok: bool = True,
               kinds: tuple[str, ...] = ("SimpleRNN", "LSTM", "GRU", "RNN", "RNNstack", "StackedRNNCells")) -> LayerSpec:
    kind = rng.choice(kinds)
    flags = _rnn_flags(rng, seq=seq, state=state, unroll_ok=unroll_ok)
    if kind == "RNN":
        return LayerSpec("RNN", {"cell": _cell(rng), **flags})
    if kind == "RNNstack":
        return LayerSpec("RNN", {"cell": [_cell(rng) for _ in range(rng.randint(2, 3))], **flags})
    if kind == "StackedRNNCells":
        return LayerSpec("RNN", {"cell": LayerSpec("StackedRNNCells", {"cells": [_cell(rng), _cell(rng)]}), **flags})
    args: dict[str, Any] = {"units": rng.randint(1, 4), **flags}
    if rng.random() < 0.25:
        args["use_bias"] = False
    if kind == "GRU" and rng.random() < 0.5:
        args["reset_after"] = rng.choice([True, False])
    if rng.random() < 0.1:
        args["activation"] = "relu"
    # No parameters of their own, but they change the kernel Keras picks and the
    # trainable split: the corpus must show they leave shapes and counts alone.
    if rng.random() < 0.15:
        args["dropout"] = 0.25
    if rng.random() < 0.15:
        args["recurrent_dropout"] = 0.1
    if rng.random() < 0.1:
        args["trainable"] = False
    return LayerSpec(kind, args)


def _bidirectional(rng: random.Random, *, seq: bool, state: bool = False, last: bool = False,
                   mode: Any = "random") -> LayerSpec:
    inner = _recurrent(rng, seq=seq, state=state, kinds=("SimpleRNN", "LSTM", "GRU", "RNN"))
    inner_args = {k: v for k, v in inner.args.items() if k != "go_backwards"}
    inner = LayerSpec(inner.class_name, inner_args)
    merge = rng.choice(MERGE_MODES) if mode == "random" else mode
    args: dict[str, Any] = {"layer": inner}
    if merge != "concat" or rng.random() < 0.5:
        args["merge_mode"] = merge
    if rng.random() < 0.3:
        # A custom backward layer; other units only where nothing consumes the output,
        # because Keras's symbolic shape is wrong then (keras-team/keras#23688).
        units_same = not last or merge in ("sum", "mul", "ave")
        kind = rng.choice(["SimpleRNN", "LSTM", "GRU"]) if not state else inner.class_name
        if inner.class_name == "RNN":
            kind = rng.choice(["SimpleRNN", "LSTM", "GRU"]) if not state else "LSTM" if _rnn_state_count(inner) == 2 else "GRU"
        units = _units(inner) if units_same else rng.randint(1, 4)
        back: dict[str, Any] = {"units": units, "go_backwards": True, "return_sequences": seq}
        if state:
            back["return_state"] = True
        args["backward_layer"] = LayerSpec(kind, back)
    return LayerSpec("Bidirectional", args)


def _units(spec: LayerSpec) -> int:
    if spec.class_name == "RNN":
        cell = spec.args["cell"]
        return int(cell.args["units"])
    return int(spec.args["units"])


def _rnn_state_count(spec: LayerSpec) -> int:
    cell = spec.args.get("cell")
    return 2 if isinstance(cell, LayerSpec) and cell.class_name == "LSTMCell" else 1


# ------------------------------------------------------------------ templates


def _stack(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """Sequential: optional front layers, 1-3 recurrent layers, a head."""
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    x = g.input((None, t, d))
    fronts = ["none", "Masking", "Conv1D", "pool", "SpatialDropout1D", "LayerNormalization", "Dense"]
    front = fronts[g.turn % len(fronts)]
    cycle = g.turn // len(fronts)
    if front == "Masking":
        (x,) = g(L("Masking"), x) if rng.random() < 0.5 else g(L("Masking", mask_value=1.0), x)
    elif front == "Conv1D":
        (x,) = g(L(["Conv1D", "Convolution1D"][cycle % 2], filters=rng.randint(1, 4), kernel_size=rng.randint(1, 2),
                   padding=rng.choice(["valid", "same", "causal"])), x)
    elif front == "pool":
        cls = ["MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"][cycle % 4]
        (x,) = g(L(cls, pool_size=rng.randint(1, 2), padding=rng.choice(["valid", "same"])), x)
    elif front == "SpatialDropout1D":
        (x,) = g(L("SpatialDropout1D", rate=0.2), x)
    elif front == "LayerNormalization":
        (x,) = g(L("LayerNormalization", center=rng.random() < 0.7), x)
    elif front == "Dense":
        (x,) = g(L("Dense", units=rng.randint(1, 4)), x)
    depth = rng.randint(1, 3)
    for i in range(depth):
        seq = i < depth - 1 or rng.random() < 0.5
        if rng.random() < 0.3:
            spec = _bidirectional(rng, seq=seq, mode=rng.choice(["concat", "sum", "mul", "ave"]), last=False)
        else:
            spec = _recurrent(rng, seq=seq)
        (x,) = g(spec, x)
    return [_head(rng, g, x)]


def _head(rng: random.Random, g: _Graph, x: TensorRef) -> TensorRef:
    if len(g.shapes[x]) == 3:
        choice = rng.choice(["TimeDistributed", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten", "Dense",
                             "BatchNormalization", "Activation", "Permute", "Reshape"])
        if choice == "TimeDistributed":
            inner = rng.choice([L("Dense", units=rng.randint(1, 3)), L("Activation", activation="tanh"),
                                L("BatchNormalization"), L("Dropout", rate=0.1)])
            (x,) = g(L("TimeDistributed", layer=inner), x)
        elif choice.startswith("Global"):
            (x,) = g(L(rng.choice([choice, choice.replace("Average", "Avg").replace("Pooling", "Pool")]),
                       keepdims=rng.random() < 0.3), x)
        elif choice == "Permute":
            (x,) = g(L("Permute", dims=[2, 1]), x)
        elif choice == "Reshape":
            (x,) = g(L("Reshape", target_shape=[-1]), x)
        elif choice == "Activation":
            (x,) = g(L("Activation", activation=rng.choice(["relu", "softmax", "sigmoid"])), x)
        else:
            (x,) = g(L(choice) if choice != "Dense" else L("Dense", units=rng.randint(1, 3)), x)
        if rng.random() < 0.5 and len(g.shapes[x]) == 3:
            (x,) = g(L("Flatten"), x)
    if rng.random() < 0.5:
        (x,) = g(L("Dropout", rate=0.1), x)
    (x,) = g(L("Dense", units=rng.randint(1, 3), use_bias=rng.random() < 0.8), x)
    return x


def _embedding(rng: random.Random, g: _Graph) -> list[TensorRef]:
    t = rng.choice([None, 3, 4])
    x = g.input((None, t))
    args: dict[str, Any] = {"input_dim": rng.randint(3, 6), "output_dim": rng.randint(1, 4)}
    if rng.random() < 0.5:
        args["mask_zero"] = True
    if t is not None and rng.random() < 0.2:
        args["input_length"] = t
    (x,) = g(L("Embedding", **args), x)
    if rng.random() < 0.5:
        (x,) = g(_bidirectional(rng, seq=False, mode=rng.choice(["concat", "sum", "ave", "mul"])), x)
    else:
        (x,) = g(_recurrent(rng, seq=False, unroll_ok=t is not None), x)
    (x,) = g(L("Dense", units=2), x)
    return [x]


def _branches(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """One input, two recurrent branches, merged by a merge layer."""
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    x = g.input((None, t, d))
    seq = rng.random() < 0.5
    units = rng.randint(1, 4)
    branches = []
    for _ in range(2):
        kind = rng.choice(["SimpleRNN", "LSTM", "GRU"])
        args: dict[str, Any] = {"units": units, "return_sequences": seq}
        if rng.random() < 0.3:
            args["go_backwards"] = True
        (b,) = g(L(kind, **args), x)
        branches.append(b)
    merge = rng.choice(["Concatenate", *ELEMENTWISE, "Dot"])
    if merge == "Concatenate":
        (y,) = g(L("Concatenate", axis=rng.choice([-1, 1])), *branches, as_list=True)
    elif merge == "Dot":
        (y,) = g(L("Dot", axes=len(g.shapes[branches[0]]) - 1, normalize=rng.random() < 0.5), *branches, as_list=True)
    else:
        (y,) = g(L(merge), *branches, as_list=True)
    (y,) = g(L("Dense", units=2), y)
    return [y]


def _bidir_outputs(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """Bidirectional as the last layer: every merge mode, states and custom backward layers."""
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    x = g.input((None, t, d))
    state = rng.random() < 0.5
    spec = _bidirectional(rng, seq=rng.random() < 0.5, state=state, last=True, mode=rng.choice(MERGE_MODES))
    outs = g(spec, x)
    if spec.args.get("merge_mode", "concat") is None and rng.random() < 0.5 and "backward_layer" not in spec.args:
        (m,) = g(L("Concatenate"), outs[0], outs[1], as_list=True)
        return [m, *outs[2:]]
    return outs


def _seq2seq(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """Encoder states as the decoder's initial_state (LSTM [h, c] or GRU [h])."""
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    enc_in, dec_in = g.input((None, t, d)), g.input((None, rng.randint(2, 4), d))
    kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
    units = rng.randint(1, 4)
    enc_args: dict[str, Any] = {"units": units, "return_state": True}
    if kind == "GRU" and rng.random() < 0.5:
        enc_args["reset_after"] = False
    _, *states = g(L(kind, **enc_args), enc_in)
    (y,) = g(L(kind, units=units, return_sequences=True), dec_in, initial_state=tuple(states))
    if rng.random() < 0.5:
        (y,) = g(L("TimeDistributed", layer=L("Dense", units=2)), y)
    return [y]


def _repeat_decoder(rng: random.Random, g: _Graph) -> list[TensorRef]:
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    x = g.input((None, t, d))
    (h,) = g(_recurrent(rng, seq=False), x)
    (h,) = g(L("RepeatVector", n=t), h)
    (y,) = g(_recurrent(rng, seq=True), h)
    if rng.random() < 0.5:
        (y,) = g(L("Permute", dims=[2, 1]), y)
        (y,) = g(L("Permute", dims=[2, 1]), y)
    size = t * g.shapes[y][-1]  # type: ignore[operator]
    (y,) = g(L("Reshape", target_shape=[size]), y)
    (y,) = g(L("Reshape", target_shape=[t, -1]), y)
    return [y]


def _attention(rng: random.Random, g: _Graph) -> list[TensorRef]:
    tq, tv, d = rng.randint(2, 4), rng.randint(2, 4), rng.randint(2, 4)
    q_in, v_in = g.input((None, tq, d)), g.input((None, tv, d))
    units = rng.randint(1, 4)
    (q,) = g(L("LSTM", units=units, return_sequences=True), q_in)
    (v,) = g(L("GRU", units=units, return_sequences=True), v_in)
    kind = rng.choice(["Attention", "AdditiveAttention", "MultiHeadAttention"])
    if kind == "Attention":
        args: dict[str, Any] = {"use_scale": rng.random() < 0.5, "score_mode": rng.choice(["dot", "concat"])}
        (a,) = g(L("Attention", **args), q, v, *([v] if rng.random() < 0.3 else []), as_list=True)
    elif kind == "AdditiveAttention":
        (a,) = g(L("AdditiveAttention", use_scale=rng.random() < 0.7), q, v, as_list=True)
    else:
        args = {"num_heads": rng.randint(1, 2), "key_dim": rng.randint(1, 3)}
        if rng.random() < 0.4:
            args["value_dim"] = rng.randint(1, 3)
        if rng.random() < 0.3:
            args["output_shape"] = rng.randint(1, 3)
        if rng.random() < 0.2:
            args["use_bias"] = False
        if rng.random() < 0.2:
            args["use_gate"] = True
        (a,) = g(L("MultiHeadAttention", **args), q, v)
    (c,) = g(L("Concatenate"), q, a, as_list=True) if rng.random() < 0.5 else (a,)
    (y,) = g(L(rng.choice(["GlobalAveragePooling1D", "GlobalMaxPooling1D"])), c)
    return [y]


def _shared(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """One layer called on two inputs (two nodes), then merged."""
    t, d = rng.randint(2, 4), rng.randint(2, 4)
    a, b = g.input((None, t, d)), g.input((None, t, d))
    spec = _recurrent(rng, seq=rng.random() < 0.5, kinds=("SimpleRNN", "LSTM", "GRU"))
    (ya,) = g(spec, a)
    (yb,) = g(g.calls[-1].layer.name or "", b)
    (y,) = g(L(rng.choice(ELEMENTWISE)), ya, yb, as_list=True)
    return [y]


def _conv_lstm(rng: random.Random, g: _Graph) -> list[TensorRef]:
    n = rng.choice([1, 1, 2, 3])
    spatial = tuple(rng.randint(3, 5) for _ in range(n))
    x = g.input((None, rng.randint(2, 3), *spatial, rng.randint(1, 3)))
    args: dict[str, Any] = {"filters": rng.randint(1, 3), "kernel_size": rng.randint(1, 2),
                            "padding": rng.choice(["valid", "same"]), "return_sequences": rng.random() < 0.5}
    if rng.random() < 0.3:
        args["strides"] = 2
    elif rng.random() < 0.3:
        args["dilation_rate"] = 2
    if rng.random() < 0.3:
        args["use_bias"] = False
    wrap = n == 1 and rng.random() < 0.3
    if rng.random() < 0.3 and not wrap:
        args["go_backwards"] = True
    spec = L(f"ConvLSTM{n}D", **args)
    if wrap:
        spec = L("Bidirectional", layer=spec, merge_mode=rng.choice(["concat", "sum"]))
    (y,) = g(spec, x)
    (y,) = g(L("Flatten"), y)
    (y,) = g(L("Dense", units=2), y)
    return [y]


def _stateful(rng: random.Random, g: _Graph) -> list[TensorRef]:
    x = g.input((2, rng.randint(2, 4), rng.randint(2, 4)))
    kind = rng.choice(["SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional"])
    if kind == "Bidirectional":
        spec = L("Bidirectional", layer=L("LSTM", units=rng.randint(1, 3), stateful=True))
    elif kind == "RNN":
        spec = L("RNN", cell=_cell(rng), stateful=True, return_sequences=True)
    else:
        spec = L(kind, units=rng.randint(1, 3), stateful=True, return_state=rng.random() < 0.5)
    outs = g(spec, x)
    (y,) = g(L("BatchNormalization", center=rng.random() < 0.7, scale=rng.random() < 0.7), outs[0])
    return [y, *outs[1:]]


def _td_wrappers(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """TimeDistributed around sequence layers on 4-D input."""
    x = g.input((None, rng.randint(2, 3), rng.randint(3, 4), rng.randint(2, 3)))
    inner = rng.choice([
        L("LSTM", units=rng.randint(1, 3)),
        L("Conv1D", filters=2, kernel_size=2),
        L("GlobalMaxPooling1D"),
        L(rng.choice(["AveragePooling1D", "AvgPool1D", "MaxPooling1D"]), pool_size=2, padding=rng.choice(["valid", "same"])),
        L("Flatten"),
        L("Dense", units=2),
    ])
    (y,) = g(L("TimeDistributed", layer=inner), x)
    if len(g.shapes[y]) == 4:
        (y,) = g(L("TimeDistributed", layer=L("Flatten")), y)
    (y,) = g(_recurrent(rng, seq=False), y)
    return [y]


def _images(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """Frames through TimeDistributed 2-D layers into an RNN, or a 3-D volume into Dense."""
    pools = ["MaxPooling", "AveragePooling", "MaxPool", "AvgPool"]
    pool = pools[g.turn // 2 % 4]
    if g.turn % 2 == 0:
        x = g.input((None, rng.randint(2, 3), rng.randint(4, 6), rng.randint(4, 6), rng.randint(1, 3)))
        conv = L(["Conv2D", "Convolution2D"][g.turn // 2 % 2], filters=rng.randint(1, 3),
                 kernel_size=rng.choice([1, 2, (2, 1)]), padding=rng.choice(["valid", "same"]))
        (y,) = g(L("TimeDistributed", layer=conv), x)
        (y,) = g(L("TimeDistributed", layer=L(f"{pool}2D", pool_size=2, padding=rng.choice(["valid", "same"]))), y)
        (y,) = g(L("TimeDistributed", layer=L(["GlobalAveragePooling2D", "GlobalMaxPooling2D"][g.turn // 2 % 2])), y)
        (y,) = g(_recurrent(rng, seq=False), y)
        return [y]
    x = g.input((None, rng.randint(3, 4), rng.randint(3, 4), rng.randint(3, 4), rng.randint(1, 2)))
    (y,) = g(L("Conv3D", filters=rng.randint(1, 3), kernel_size=2, use_bias=rng.random() < 0.7), x)
    (y,) = g(L(f"{pool}3D", pool_size=rng.choice([1, 2]), padding="same"), y)
    (y,) = g(L(["GlobalAveragePooling3D", "GlobalMaxPooling3D"][g.turn // 2 % 2], keepdims=rng.random() < 0.3), y)
    (y,) = g(L("Flatten"), y)
    (y,) = g(L("Dense", units=2), y)
    return [y]


def _elementwise(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """The time axis resized, an activation or noise layer, a normalisation, then an RNN."""
    x = g.input((None, rng.randint(3, 5), 4))
    resize = [L("ZeroPadding1D", padding=rng.randint(0, 2)), L("Cropping1D", cropping=(1, 0)),
              L("UpSampling1D", size=2)][g.turn % 3]
    (y,) = g(resize, x)
    act = [L("ReLU", max_value=rng.choice([None, 6.0])), L("LeakyReLU", negative_slope=0.2),
           L("PReLU", shared_axes=[1]), L("ELU"), L("Softmax"), L("GaussianNoise", stddev=0.1),
           L("GaussianDropout", rate=0.2), L("Identity"), L("Activation", activation="tanh")][g.turn % 9]
    (y,) = g(act, y)
    norm = [L("GroupNormalization", groups=rng.choice([1, 2, 4])), L("UnitNormalization"),
            L("Normalization", axis=rng.choice([-1, None]))][g.turn % 3]
    (y,) = g(norm, y)
    (y,) = g(_recurrent(rng, seq=False), y)
    return [y]


def _text(rng: random.Random, g: _Graph) -> list[TensorRef]:
    """Strings or integer ids through a preprocessing layer, then Embedding and an RNN."""
    kind = g.turn % 5
    if kind in (0, 1):
        # One string per sample; (N,) for the counting modes, whose (N, 1) symbolic shape
        # Keras gets wrong (docs/layers.md).
        x = g.input((None, 1) if kind == 0 else (None,), "string")
        if kind == 0:
            (y,) = g(L("TextVectorization", vocabulary=["the", "model", "shape"], output_sequence_length=rng.randint(2, 4)), x)
            (y,) = g(L("Embedding", input_dim=5, output_dim=2), y)
            (y,) = g(_recurrent(rng, seq=False), y)
        else:
            (y,) = g(L("TextVectorization", vocabulary=["the", "steps"], output_mode=rng.choice(["multi_hot", "count"])), x)
            (y,) = g(L("Dense", units=2), y)
        return [y]
    if kind == 2:
        x = g.input((None, rng.randint(2, 4)), "string")
        (y,) = g(L("StringLookup", vocabulary=["shape", "the model"]), x)
    elif kind == 3:
        x = g.input((None, rng.randint(2, 4)), "int64")
        (y,) = g(L("IntegerLookup", vocabulary=[1, 2, 3]), x)
    else:
        x = g.input((None, rng.randint(2, 4)), "int64")
        (y,) = g(L("CategoryEncoding", num_tokens=10, output_mode=rng.choice(["multi_hot", "count"])), x)
        (y,) = g(L("Dense", units=2), y)
        return [y]
    (y,) = g(L("Embedding", input_dim=5, output_dim=2), y)
    (y,) = g(_recurrent(rng, seq=False), y)
    return [y]


TEMPLATES: list[Callable[[random.Random, _Graph], list[TensorRef]]] = [
    _stack, _stack, _embedding, _branches, _bidir_outputs, _bidir_outputs, _seq2seq, _repeat_decoder,
    _attention, _shared, _conv_lstm, _stateful, _td_wrappers, _images, _elementwise, _text,
]


def random_model_specs(count: int, seed: int) -> list[ModelSpec]:
    """``count`` valid random models; the same ``seed`` always gives the same models."""
    rng = random.Random(seed)
    specs = []
    uses: dict[Callable[[random.Random, _Graph], list[TensorRef]], int] = {}
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        graph = _Graph(f"random_{seed}_{index}")
        graph.turn = uses.get(template, 0)
        uses[template] = graph.turn + 1
        outputs = template(rng, graph)
        specs.append(graph.model(outputs))
    return specs
