"""Memory figures (issue 17): verified against real Keras, not asserted.

A real Keras forward pass (``check``'s probe: the same concrete inputs, the same
builder) outputs every tensor of the graph; the bytes of each, per sample, must equal
the bytes rnnshape gives that tensor. The inference peak and the training sum are then
recomputed from the real tensors' bytes with the same rules and graph order, and must
equal rnnshape's figures. Optimizer state is compared with the variables a real Keras
optimizer builds; parameter bytes with the real weights.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import EXAMPLES, KERAS_FILES
from rnnshape.check.keras_build import build_graph
from rnnshape.check.probe import concrete_spec, plan_probe, probe_arrays
from rnnshape.formats import from_expressions, load_file
from rnnshape.infer import infer_model
from rnnshape.memory import OPTIMIZER_SCALAR_BYTES, activation_peak, estimate, tensor_sizes, training_activations
from rnnshape.report import ModelReport
from rnnshape.spec import ModelSpec, TensorRef

# A Functional model with branches, a merge, a shared layer called twice and a nested
# Sequential: rnnshape reads it from source, without running it.
BRANCHES_PY = textwrap.dedent(
    """
    import keras
    from keras import layers

    head = keras.Sequential([keras.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(3)], name="head")
    inputs = keras.Input((6, 5))
    x = layers.LSTM(8, return_sequences=True)(inputs)
    a = layers.Dense(5)(x)
    b = layers.GRU(5, return_sequences=True)(x)
    merged = layers.Add()([a, b])
    shared = layers.Dense(5)
    y = shared(shared(merged))
    pooled = layers.GlobalAveragePooling1D()(y)
    model = keras.Model(inputs, head(pooled), name="branches")
    """
)

EXPRESSION_MODELS = [
    (["SimpleRNN(5)", "Dense(2)"], "10,3"),
    (["LSTM(4, return_sequences=True)", "GRU(3)", "Dense(2)"], "None,3"),  # T from the probe
    (["Bidirectional(LSTM(4, return_sequences=True))", "TimeDistributed(Dense(3))"], "7,3"),
    (["Embedding(20, 4)", "Conv1D(6, 3)", "Dense(3, dtype='mixed_float16')"], "12"),
    (["RNN([LSTMCell(4), GRUCell(3)])", "Dense(2)"], "5,3"),
    (["ConvLSTM1D(2, 3, return_sequences=True)", "Flatten()", "Dense(2)"], "4,6,2"),
]
KERAS_FILE_MODELS = ["k3_extra_bidir.json", "k3_extra_td.json", "k3_extra_rnn_stacked.json",
                     "k3_extra_rnn_cell.json", "func_rnn.to_json.json", "k3_extra_seq2seq.json"]


def _models(tmp_path: Path) -> list[tuple[str, ModelSpec]]:
    found = [(" ".join(exprs), from_expressions(exprs, input_shape=shape)) for exprs, shape in EXPRESSION_MODELS]
    found += [(name, load_file(str(KERAS_FILES / name))[0]) for name in KERAS_FILE_MODELS]
    source = tmp_path / "branches.py"
    source.write_text(BRANCHES_PY, encoding="utf-8")
    found.append(("branches.py", load_file(str(source), model="model")[0]))
    found.append(("rnn_shapes.yaml", load_file(str(EXAMPLES / "rnn_shapes.yaml"))[0]))
    return found


def _real_tensor_bytes(keras: Any, model: ModelSpec) -> tuple[ModelReport, dict[TensorRef, int]]:
    """The probe's concrete model, inferred by rnnshape, and every tensor a real Keras
    forward pass makes on it: its bytes divided by the batch."""
    probe = plan_probe(model)
    concrete = concrete_spec(model, probe)
    report = infer_model(concrete)
    keras_model, tensors = build_graph(keras, concrete)
    input_refs = [TensorRef(inp.name) for inp in concrete.inputs]
    made = [ref for ref in report.tensors if ref not in input_refs]
    probe_model = keras.Model(keras_model.inputs, [tensors[ref] for ref in made])
    arrays = probe_arrays(probe, seed=0)
    results = probe_model(arrays if len(arrays) > 1 else arrays[0], training=False)
    results = list(results) if isinstance(results, (list, tuple)) else [results]
    batch = probe[0].shape[0]
    real = {ref: np.asarray(value).nbytes // batch for ref, value in zip(made, results)}
    real.update({ref: array.nbytes // batch for ref, array in zip(input_refs, arrays)})
    return report, real


def test_tensor_bytes_peak_and_training_sum_match_a_real_forward_pass(keras, tmp_path):
    checked = 0
    for name, model in _models(tmp_path):
        report, real = _real_tensor_bytes(keras, model)
        ours = tensor_sizes(report)
        assert ours == real, name  # every tensor, one by one (mixed_float16: 2 bytes a value)
        memory = estimate(report)
        assert memory.activation_bytes_per_sample is not None, name
        # The rules applied to the real tensors' bytes give rnnshape's figures.
        assert activation_peak(report, real) == memory.activation_bytes_per_sample, name
        assert training_activations(report, real) == memory.training_bytes_per_sample, name
        checked += 1
    assert checked == len(EXPRESSION_MODELS) + len(KERAS_FILE_MODELS) + 2


@pytest.mark.parametrize(
    ("name", "optimizer", "slots"),
    [("Adam", "adam", {}), ("SGD", "sgd", {}), ("SGD", "sgd-momentum", {"momentum": 0.9}), ("RMSprop", "rmsprop", {})],
)
def test_optimizer_state_is_what_a_real_keras_optimizer_builds(keras, name, optimizer, slots):
    model = from_expressions(["Bidirectional(GRU(5))", "Dense(2)"], input_shape="7,3")
    report = infer_model(model)
    real_model, _ = build_graph(keras, model)
    real_optimizer = getattr(keras.optimizers, name)(**slots)
    real_optimizer.build(real_model.trainable_variables)
    real = sum(np.asarray(v.numpy()).nbytes for v in real_optimizer.variables)
    assert estimate(report, optimizer=optimizer).optimizer_state_bytes == real
    assert estimate(report, optimizer="none").optimizer_state_bytes == 0


def test_gradients_are_the_trainable_weights_bytes(keras):
    model = from_expressions(["LSTM(4)", "BatchNormalization()", "Dense(2)"], input_shape="5,3")
    real_model, _ = build_graph(keras, model)
    memory = estimate(infer_model(model))
    assert memory.gradient_bytes == sum(np.asarray(w.numpy()).nbytes for w in real_model.trainable_weights)
    assert memory.param_bytes == sum(np.asarray(w.numpy()).nbytes for w in real_model.weights)


def _through_time(exprs: list[str], shape: str) -> int:
    """Training bytes beyond the tensors the forward pass returns: the steps' states and gates."""
    report = infer_model(from_expressions(exprs, input_shape=shape))
    training = training_activations(report)
    assert training is not None
    return training - sum(v for v in tensor_sizes(report).values() if v is not None)


