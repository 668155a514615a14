"""Cost figures (issue 17): MACs verified by counting, not asserted.

The generated NumPy forward pass of every layer kind the generator writes is run
with its arrays wrapped, so that every matrix product it actually computes
(``@``/``np.matmul``, ``np.dot``, ``np.einsum``) adds its m·k·n to a counter; the
count for one sample must equal the ``macs`` rnnshape reports.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pytest

from rnnshape.formats import from_expressions
from rnnshape.infer import infer_model
from rnnshape.layers import REGISTRY
from rnnshape.numpy_gen import generate, load_module

from test_numpy_gen import CASES


class _Counter:
    macs = 0
    # Element-wise FLOPs (docs/cost.md): one per number an arithmetic ufunc yields,
    # n-1 per result of a reduction of n values; nothing while an activation counts as a unit.
    elementwise = 0
    suspended = 0


def _matmul_macs(a: np.ndarray, b: np.ndarray) -> int:
    """m·k·n of ``a @ b`` with NumPy's rules for 1-D operands and broadcast stacks."""
    a_shape = a.shape if a.ndim > 1 else (1, *a.shape)
    b_shape = b.shape if b.ndim > 1 else (*b.shape, 1)
    stack = np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    return math.prod(stack) * a_shape[-2] * a_shape[-1] * b_shape[-1]


def _einsum_macs(subscripts: str, *operands: np.ndarray) -> int:
    """A two-operand einsum's products: the product of the sizes of every index it names."""
    inputs = subscripts.split("->")[0].split(",")
    sizes: dict[str, int] = {}
    for letters, op in zip(inputs, operands):
        sizes.update(zip(letters, op.shape))
    return math.prod(sizes.values()) if len(inputs) == 2 else 0


