"""Every registry layer over a grid of configurations, against real Keras 3.

Each case builds the same one-layer (or short) model with Keras, runs a real forward
pass on random input, and requires rnnshape's output shapes, parameter totals, the
trainable split, and every weight's name and shape (in ``layer.weights`` order) to
equal Keras's (``kerasdiff.compare_with_keras``).
"""

from __future__ import annotations

from typing import Any

import pytest

from kerasdiff import InputShape, Typed, compare_with_keras, input_args, single_layer
from rnnshape.formats.expr import parse_layer_expr
from rnnshape.spec import LayerSpec, sequential_model

T, D = 5, 4

# (input batch shapes, layer expression[, more expressions after it]); "|sep" marks
# a layer called on separate tensors (MultiHeadAttention) instead of one list.
CASES: list[tuple[list[InputShape], tuple[str, ...]]] = [
    # Bidirectional: every merge mode x return_sequences x return_state, three layer kinds.
    *[
        ([(None, T, D)], (f"Bidirectional({inner}(3, return_sequences={rs}, return_state={rst}), merge_mode={mode!r})",))
        for inner in ("LSTM", "GRU", "SimpleRNN")
        for mode in ("concat", "sum", "mul", "ave", None)
        for rs in (False, True)
        for rst in (False, True)
        if inner == "LSTM" or (rs == rst)
    ],
    ([(None, T, D)], ("Bidirectional(LSTM(3), backward_layer=GRU(3, go_backwards=True))",)),
    ([(None, T, D)], ("Bidirectional(GRU(3, return_sequences=True), backward_layer=SimpleRNN(2, go_backwards=True, return_sequences=True))",)),
    ([(None, T, D)], ("Bidirectional(LSTM(3, return_state=True), merge_mode=None, backward_layer=LSTM(2, go_backwards=True, return_state=True))",)),
    ([(None, T, D)], ("Bidirectional(GRU(2, reset_after=False, use_bias=False))",)),
    ([(None, T, D)], ("Bidirectional(RNN(LSTMCell(2), return_sequences=True))",)),
    ([(None, T, D)], ("Bidirectional(LSTM(2, trainable=False))",)),
    ([(2, T, D)], ("Bidirectional(LSTM(2, stateful=True))",)),
    ([(None, T, 6, 3)], ("Bidirectional(ConvLSTM1D(2, 3, return_sequences=True))",)),
    # TimeDistributed around several layer kinds.
    ([(None, T, D)], ("TimeDistributed(Dense(3))",)),
    ([(None, T, 6, D)], ("TimeDistributed(Dense(3))",)),
    ([(None, T, 6, D)], ("TimeDistributed(Flatten())",)),
    ([(None, T, 8, D)], ("TimeDistributed(Conv1D(3, 2))",)),
    ([(None, T, 6, D)], ("TimeDistributed(LSTM(3))",)),
    ([(None, T, 6, D)], ("TimeDistributed(GlobalMaxPooling1D())",)),
    ([(None, T, D)], ("TimeDistributed(BatchNormalization())",)),
    # RNN(cell), cells and stacks.
    *[
        ([(None, T, D)], (f"RNN({cell}, return_sequences={rs}, return_state={rst}, go_backwards={gb})",))
        for cell in ("SimpleRNNCell(3)", "LSTMCell(3)", "GRUCell(3)", "GRUCell(3, reset_after=False)",
                     "LSTMCell(3, use_bias=False)", "[LSTMCell(3), GRUCell(2)]", "[SimpleRNNCell(3), SimpleRNNCell(2)]",
                     "StackedRNNCells([GRUCell(2), LSTMCell(3), SimpleRNNCell(1)])")
        for rs, rst, gb in ((False, False, False), (True, True, False), (False, True, True))
    ],
    ([(None, None, D)], ("RNN(LSTMCell(3), return_sequences=True)",)),
    ([(3, T, D)], ("RNN(GRUCell(2), stateful=True, return_state=True)",)),
    # ConvLSTM.
    ([(None, T, 8, 3)], ("ConvLSTM1D(2, 3)",)),
    ([(None, T, 8, 3)], ("ConvLSTM1D(2, 3, padding='same', return_sequences=True, return_state=True)",)),
    ([(None, T, 9, 3)], ("ConvLSTM1D(2, 2, strides=2, use_bias=False)",)),
    ([(None, T, 9, 3)], ("ConvLSTM1D(2, 2, dilation_rate=2, go_backwards=True)",)),
    ([(None, 3, 6, 5, 2)], ("ConvLSTM2D(2, (3, 2))",)),
    ([(None, 3, 7, 6, 2)], ("ConvLSTM2D(2, 3, strides=2, padding='same', return_sequences=True)",)),
    ([(None, 3, 4, 5, 4, 2)], ("ConvLSTM3D(2, 2, return_state=True)",)),
    # Embedding and Masking.
    ([(None, T)], ("Embedding(10, 4)",)),
    ([(None, T)], ("Embedding(10, 4, mask_zero=True)", "LSTM(3)")),
    ([(None, None)], ("Embedding(10, 4)",)),
    ([(None, T, 3)], ("Embedding(7, 2)",)),
    ([(None, T)], ("Embedding(10, 4, input_length=5)",)),
    ([(None, T)], ("Embedding(10, 4, lora_rank=2)",)),
    ([(None, T, D)], ("Masking()", "GRU(2)")),
    ([(None, T, D)], ("Masking(mask_value=1.0)",)),
    # Conv1D.
    *[([(None, 10, D)], (f"Conv1D(4, 3{extra})",)) for extra in (
        "", ", padding='same'", ", padding='causal'", ", strides=2", ", strides=2, padding='same'",
        ", dilation_rate=2", ", use_bias=False", ", groups=2", ", activation='relu'", ", kernel_size=1",
    ) if not (extra == ", kernel_size=1")],
    ([(None, None, D)], ("Conv1D(4, 3)",)),
    ([(None, 10, D)], ("Convolution1D(2, 5, strides=3)",)),
    # Pooling.
    *[([(None, 11, D)], (expr,)) for expr in (
        "MaxPooling1D()", "MaxPooling1D(3, strides=1)", "MaxPooling1D(2, padding='same')", "AveragePooling1D(2)",
        "AveragePooling1D(3, strides=2, padding='same')", "MaxPool1D(4)", "AvgPool1D(2)",
        "GlobalAveragePooling1D()", "GlobalAveragePooling1D(keepdims=True)", "GlobalMaxPooling1D()",
        "GlobalMaxPool1D(keepdims=True)", "GlobalAvgPool1D()",
    )],
    ([(None, None, D)], ("GlobalMaxPooling1D()",)),
    ([(None, None, D)], ("MaxPooling1D()",)),
    # Reshaping and identities.
    ([(None, T, D)], ("Flatten()",)),
    ([(None, None, D)], ("Flatten()",)),
    ([(None, T, 3, D)], ("Flatten()",)),
    ([(None, T, D)], ("Reshape((4, 5))",)),
    ([(None, T, D)], ("Reshape((-1, 2))",)),
    ([(None, None, D)], ("Reshape((-1, 2, 2))",)),
    ([(None, T, D)], ("Reshape((20,))",)),
    ([(None, D)], ("RepeatVector(3)",)),
    ([(None, T, D)], ("Permute((2, 1))",)),
    ([(None, T, 3, D)], ("Permute((3, 1, 2))",)),
    ([(None, T, D)], ("SpatialDropout1D(0.5)",)),
    ([(None, T, D)], ("Activation('relu')",)),
    ([(None, T, D)], ("Dropout(0.2)",)),
    # Normalization.
    ([(None, T, D)], ("LayerNormalization()",)),
    ([(None, T, D)], ("LayerNormalization(center=False)",)),
    ([(None, T, D)], ("LayerNormalization(scale=False, center=False)",)),
    ([(None, T, 3, D)], ("LayerNormalization(axis=[2, 3])",)),
    ([(None, T, D)], ("BatchNormalization()",)),
    ([(None, D)], ("BatchNormalization(scale=False, center=False)",)),
    ([(None, T, D)], ("BatchNormalization(axis=1)",)),
    ([(None, T, D)], ("BatchNormalization(renorm=True)",)),
    ([(None, T, D)], ("BatchNormalization(trainable=False)",)),
    # Attention (list call) and MultiHeadAttention (separate tensors).
    ([(None, T, D), (None, 6, D)], ("Attention()",)),
    ([(None, T, D), (None, 6, 3), (None, 6, D)], ("Attention(use_scale=True, score_mode='concat')",)),
    ([(None, T, D), (None, 6, D)], ("Attention(score_mode='concat')",)),
    ([(None, T, D), (None, 6, D)], ("AdditiveAttention()",)),
    ([(None, T, D), (None, 6, D)], ("AdditiveAttention(use_scale=False)",)),
    ([(None, T, D), (None, T, D)], ("|sep", "MultiHeadAttention(2, 3)")),
    ([(None, T, D), (None, 6, 3)], ("|sep", "MultiHeadAttention(2, 3)")),
    ([(None, T, D), (None, 6, 3), (None, 6, 2)], ("|sep", "MultiHeadAttention(2, 3, value_dim=4, output_shape=7, use_bias=False)")),
    ([(None, T, D), (None, 6, 3)], ("|sep", "MultiHeadAttention(1, 2, use_gate=True, output_shape=(2, 3))")),
    # Merging.
    ([(None, T, 3), (None, T, 2)], ("Concatenate()",)),
    ([(None, T, D), (None, 2, D)], ("Concatenate(axis=1)",)),
    ([(None, T, D), (None, T, D), (None, T, D)], ("Add()",)),
    ([(None, T, D), (None, 1, D)], ("Add()",)),
    ([(None, D), (None, D)], ("Subtract()",)),
    ([(None, D), (None, D)], ("Multiply()",)),
    ([(None, T, D), (None, T, D)], ("Average()",)),
    ([(None, T, D), (None, T, D)], ("Maximum()",)),
    ([(None, T, D), (None, T, D)], ("Minimum()",)),
    ([(None, T, D), (None, 6, D)], ("Dot(axes=(2, 2))",)),
    ([(None, D), (None, D)], ("Dot(axes=1, normalize=True)",)),
    # The base layers too.
    ([(None, T, D)], ("LSTM(3, return_sequences=True, return_state=True)",)),
    ([(None, T, D)], ("GRU(3, reset_after=False)",)),
    ([(None, T, D)], ("SimpleRNN(3, go_backwards=True, use_bias=False)",)),
    ([(None, T, D)], ("Dense(3)",)),
    # Images and video around recurrent layers: Conv2D/3D and their pooling.
    *[([(None, 7, 6, D)], (f"Conv2D(4, {extra})",)) for extra in (
        "3", "(3, 2)", "3, strides=2", "3, padding='same', strides=(2, 1)", "2, dilation_rate=2",
        "3, use_bias=False", "3, groups=2", "1, activation='relu'",
    )],
    ([(None, None, None, D)], ("Conv2D(2, 3)",)),
    ([(None, 7, 6, D)], ("Convolution2D(2, 3, padding='same')",)),
    ([(None, 5, 6, 7, 2)], ("Conv3D(3, 2)",)),
    ([(None, 5, 6, 7, 2)], ("Conv3D(4, (1, 3, 3), strides=(1, 2, 2), padding='same', groups=2)",)),
    ([(None, 5, 6, 7, 2)], ("Convolution3D(2, 3, use_bias=False)",)),
    *[([(None, 7, 6, D)], (expr,)) for expr in (
        "MaxPooling2D()", "MaxPooling2D((3, 2), strides=1)", "MaxPooling2D(2, padding='same')", "MaxPool2D(3)",
        "AveragePooling2D(2)", "AveragePooling2D((2, 3), strides=(1, 2), padding='same')", "AvgPool2D(3)",
        "GlobalAveragePooling2D()", "GlobalAveragePooling2D(keepdims=True)", "GlobalAvgPool2D()",
        "GlobalMaxPooling2D()", "GlobalMaxPool2D(keepdims=True)",
    )],
    ([(None, None, None, D)], ("MaxPooling2D()",)),
    *[([(None, 5, 6, 7, 2)], (expr,)) for expr in (
        "MaxPooling3D()", "MaxPooling3D((1, 2, 2), padding='same')", "MaxPool3D(2)", "AveragePooling3D(2)",
        "AvgPool3D((2, 3, 2), strides=1)", "GlobalAveragePooling3D()", "GlobalAvgPool3D(keepdims=True)",
        "GlobalMaxPooling3D()", "GlobalMaxPool3D(keepdims=True)",
    )],
    ([(None, T, 6, 5, D)], ("TimeDistributed(Conv2D(3, 2))",)),
    ([(None, T, 6, 5, D)], ("TimeDistributed(Convolution2D(3, 2))",)),
    ([(None, T, 6, D)], ("TimeDistributed(MaxPool1D())",)),
    ([(None, T, 6, 4, 2)], ("TimeDistributed(MaxPooling2D())", "TimeDistributed(Flatten())", "LSTM(3)")),
    # The time axis: padding, cropping, upsampling.
    *[([(None, T, D)], (expr,)) for expr in (
        "ZeroPadding1D()", "ZeroPadding1D(3)", "ZeroPadding1D((0, 2))", "Cropping1D()", "Cropping1D((2, 0))",
        "Cropping1D(2)", "UpSampling1D()", "UpSampling1D(3)",
    )],
    ([(None, None, D)], ("ZeroPadding1D((1, 2))",)),
    ([(None, None, D)], ("Cropping1D((1, 1))",)),
    ([(None, None, D)], ("UpSampling1D(4)",)),
    # Activation and noise layers, Identity.
    *[([(None, T, D)], (expr,)) for expr in (
        "ReLU()", "ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5)", "LeakyReLU()",
        "LeakyReLU(negative_slope=0.2)", "LeakyReLU(alpha=0.1)", "ELU()", "ELU(alpha=0.5)", "Softmax()",
        "Softmax(axis=1)", "Softmax(axis=[1, 2])", "GaussianNoise(0.1)", "GaussianNoise(0.2, seed=3)",
        "GaussianDropout(0.3)", "GaussianDropout(0.0)", "Identity()", "PReLU()", "PReLU(shared_axes=[1])",
        "PReLU(shared_axes=1)", "PReLU(shared_axes=[1, 2])",
    )],
    ([(None, D)], ("PReLU()",)),
    ([(None, None, D)], ("PReLU(shared_axes=[1])", "LSTM(2)")),
    ([(None, T, 3, D)], ("PReLU(shared_axes=(1, 2))",)),
    # Other normalisations.
    *[([(None, T, D)], (expr,)) for expr in (
        "GroupNormalization(groups=2)", "GroupNormalization(groups=-1)", "GroupNormalization(groups=4, scale=False)",
        "GroupNormalization(1, center=False, scale=False)", "GroupNormalization(groups=5, axis=1)",
        "UnitNormalization()", "UnitNormalization(axis=[1, 2])", "UnitNormalization(axis=1)",
        "Normalization()", "Normalization(axis=None)", "Normalization(axis=(1, 2))", "Normalization(axis=1)",
        "Normalization(mean=2.0, variance=4.0)", "Normalization(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 1.0, 2.0, 2.0])",
        "Normalization(invert=True, mean=0.5, variance=2.0)",
    )],
    ([(None, None, D)], ("Normalization()", "GRU(2)")),
    # Integer ids to vectors.
    ([Typed((None, T), "int64")], ("CategoryEncoding(num_tokens=4)",)),
    ([Typed((None, T), "int64")], ("CategoryEncoding(num_tokens=4, output_mode='count')",)),
    ([Typed((None, T), "int64")], ("CategoryEncoding(5, output_mode='one_hot')",)),
    ([Typed((None, 1), "int64")], ("CategoryEncoding(5, output_mode='one_hot')",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[0, 1, 2])",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[0, 1, 2], output_mode='multi_hot')",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[1, 2], output_mode='count', num_oov_indices=2)",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[1, 2], output_mode='one_hot', mask_token=0)",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[1, 2], output_mode='tf_idf', idf_weights=[0.5, 1.0])",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(max_tokens=6, pad_to_max_tokens=True, vocabulary=[1, 2], output_mode='multi_hot')",)),
    ([Typed((None, T), "int64")], ("IntegerLookup(vocabulary=[-1, 1, 2], output_mode='multi_hot')",)),
    # Strings to ids or vectors.
    ([Typed((None, T), "string")], ("StringLookup(vocabulary=['a', 'b c'])",)),
    ([Typed((None, T), "string")], ("StringLookup(vocabulary=['a', 'b c'], mask_token='', output_mode='multi_hot')",)),
    ([Typed((None, T), "string")], ("StringLookup(vocabulary=['[UNK]', 'a', 'zz'], output_mode='count')",)),
    ([Typed((None, 1), "string")], ("StringLookup(vocabulary=['a', 'zz'], output_mode='one_hot')",)),
    ([Typed((None, T), "string")], ("StringLookup(vocabulary=['a', 'b c', 'c a zz', 'zz'], output_mode='one_hot', num_oov_indices=0)",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b', 'c'], output_sequence_length=4)",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b', 'c'], output_sequence_length=2)",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_sequence_length=6)", "Embedding(6, 3)", "LSTM(2)")),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b'])",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b', 'c'], output_mode='multi_hot')",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_mode='count', split='character')",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_mode='tf_idf', idf_weights=[1.0, 2.0])",)),
    ([Typed((None,), "string")], ("TextVectorization(max_tokens=8, pad_to_max_tokens=True, vocabulary=['a'], output_mode='binary')",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b c'], output_mode='multi_hot', split=None)",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_mode='multi_hot')",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b c'], output_mode='one_hot', split=None)",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_mode='one_hot')",)),
    ([Typed((None, 1), "string")], ("TextVectorization(vocabulary=['a', 'b'], output_mode='one_hot')",)),
    ([Typed((None,), "string")], ("TextVectorization(vocabulary=['a', 'b'], ngrams=2, output_sequence_length=5, standardize='lower')",)),
]


