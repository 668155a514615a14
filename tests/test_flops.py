"""FLOPs (issue 17): 2·MACs plus the element-wise work, verified by counting.

The generated NumPy forward pass of every model in the NumPy differential table runs
with its arrays wrapped (tests/test_cost.py's ``Counted``): every matrix product adds
its m·k·n MACs, and every element-wise ufunc adds one FLOP per number it yields (a
reduction of n values n-1 per result). The conventions of docs/cost.md decide what
counts: an activation function is one FLOP per output element whatever its inside
(softmax 5), so the generated activation helpers and activation layers count as units;
what yields booleans (comparisons, masks) and what a mask selects or counts is not
arithmetic. The count for one sample must equal the ``flops`` rnnshape reports.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np
import pytest

from rnnshape.formats import from_expressions
from rnnshape.infer import infer_model
from rnnshape.layers import REGISTRY
from rnnshape.layers.flops import activation_cost
from rnnshape.numpy_gen import generate, load_module
from rnnshape.numpy_gen.activations import HELPERS

from test_cost import Counted, _Counter, _sample_inputs, suspended
from test_numpy_gen import CASES

# Activation layers whose templates compute the activation inline: each counts as a unit.
ACTIVATION_LAYERS = {name: ("softmax" if name == "Softmax" else name.lower())
                     for name, entry in REGISTRY.items() if entry.category == "activation"}


def _as_unit(fn: Callable[..., Any], per_element: int) -> Callable[..., Any]:
    """``fn`` counted as one activation: ``per_element`` FLOPs per output element, nothing inside."""

    def unit(*args: Any, **kwargs: Any) -> Any:
        with suspended():
            out = fn(*args, **kwargs)
        if not _Counter.suspended:
            _Counter.elementwise += per_element * int(np.size(out))
        return out

    return unit


class _NumpyKeepingCounted:
    """The generated module's ``np``, except that ``np.asarray(x)`` keeps a counted input counted."""

    def __getattr__(self, name: str) -> Any:
        return getattr(np, name)

    @staticmethod
    def asarray(value: Any, dtype: Any = None) -> Any:
        return np.asanyarray(value, dtype=dtype)


def counted_model_flops(model: Any) -> tuple[int, int, Any]:
    """Run the generated forward pass; the MACs and element-wise FLOPs it did per sample, and the report."""
    report = infer_model(model)
    module = load_module(generate(model, report=report, seed=0))
    module.np = _NumpyKeepingCounted()
    module.WEIGHTS = {name: [np.asarray(a).view(Counted) for a in arrays] for name, arrays in module.WEIGHTS.items()}
    for helper in HELPERS:
        if hasattr(module, helper):
            setattr(module, helper, _as_unit(getattr(module, helper), activation_cost(helper)))
    layer_fns = {getattr(fn, "__doc__", "") or "": attr for attr, fn in vars(module).items() if callable(fn)}
    for layer in report.layers:
        if layer.class_name in ACTIVATION_LAYERS:
            (attr,) = [a for doc, a in layer_fns.items() if doc.startswith(f"{layer.name}: ")]
            setattr(module, attr, _as_unit(getattr(module, attr), activation_cost(ACTIVATION_LAYERS[layer.class_name])))
    xs = _sample_inputs(model, report)
    _Counter.macs = _Counter.elementwise = 0
    module.forward(xs[0].view(Counted) if len(xs) == 1 else [x.view(Counted) for x in xs])
    batch = xs[0].shape[0]
    assert _Counter.macs % batch == 0 and _Counter.elementwise % batch == 0
    return _Counter.macs // batch, _Counter.elementwise // batch, report


def counted_flops(exprs: list[str], shape: str) -> tuple[int, int, Any]:
    return counted_model_flops(from_expressions(exprs, input_shape=shape))


@pytest.mark.parametrize("exprs,shape", [pytest.param(e, s, id=i) for i, e, s in CASES])
def test_generated_forward_does_the_reported_flops(exprs, shape):
    macs, elementwise, report = counted_flops(exprs, shape)
    detail = [(r.name, r.flops, r.flops_formula) for r in report.layers]
    assert report.total_macs == macs, detail
    assert report.total_flops == 2 * macs + elementwise, detail