@pytest.mark.parametrize(
    ("expr", "per_step"),
    [
        ("SimpleRNN(5)", 5),  # M: its one activation is its state
        ("LSTM(5)", 2 * 5 + 4 * 5),  # h, c and 4 gates
        ("GRU(5)", 5 + 3 * 5),  # h and 3 gates
        ("GRU(5, reset_after=False)", 5 + 3 * 5),
        ("Bidirectional(LSTM(5))", 2 * (2 * 5 + 4 * 5)),
        ("RNN([LSTMCell(5), SimpleRNNCell(2)])", 30 + 2),
        ("ConvLSTM1D(2, 3)", (6 - 2) * 2 * (2 + 4)),  # one state is 4 positions · 2 filters
    ],
)
def test_training_keeps_every_steps_states_and_gates(expr, per_step):
    shape = "10,6,3" if "ConvLSTM" in expr else "10,3"
    assert _through_time([expr], shape) == 10 * per_step * 4
    # Doubling T doubles it.
    doubled = "20" + shape[2:]
    assert _through_time([expr], doubled) == 2 * _through_time([expr], shape)


def test_a_shared_recurrent_layer_keeps_each_calls_steps(tmp_path):
    """One LSTM(4) called on 10 and on 20 steps keeps (10 + 20)·6M values through time."""
    source = tmp_path / "shared.py"
    source.write_text(textwrap.dedent(
        """
        import keras
        from keras import layers

        a = keras.Input((10, 3))
        b = keras.Input((20, 3))
        rnn = layers.LSTM(4)
        model = keras.Model([a, b], layers.Concatenate()([rnn(a), rnn(b)]))
        """
    ), encoding="utf-8")
    report = infer_model(load_file(str(source))[0])
    tensors = 4 * (10 * 3 + 20 * 3 + 4 + 4 + 8)
    assert training_activations(report) == tensors + 4 * (10 + 20) * 6 * 4
    # While the first call runs, both inputs (fed at the start), its output and one step are alive.
    assert activation_peak(report) == 4 * (30 + 60 + 4 + 6 * 4)


def test_time_distributed_recurrence_runs_every_slice():
    """TimeDistributed(LSTM(3)) on (4, 5, 2): 4 slices of 5 steps, each step 6·3 values."""
    report = infer_model(from_expressions(["TimeDistributed(LSTM(3))"], input_shape="4,5,2"))
    assert _through_time(["TimeDistributed(LSTM(3))"], "4,5,2") == 4 * 5 * 18 * 4
    # Inference: the input 40, the output 4·3 and one step of all 4 slices at once.
    assert activation_peak(report) == 4 * (40 + 12 + 4 * 18)


def test_layers_without_recurrence_keep_only_their_outputs():
    assert _through_time(["Dense(4)", "Conv1D(3, 2)", "TimeDistributed(Dense(2))"], "6,3") == 0