class Counted(np.ndarray):
    """An array whose matrix products count their multiply-accumulates, and whose
    element-wise arithmetic counts its FLOPs."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = [np.asarray(x) if isinstance(x, Counted) else x for x in inputs]
        if ufunc is np.matmul and method == "__call__":
            _Counter.macs += _matmul_macs(np.asarray(plain[0]), np.asarray(plain[1]))
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(o) if isinstance(o, Counted) else o for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        masks = [isinstance(x, Mask) for x in inputs if isinstance(x, np.ndarray)]
        boolean = np.asarray(result).dtype == bool
        if ufunc is not np.matmul and not boolean and not any(masks) and not _Counter.suspended:
            _Counter.elementwise += _ufunc_flops(ufunc, method, plain, result)
        if boolean or (masks and all(masks) and method != "reduce"):
            return _wrap(result, Mask)  # a mask, or arithmetic on masks only
        # A selection by a mask (x * w) and a count of its real steps (w.sum()) are data.
        return _wrap(result)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        plain_args = _unwrap(args)
        if func is np.dot:
            _Counter.macs += _matmul_macs(np.asarray(plain_args[0]), np.asarray(plain_args[1]))
        elif func is np.einsum:
            _Counter.macs += _einsum_macs(plain_args[0], *[np.asarray(a) for a in plain_args[1:]])
        elif func in (np.tensordot, np.inner, np.outer, np.vdot, np.kron):
            raise AssertionError(f"uncounted product {func.__name__}: teach the counter")
        elif func is np.var:
            # The variance given the mean (which the template computed already): x - mean,
            # its square, their mean: 3 per element. NumPy's var recomputes the mean inside.
            _Counter.elementwise += 0 if _Counter.suspended else 3 * np.size(plain_args[0])
            with suspended():
                return _wrap(func(*plain_args, **_unwrap(kwargs)))
        else:
            # Any other function runs on the counted arrays, so the ufuncs inside it count.
            result = super().__array_function__(func, types, args, kwargs)
            return _wrap(result, Mask if np.asarray(result).dtype == bool else Counted)
        return _wrap(func(*plain_args, **_unwrap(kwargs)))

    def var(self, *args: Any, **kwargs: Any) -> Any:
        return np.var(self, *args, **kwargs)


class Mask(Counted):
    """A boolean array (a comparison's result) or one made from it: masking, not arithmetic."""


def _ufunc_flops(ufunc: Any, method: str, operands: list[Any], result: Any) -> int:
    """One per number an element-wise ufunc yields; a reduction of n values n-1 per result."""
    if method == "__call__":
        return int(np.size(result))
    if method == "reduce":
        return int(np.size(operands[0]) - np.size(result))
    raise AssertionError(f"uncounted {ufunc.__name__}.{method}: teach the counter")


class suspended:
    """Inside an activation that counts as a unit: its own arithmetic is not counted."""

    def __enter__(self) -> None:
        _Counter.suspended += 1

    def __exit__(self, *exc: Any) -> None:
        _Counter.suspended -= 1


def _unwrap(value: Any) -> Any:
    if isinstance(value, Counted):
        return np.asarray(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def _wrap(value: Any, kind: type = Counted) -> Any:
    if isinstance(value, np.ndarray) and type(value) is not kind:
        return np.asarray(value).view(kind)
    if isinstance(value, tuple):
        return tuple(_wrap(v, kind) for v in value)
    if isinstance(value, list):
        return [_wrap(v, kind) for v in value]
    return value


def _sample_inputs(model: Any, report: Any) -> list[np.ndarray]:
    """One sample per model input (or the fixed batch of a stateful model); token ids for an Embedding."""
    from rnnshape.layers.core import input_batch_shape

    rng = np.random.default_rng(0)
    xs = []
    for inp in model.inputs:
        shape = input_batch_shape(inp)
        dims = (shape[0] or 1, *(3 if d is None else d for d in shape[1:]))
        vocab = [c.layer.args.get("input_dim") for c in model.calls
                 if c.layer.class_name == "Embedding" and any(ref.layer == inp.name for ref in c.inputs)]
        if vocab:
            xs.append(rng.integers(1, vocab[0], size=dims).astype(np.float32))
        else:
            xs.append(rng.standard_normal(dims).astype(np.float32))
    return xs


def counted_model_macs(model: Any) -> tuple[int, Any]:
    """Run the generated forward pass; the MACs its products did per sample, and the report."""
    report = infer_model(model)
    module = load_module(generate(model, report=report, seed=0))
    module.WEIGHTS = {name: [np.asarray(a).view(Counted) for a in arrays] for name, arrays in module.WEIGHTS.items()}
    xs = _sample_inputs(model, report)
    _Counter.macs = 0
    module.forward(xs[0].view(Counted) if len(xs) == 1 else [x.view(Counted) for x in xs])
    batch = xs[0].shape[0]
    assert _Counter.macs % batch == 0
    return _Counter.macs // batch, report


def counted_macs(exprs: list[str], shape: str) -> tuple[int, Any]:
    return counted_model_macs(from_expressions(exprs, input_shape=shape))


@pytest.mark.parametrize("exprs,shape", [pytest.param(e, s, id=i) for i, e, s in CASES])
def test_generated_forward_does_the_reported_macs(exprs, shape):
    done, report = counted_macs(exprs, shape)
    assert report.total_macs == done, [(r.name, r.macs, r.macs_formula) for r in report.layers]


def test_counter_counts_products():
    """The counter itself: one (1, 3) @ (3, 4) product is 12 MACs, an einsum its index sizes."""
    _Counter.macs = 0
    a = np.ones((1, 3), dtype=np.float32).view(Counted)
    _ = a @ np.ones((3, 4)) + 1.0
    _ = np.dot(a, np.ones((3, 2)))
    _ = np.einsum("nk,kf->nf", a, np.ones((3, 5)))
    assert _Counter.macs == 12 + 6 + 15


def test_every_registered_layer_has_a_mac_rule_or_a_stated_zero():
    for name, entry in REGISTRY.items():
        assert entry.macs is not None, f"{name} has no MAC rule (LayerDef.macs): give it one, or say why it is zero"
        if isinstance(entry.macs, str):
            assert len(entry.macs) > 10, f"{name}: a stated zero says why"


@pytest.mark.parametrize(
    "expr,formula",
    [
        ("SimpleRNN(5)", "T·M(D+M) = 10·5(3+5) = 400"),
        ("LSTM(5)", "T·4M(D+M) = 10·4·5(3+5) = 1,600"),
        ("GRU(5)", "T·3M(D+M) = 10·3·5(3+5) = 1,200"),
        ("GRU(5, reset_after=False)", "T·3M(D+M) = 10·3·5(3+5) = 1,200"),
    ],
)
def test_recurrent_formulas_from_the_issue(expr, formula):
    report = infer_model(from_expressions([expr], input_shape="10,3"))
    assert report.layers[-1].macs_formula == formula


@pytest.mark.parametrize("expr", ["SimpleRNN(4)", "LSTM(4)", "GRU(4)", "Bidirectional(LSTM(3))", "RNN([LSTMCell(2), GRUCell(3)])",
                                  "TimeDistributed(Dense(3))", "Conv1D(4, 3, padding='same')"])
def test_doubling_t_doubles_the_macs(expr):
    one = infer_model(from_expressions([expr], input_shape="6,3")).layers[-1].macs
    two = infer_model(from_expressions([expr], input_shape="12,3")).layers[-1].macs
    assert one and two == 2 * one


def test_unknown_t_is_null_with_a_symbolic_formula():
    report = infer_model(from_expressions(["LSTM(5, return_sequences=True)", "Dense(2)"], input_shape="None,3"))
    lstm, dense = report.layers[-2:]
    assert lstm.macs is None and lstm.macs_formula == "T·4M(D+M) (unknown: T)"
    assert dense.macs is None and "unknown: T" in dense.macs_formula
    assert report.total_macs is None
    assert [r.name for r in report.unknown_macs] == ["lstm", "dense"]


def test_layers_sum_to_the_total():
    report = infer_model(from_expressions(["Embedding(50, 8)", "Bidirectional(GRU(4, return_sequences=True))",
                                           "GlobalMaxPooling1D()", "Dense(3)"], input_shape="9"))
    assert report.total_macs == sum(r.macs for r in report.layers)
    assert report.total_macs == 2 * 9 * 3 * 4 * (8 + 4) + 8 * 3


def test_attention_layers_count_their_products():
    """Hand-counted: Dot products of scores and context; MHA's projections too."""
    from rnnshape.spec import Call, LayerSpec, ModelSpec, TensorRef

    def graph(class_name, args, q_dim=8, as_list=False):
        q = LayerSpec("InputLayer", {"batch_shape": [None, 5, q_dim]}, "q")
        v = LayerSpec("InputLayer", {"batch_shape": [None, 7, 6]}, "v")
        call = Call(LayerSpec(class_name, args, "att"), (TensorRef("q"), TensorRef("v")), as_list=as_list)
        return infer_model(ModelSpec("m", (q, v), (call,), (TensorRef("att"),), sequential=False)).layers[-1]

    mha = graph("MultiHeadAttention", {"num_heads": 2, "key_dim": 4})
    projections = 5 * 8 * 2 * 4 + 7 * 6 * 2 * 4 + 7 * 6 * 2 * 4 + 5 * 2 * 4 * 8
    assert mha.macs == projections + 2 * 5 * 7 * (4 + 4)
    # Attention: scores q·k (5·7·6) and weights·value (5·7·6); AdditiveAttention scores element-wise.
    assert graph("Attention", {}, q_dim=6, as_list=True).macs == 5 * 7 * (6 + 6)
    assert graph("AdditiveAttention", {}, q_dim=6, as_list=True).macs == 5 * 7 * 6


def test_cost_text_and_json(cli):
    text = cli("explain", "LSTM(5)", "Dense(2)", "--input-shape", "10,3", "--cost")
    assert "T·4M(D+M) = 10·4·5(3+5) = 1,600" in text.stdout
    assert "Total MACs: 1,610" in text.stdout
    data = json.loads(cli("explain", "LSTM(5)", "Dense(2)", "--input-shape", "None,3", "-f", "json").stdout)
    assert data["total_macs"] is None and data["unknown_macs"] == ["lstm"]
    assert [layer["macs"] for layer in data["layers"]] == [None, 10]
    assert re.search(r"unknown: T", data["layers"][0]["macs_formula"])


def _tf_float_ops(keras: Any, layer: Any, shape: tuple[int, ...]) -> dict[str, int]:
    """TensorFlow's own profiler: float ops per op type of one sample's frozen forward graph."""
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    model = keras.Sequential([keras.Input(shape), layer])
    concrete = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec((1, *shape), tf.float32))
    graph = convert_variables_to_constants_v2(concrete).graph
    builder = tf.compat.v1.profiler.ProfileOptionBuilder
    options = builder(builder.float_operation()).with_empty_output().build()
    profile = tf.compat.v1.profiler.profile(graph=graph, run_meta=tf.compat.v1.RunMetadata(), cmd="op", options=options)
    return {child.name: child.total_float_ops for child in profile.children}


# TensorFlow counts a product as 2·m·k·n float ops, and a layer's bias add inside its
# MatMul/Conv2D entry (one op per output element). Its profiler counts a while-loop body
# once, so it cannot check recurrent layers; it does not count grouped convolutions, and a dilated
# one runs (and counts) on space_to_batch padding, more than the maths needs:
# the instrumented NumPy test covers those.
@pytest.mark.parametrize(
    "expr,shape",
    [("Dense(4, use_bias=False)", "5"), ("Dense(4)", "5"), ("Dense(3)", "7,5"), ("Conv1D(4, 3, use_bias=False)", "11,2"),
     ("Conv1D(4, 3)", "11,2"), ("Conv1D(4, 3, strides=2, padding='same')", "11,2"), ("Conv1D(6, 5, strides=3, padding='causal')", "20,4"),
     ("Conv2D(4, (3, 2), strides=(2, 1))", "9,6,3"), ("Conv3D(2, 2, use_bias=False)", "4,5,6,3")],
)
def test_tensorflow_profiler_agrees_for_dense_and_convolutions(keras, expr, shape):
    report = infer_model(from_expressions([expr], input_shape=shape))
    layer = report.layers[-1]
    keras_layer = getattr(keras.layers, layer.class_name)(**layer.spec.args)
    ops = _tf_float_ops(keras, keras_layer, tuple(int(d) for d in shape.split(",")))
    product = ops.get("MatMul", 0) + ops.get("Conv2D", 0) + ops.get("Conv3D", 0)
    bias_adds = math.prod(layer.outputs[0][1:]) if layer.config["use_bias"] else 0
    assert product == 2 * layer.macs + bias_adds


def test_random_models_do_the_reported_macs():
    """The random-model grid (tests/randmodels.py): graphs, shared layers, states, masks, stateful batches."""
    import sys
    from pathlib import Path

    from rnnshape.errors import SpecError

    sys.path.insert(0, str(Path(__file__).parent))
    from randmodels import random_model_specs

    checked, wrong = 0, []
    for model in random_model_specs(208, 20240917):
        try:
            done, report = counted_model_macs(model)
        except SpecError:  # a layer the NumPy generator does not write yet
            continue
        if report.total_macs is None:  # T unknown: the run used T = 3, the report keeps T
            assert report.unknown_macs
            continue
        checked += 1
        assert report.total_macs == sum(r.macs for r in report.layers)
        if done != report.total_macs:
            wrong.append(f"{model.name}: counted {done}, reported {report.total_macs}")
    assert wrong == []
    assert checked >= 100


def test_parameter_bytes_are_the_real_weights_bytes(keras, cli):
    """float32 parameter bytes equal the bytes of the weights real Keras builds; the others scale."""
    exprs = ["Embedding(30, 4)", "Bidirectional(GRU(5, return_sequences=True))", "TimeDistributed(Dense(3))"]
    data = json.loads(cli("explain", *exprs, "--input-shape", "7", "-f", "json").stdout)
    model = keras.Sequential([keras.Input((7,)), keras.layers.Embedding(30, 4),
                              keras.layers.Bidirectional(keras.layers.GRU(5, return_sequences=True)),
                              keras.layers.TimeDistributed(keras.layers.Dense(3))])
    real = sum(np.asarray(w).nbytes for w in model.get_weights())
    by_dtype = data["memory"]["param_bytes"]
    assert by_dtype["float32"] == real == 4 * data["total_params"]
    assert (by_dtype["float16"], by_dtype["bfloat16"], by_dtype["int8"]) == (real // 2, real // 2, real // 4)