def test_counter_counts_elementwise_work():
    """The counter itself: a bias add and tanh of 4 outputs, a sum of 3 values, comparisons free."""
    _Counter.elementwise = 0
    a = np.ones((1, 3), dtype=np.float32).view(Counted)
    y = np.tanh(a @ np.ones((3, 4)) + 1.0)  # 4 adds, 4 tanh
    _ = a.sum(axis=-1)  # 2 adds
    mask = a > 0  # a comparison: 0, and a Mask
    w = mask.astype(np.float32)
    _ = (a * w).sum(axis=-1) / w.sum(axis=-1)  # the selection and the count are free; 2 adds, 1 division
    _ = a.var(axis=-1)  # the variance given the mean: 3 per element
    assert isinstance(y, Counted) and _Counter.elementwise == 4 + 4 + 2 + 2 + 1 + 9


def test_every_registered_layer_has_a_flops_rule_or_a_stated_zero():
    for name, entry in REGISTRY.items():
        assert entry.flops is not None, f"{name} has no element-wise rule (LayerDef.flops): give it one, or say why it is zero"
        if isinstance(entry.flops, str):
            assert len(entry.flops) > 10, f"{name}: a stated zero says why"


@pytest.mark.parametrize(
    "expr,formula",
    [
        ("SimpleRNN(5)", "2·MACs + T·3M = 2·400 + 10·3·5 = 950"),
        ("LSTM(5)", "2·MACs + T·17M = 2·1,600 + 10·17·5 = 4,050"),
        ("LSTM(5, use_bias=False)", "2·MACs + T·13M = 2·1,600 + 10·13·5 = 3,850"),
        ("GRU(5)", "2·MACs + T·17M = 2·1,200 + 10·17·5 = 3,250"),
        ("GRU(5, reset_after=False)", "2·MACs + T·14M = 2·1,200 + 10·14·5 = 3,100"),
        ("Dense(4, activation='softmax')", "2·MACs + T·6K = 2·120 + 10·6·4 = 480"),
        ("Dense(4, use_bias=False)", "2·MACs = 2·120 = 240"),
        ("LayerNormalization()", "8T·D + 2G = 8·10·3 + 2·10 = 260"),
        ("GlobalAveragePooling1D()", "D·T = 3·10 = 30"),
        ("TimeDistributed(Dense(3, use_bias=False))", "2·MACs = 2·90 = 180"),
        ("Bidirectional(SimpleRNN(2, return_sequences=True), merge_mode='ave')",
         "2·MACs + 2·[T·3M] + [2T·M] = 2·200 + 2·[10·3·2] + [2·10·2] = 560"),
        ("Softmax()", "5T·D = 5·10·3 = 150"),
        ("Dropout(0.5)", "0"),
    ],
)
def test_flops_formulas(expr, formula):
    report = infer_model(from_expressions([expr], input_shape="10,3"))
    assert report.layers[-1].flops_formula == formula


@pytest.mark.parametrize("expr", ["SimpleRNN(4)", "LSTM(4)", "GRU(4)", "GRU(4, reset_after=False)", "Bidirectional(LSTM(3))",
                                  "RNN([LSTMCell(2), GRUCell(3)])", "TimeDistributed(Dense(3))", "Conv1D(4, 3, padding='same')"])
def test_doubling_t_doubles_the_flops(expr):
    one = infer_model(from_expressions([expr], input_shape="6,3")).layers[-1]
    two = infer_model(from_expressions([expr], input_shape="12,3")).layers[-1]
    assert one.flops and two.flops == 2 * one.flops
    assert one.macs is not None and one.flops >= 2 * one.macs


def test_unknown_t_is_null_with_a_symbolic_formula():
    report = infer_model(from_expressions(["LSTM(5, return_sequences=True)", "Dense(2)"], input_shape="None,3"))
    lstm, dense = report.layers[-2:]
    assert lstm.flops is None and lstm.flops_formula == "2·MACs + T·17M (unknown: T)"
    assert dense.flops is None and "unknown: T" in dense.flops_formula
    assert report.total_flops is None
    assert [r.name for r in report.unknown_flops] == ["lstm", "dense"]


def test_flops_text_and_json(cli):
    text = cli("explain", "LSTM(5)", "Dense(2)", "--input-shape", "10,3", "--cost")
    assert "2·MACs + T·17M = 2·1,600 + 10·17·5 = 4,050" in text.stdout
    assert "Total FLOPs: 4,072" in text.stdout
    data = json.loads(cli("explain", "LSTM(5)", "Dense(2)", "--input-shape", "None,3", "-f", "json").stdout)
    assert data["total_flops"] is None and data["unknown_flops"] == ["lstm"]
    assert [layer["flops"] for layer in data["layers"]] == [None, 2 * 10 + 2]
    assert "unknown: T" in data["layers"][0]["flops_formula"]