def test_worked_example_and_batch_scaling(cli):
    """examples/rnn_shapes.yaml by hand: SimpleRNN(5) on (10, 3), then Dense(2); float32."""
    data = json.loads(cli("explain", str(EXAMPLES / "rnn_shapes.yaml"), "-f", "json").stdout)["memory"]
    # Inference peak while the RNN runs: its input 10·3, its output 5, one step's state 5.
    assert data["activation_bytes_per_sample"] == 4 * (30 + 5 + 5) == 160
    # Training: input 30, outputs 5 + 2, and T·M = 10·5 states.
    assert data["training_bytes_per_sample"] == 4 * (30 + 5 + 2 + 50) == 348
    assert data["gradient_bytes"] == 228 and data["optimizer"] == "adam"
    assert data["optimizer_state_bytes"] == 2 * 228 + OPTIMIZER_SCALAR_BYTES
    assert data["inference_bytes"] == 228 + 160 and data["batch_size"] == 1
    assert data["training_bytes"] == 228 + 228 + 468 + 348
    batch = json.loads(cli("explain", str(EXAMPLES / "rnn_shapes.yaml"), "-f", "json", "--batch-size", "32",
                           "--optimizer", "sgd").stdout)["memory"]
    assert batch["inference_bytes"] == 228 + 32 * 160
    assert batch["training_bytes"] == 228 + 228 + OPTIMIZER_SCALAR_BYTES + 32 * 348
    for n in (1, 7, 64):  # linear in the batch
        memory = estimate(infer_model(from_expressions(["LSTM(4)"], input_shape="9,2")), batch_size=n)
        assert memory.inference_bytes == memory.param_bytes + n * (memory.activation_bytes_per_sample or 0)


def test_cost_footer(cli):
    out = cli("explain", str(EXAMPLES / "rnn_shapes.yaml"), "--cost", "--batch-size", "8").stdout
    assert out.endswith(
        "Estimated memory: params 228.00 B, inference 160.00 B/sample, training 348.00 B/sample + 924.00 B "
        "(weights, gradients, Adam state)\n"
        "Batch of 8: inference 1.47 KB, training 3.62 KB (weights included)\n"
    )
    assert "Estimated memory" not in cli("explain", str(EXAMPLES / "rnn_shapes.yaml")).stdout


def test_unknown_timesteps_give_nulls_and_say_why(cli):
    result = cli("explain", "LSTM(4)", "Dense(2)", "--input-shape", "None,3", "-f", "json")
    memory = json.loads(result.stdout)["memory"]
    assert memory["activation_bytes_per_sample"] is None and memory["inference_bytes"] is None
    assert memory["training_bytes_per_sample"] is None and memory["training_bytes"] is None
    assert memory["unknown"] == ["input_layer", "lstm"]
    assert memory["optimizer_state_bytes"] == 2 * 552 + OPTIMIZER_SCALAR_BYTES  # known without T
    text = cli("explain", "LSTM(4)", "--input-shape", "None,3", "--cost").stdout
    assert text.endswith("inference and training unknown (the tensors of input_layer and lstm have an unknown dimension)\n")


def test_string_inputs_have_no_fixed_size(tmp_path, cli):
    config = tmp_path / "text.yaml"
    config.write_text(
        "layers:\n  - InputLayer: {shape: [1], dtype: string}\n"
        "  - TextVectorization: {max_tokens: 50, output_sequence_length: 6}\n"
        "  - Embedding: {input_dim: 50, output_dim: 4}\n"
    )
    memory = json.loads(cli("explain", str(config), "-f", "json").stdout)["memory"]
    assert memory["activation_bytes_per_sample"] is None and memory["unknown"] == ["input_layer"]
    text = cli("explain", str(config), "--cost").stdout
    assert text.endswith("inference and training unknown (input_layer holds strings, of no fixed size)\n")


def test_budget_bounds_one_samples_inference_with_units(tmp_path, cli):
    """LSTM(16) on (100, 8): weights 1,600·4 = 6,400 B; peak 4(800 + 16 + 6·16) = 3,648 B; 10,048 B in all."""
    config = tmp_path / "budget.yaml"
    for budget, code in (("10048", 0), ("10047", 1), ("9.9 KB", 0), ("9.8kb", 1), ("1 MB", 0), ("10 B", 1)):
        config.write_text(f"input_shape: [100, 8]\nlayers:\n  - LSTM: 16\nexpect:\n  max_memory: {budget}\n")
        result = cli("explain", str(config))
        assert result.code == code, budget
    assert "one sample's inference needs 9.81 KB (10,048 bytes: weights 6.25 KB, activations 3.56 KB)" in result.output
    for bad in ("2 TB", "-5", "lots", "1.5"):
        config.write_text(f"input_shape: [100, 8]\nlayers:\n  - LSTM: 16\nexpect:\n  max_memory: {bad}\n")
        result = cli("explain", str(config))
        assert result.code == 1, bad  # a bad file, like any other bad value in it
        assert f"{config}:5:15: expect.max_memory must be a number of bytes or a size like" in result.output, bad


def test_mixed_policy_activations_are_16_bit():
    memory = estimate(infer_model(from_expressions(["Dense(3, dtype='mixed_float16')"], input_shape="5")))
    assert memory.activation_bytes_per_sample == 5 * 4 + 3 * 2