def _case_id(case: tuple[list[InputShape], tuple[str, ...]]) -> str:
    return " ".join(e for e in case[1] if e != "|sep")[:90]


def build_case(shapes: list[InputShape], exprs: tuple[str, ...]):
    separate = exprs[0] == "|sep"
    exprs = exprs[1:] if separate else exprs
    layers = [parse_layer_expr(e, "<case>") for e in exprs]
    if len(shapes) == 1 and len(layers) > 1:
        return sequential_model("case", LayerSpec("InputLayer", input_args(shapes[0])), layers)
    assert len(layers) == 1
    return single_layer(shapes, layers[0], as_list=False if separate else None)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_layer_matches_keras(keras: Any, case: tuple[list[InputShape], tuple[str, ...]]) -> None:
    spec = build_case(*case)
    # An empty list: shapes (forward pass and symbolic), params, split and weights all agree.
    assert compare_with_keras(keras, spec) == []


def test_every_registry_layer_has_a_case() -> None:
    """The grid covers every layer class (cells through RNN, InputLayer implicitly)."""
    from rnnshape.layers import ALIASES, REGISTRY

    text = " ".join(" ".join(c[1]) for c in CASES)
    used = {name for name in list(REGISTRY) + list(ALIASES) if f"{name}(" in text}
    covered = {ALIASES.get(n, n) for n in used}
    # Mask operations are graph nodes, compared with Keras in test_keras_roundtrip.py.
    ops = {name for name, d in REGISTRY.items() if d.category == "op"}
    missing = set(REGISTRY) - covered - {"InputLayer"} - ops
    assert not missing, f"no Keras case for {sorted(missing)}"