# TensorFlow's profiler counts 2 per MAC plus the bias add (inside MatMul/Conv2D), p per
# output of AvgPool and MaxPool, n per result of Mean, and 5 per element of Softmax. It
# does not count Relu, Tanh or Sigmoid, and counts a max pool's window (p) where rnnshape
# counts the p-1 comparisons a maximum of p values takes: the test adds those back.
@pytest.mark.parametrize(
    "expr,shape",
    [("Dense(4, use_bias=False)", "5"), ("Dense(4)", "5"), ("Dense(3)", "7,5"), ("Dense(4, activation='relu')", "5"),
     ("Dense(4, activation='tanh')", "6,5"), ("Dense(4, activation='softmax')", "5"), ("Conv1D(4, 3)", "11,2"),
     ("Conv1D(4, 3, strides=2, padding='same', activation='relu')", "11,2"), ("Conv2D(4, (3, 2), strides=(2, 1))", "9,6,3"),
     ("Conv3D(2, 2)", "4,5,6,3"), ("AveragePooling1D(2)", "8,3"), ("AveragePooling1D(3, strides=2, padding='same')", "9,3"),
     ("AveragePooling2D(2)", "6,6,3"), ("GlobalAveragePooling1D()", "8,3"), ("MaxPooling1D(2)", "8,3"),
     ("MaxPooling2D(2)", "6,6,3"), ("Softmax()", "7,5")],
)
def test_tensorflow_profiler_agrees_where_it_counts(keras, expr, shape):
    import math

    from test_cost import _tf_float_ops

    layer = infer_model(from_expressions([expr], input_shape=shape)).layers[-1]
    keras_layer = getattr(keras.layers, layer.class_name)(**layer.spec.args)
    ops = _tf_float_ops(keras, keras_layer, tuple(int(d) for d in shape.split(",")))
    outputs = math.prod(layer.outputs[0][1:])
    uncounted = outputs if layer.config.get("activation") in ("relu", "tanh", "sigmoid") else 0
    window_not_comparisons = outputs if layer.class_name.startswith("MaxPooling") else 0
    assert sum(ops.values()) + uncounted - window_not_comparisons == layer.flops, ops


def test_random_models_do_the_reported_flops():
    """The random-model grid (tests/randmodels.py): graphs, shared layers, states, masks, stateful batches."""
    import sys
    from pathlib import Path

    from rnnshape.errors import SpecError

    sys.path.insert(0, str(Path(__file__).parent))
    from randmodels import random_model_specs

    checked, wrong = 0, []
    for model in random_model_specs(208, 20240917):
        try:
            macs, elementwise, report = counted_model_flops(model)
        except SpecError:  # a layer the NumPy generator does not write yet
            continue
        if report.total_flops is None:  # T unknown: the run used T = 3, the report keeps T
            assert report.unknown_flops and report.total_macs is None
            continue
        checked += 1
        assert report.total_flops == sum(r.flops for r in report.layers)
        assert all(r.flops >= 2 * r.macs for r in report.layers)
        if 2 * macs + elementwise != report.total_flops:
            wrong.append(f"{model.name}: counted {2 * macs + elementwise}, reported {report.total_flops}")
    assert wrong == []
    assert checked >= 100


def test_layers_without_a_numpy_template_count_by_hand():
    """Attention layers, ConvLSTM, GroupNormalization and Dot(normalize=True), counted by hand."""
    from rnnshape.spec import Call, LayerSpec, ModelSpec, TensorRef

    def graph(class_name, args, q_dim=8, as_list=False):
        q = LayerSpec("InputLayer", {"batch_shape": [None, 5, q_dim]}, "q")
        v = LayerSpec("InputLayer", {"batch_shape": [None, 7, 6]}, "v")
        call = Call(LayerSpec(class_name, args, "att"), (TensorRef("q"), TensorRef("v")), as_list=as_list)
        return infer_model(ModelSpec("m", (q, v), (call,), (TensorRef("att"),), sequential=False)).layers[-1]

    def extra(layer):
        return layer.flops - 2 * layer.macs

    # MultiHeadAttention(2 heads, key_dim 4): bias adds of the query (5·8), key and value
    # (7·8 each) and output (5·8) projections, the query scaled (5·8), softmax 5 per score.
    mha = graph("MultiHeadAttention", {"num_heads": 2, "key_dim": 4})
    assert extra(mha) == 5 * 8 + 7 * 8 + 7 * 8 + 5 * 8 + 5 * 8 + 5 * 2 * 5 * 7
    # Attention (dot scores, no scale): the softmax of the 5·7 scores.
    assert extra(graph("Attention", {}, q_dim=6, as_list=True)) == 5 * 5 * 7
    assert extra(graph("Attention", {"use_scale": True}, q_dim=6, as_list=True)) == 6 * 5 * 7
    # Additive scores sum(scale·tanh(q + k)) over D = 6: add, tanh, scale (3·6), the sum (5); softmax 5.
    assert extra(graph("AdditiveAttention", {}, q_dim=6, as_list=True)) == 5 * 7 * (3 * 6 + 5 + 5)
    assert extra(graph("Attention", {"score_mode": "concat"}, q_dim=6, as_list=True)) == 5 * 7 * (2 * 6 + 5 + 1 + 5)
    # ConvLSTM1D(4, 3) on (6, 10, 2): an LSTM step (17 per unit) at 8 positions, 6 steps.
    conv_lstm = infer_model(from_expressions(["ConvLSTM1D(4, 3)"], input_shape="6,10,2")).layers[-1]
    assert extra(conv_lstm) == 6 * 8 * 17 * 4
    # GroupNormalization(2) on (10, 4): 8 per element, 2 per group.
    group = infer_model(from_expressions(["GroupNormalization(2)"], input_shape="10,4")).layers[-1]
    assert group.flops == 8 * 40 + 2 * 2
    # Dot(axes=1, normalize=True) on two (N, 4): each input L2-normalised (3 per element + 1).
    dot = graph("Dot", {"axes": 2, "normalize": True}, q_dim=6, as_list=True)
    assert extra(dot) == (3 * 30 + 5) + (3 * 42 + 7)


def _check_invariants(report: Any) -> None:
    """Per layer: FLOPs unknown when MACs are (a pooling over unknown T may add to that),
    and at least 2·MACs; the layers sum to the total."""
    for layer in report.layers:
        assert layer.macs is not None or layer.flops is None, (layer.name, layer.macs_formula, layer.flops_formula)
        if layer.flops is not None:
            assert layer.flops >= 2 * layer.macs, layer.name
    if report.total_flops is not None:
        assert report.total_flops == sum(r.flops for r in report.layers)
    assert [r.name for r in report.unknown_flops] == [r.name for r in report.layers if r.flops is None]


def test_invariants_over_the_layer_grid_and_the_random_models():
    """Every case of the Keras layer grid (every registry layer) and every random model;
    on the grid, doubling T doubles a recurrent layer's FLOPs (a Bidirectional's merge of
    the last outputs does not grow with T)."""
    from randmodels import random_model_specs
    from test_layers_keras import CASES as GRID, T, build_case

    doubled = 0
    for shapes, exprs in GRID:
        report = infer_model(build_case(shapes, exprs))
        _check_invariants(report)
        first = next(r for r in report.layers if r.class_name != "InputLayer")
        if REGISTRY[first.class_name].recurrent and all(s[1] == T for s in shapes):
            longer = infer_model(build_case([(s[0], 2 * T, *s[2:]) for s in shapes], exprs))
            again = next(r for r in longer.layers if r.name == first.name)
            assert first.flops and again.flops == 2 * first.flops, exprs
            doubled += 1
    for model in random_model_specs(208, 20240917):
        _check_invariants(infer_model(model))
    assert doubled >= 30


def test_nested_models_and_shared_layers_count_their_parts(tmp_path):
    """A nested model costs the sum of its layers; a shared layer once per call."""
    from rnnshape.formats import load_file

    source = tmp_path / "nested.py"
    source.write_text(
        "import keras\n"
        "inner = keras.Sequential([keras.Input((10, 3)), keras.layers.LSTM(4, return_sequences=True),"
        " keras.layers.Dense(2)], name='inner')\n"
        "model = keras.Sequential([keras.Input((10, 3)), inner, keras.layers.GRU(3)], name='outer')\n"
    )
    models = load_file(str(source))
    report = infer_model(models[-1])  # the outer model, after the inner one
    alone = infer_model(from_expressions(["LSTM(4, return_sequences=True)", "Dense(2)"], input_shape="10,3"))
    inner = next(r for r in report.layers if r.name == "inner")
    assert (inner.macs, inner.flops) == (alone.total_macs, alone.total_flops)
    assert inner.flops_formula == f"2·MACs + {alone.total_flops - 2 * alone.total_macs:,} = 2·{alone.total_macs:,} + " \
        f"{alone.total_flops - 2 * alone.total_macs:,} = {alone.total_flops:,}"
