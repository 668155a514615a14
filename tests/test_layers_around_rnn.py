"""The layers found around recurrent layers in real code (images, text preprocessing,
activations, noise, other normalisations): every refusal rnnshape makes is one real
Keras 3 makes too, a vocabulary is never read from a path, and every formula adds up."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import numpy as np

from kerasdiff import InputShape, Typed, concrete_inputs, input_args, single_layer
from rnnshape.check.keras_build import make_layer
from rnnshape.errors import RnnshapeError
from rnnshape.formats.expr import parse_layer_expr
from rnnshape.infer import infer_model
from rnnshape.spec import LayerSpec, ModelSpec
from test_layers_keras import CASES, build_case
from test_layers_rules import _check_formula

S1, S3 = Typed((None,), "string"), Typed((None, 3), "string")
I5 = Typed((None, 5), "int64")
X = (None, 5, 4)
IMG = (None, 7, 6, 4)

# (input, expression, words rnnshape's message must hold); Keras must refuse each too.
REFUSED: list[tuple[InputShape, str, str]] = [
    (X, "Conv2D(4, 3)", "expects a 4-D input"),
    (IMG, "Conv2D(3, 2, groups=2)", "groups=2 must divide"),
    (IMG, "Conv2D(4, 3, groups=3)", "groups=3 must divide"),
    (IMG, "Conv2D(4, 3, strides=2, dilation_rate=2)", "cannot be combined"),
    ((None, 2, 2, 4), "Conv2D(4, 3)", "zero or negative"),
    (IMG, "Conv2D(4, 3, padding='causal')", "padding"),
    ((None, 4, 4, 4, 2), "Conv3D(2, (1, 2))", "kernel_size"),
    ((None, 1, 6, 4), "MaxPooling2D()", "longer than the spatial axes"),
    (X, "MaxPooling2D()", "expects a 4-D input"),
    ((None, 5, 6, 7, 2), "AveragePooling3D()", "needs the argument 'pool_size'"),
    (IMG, "GlobalMaxPooling3D()", "expects a 5-D input"),
    (X, "Cropping1D((3, 2))", "removes all 5 timesteps"),
    (X, "UpSampling1D(0)", "size must be a positive integer"),
    (X, "ZeroPadding1D(-1)", "non-negative"),
    (X, "ZeroPadding1D((1, 2, 3))", "pair"),
    ((None, None, 4), "PReLU()", "unknown (None)"),
    (X, "PReLU(shared_axes=[3])", "not an axis"),
    (X, "ReLU(max_value=-1.0)", "max_value must be a number >= 0"),
    (X, "ReLU(threshold=None)", "threshold must be a number >= 0"),
    (X, "LeakyReLU(negative_slope=-0.1)", "negative_slope must be a number >= 0"),
    (X, "GaussianNoise(1.5)", "stddev must be a number in [0, 1]"),
    (X, "GaussianDropout()", "needs the argument 'rate'"),
    (X, "GroupNormalization()", "groups=32 is more than the 4 channels"),
    (X, "GroupNormalization(groups=3)", "does not divide the 4 channels"),
    (X, "GroupNormalization(groups=0)", "positive integer"),
    ((None, None, 4), "GroupNormalization(groups=2, axis=1)", "unknown (None)"),
    (X, "UnitNormalization(axis=3)", "out of range"),
    (X, "UnitNormalization(axis='last')", "integer axis"),
    (X, "Normalization(mean=1.0)", "together"),
    (X, "Normalization(mean=[1.0, 2.0], variance=[1.0])", "same shape"),
    (X, "Normalization(mean=[[1.0]], variance=[[1.0]])", "more than the 1 axes kept"),
    (X, "Normalization(axis=3)", "out of range"),
    ((None, None, 4), "Normalization(axis=1)", "unknown"),
    (I5, "CategoryEncoding()", "needs num_tokens"),
    (I5, "CategoryEncoding(4, output_mode='tf_idf')", "output_mode must be one of"),
    (S1, "TextVectorization(output_mode='multi_hot', output_sequence_length=3)", "only used with output_mode='int'"),
    (S1, "TextVectorization(ragged=True, output_mode='count')", "ragged=True needs output_mode='int'"),
    (S3, "TextVectorization()", "(N,) or (N, 1)"),
    (S1, "TextVectorization(split='comma')", "split must be one of"),
    (S1, "TextVectorization(output_mode='tf_idf', vocabulary=['a'])", "needs idf_weights"),
    (S3, "StringLookup(vocabulary=['a', 'a'])", "repeats a token"),
    (S3, "StringLookup(vocabulary=['a'], invert=True, output_mode='count')", "invert=True needs output_mode='int'"),
    (S3, "StringLookup(vocabulary=['a'], sparse=True)", "sparse=True"),
    (S3, "StringLookup(vocabulary=['a'], idf_weights=[1.0])", "only used with output_mode='tf_idf'"),
    (S3, "StringLookup(max_tokens=1)", "greater than 1"),
    (S3, "StringLookup(pad_to_max_tokens=True)", "needs max_tokens"),
    (S3, "StringLookup(vocabulary=['a', 'b', 'c'], max_tokens=3)", "exceeds max_tokens=3"),
    (S3, "StringLookup(vocabulary=['a', ''], mask_token='')", "mask token"),
    (S3, "StringLookup(num_oov_indices=-1)", "integer >= 0"),
    (S3, "StringLookup(vocabulary=[1, 2])", "list of strings"),
    (I5, "IntegerLookup(vocabulary=[1, 2], salt=3)", "oov_method='farmhash'"),
    (I5, "IntegerLookup(vocabulary=[1, 2], output_mode='ids')", "output_mode must be one of"),
]


def _keras_refuses(keras: Any, layer: LayerSpec, shape: InputShape) -> bool:
    """Keras raises at construction, when called on a symbolic input, or in a forward pass."""
    args = input_args(shape)
    data = concrete_inputs(ModelSpec("m", (LayerSpec("InputLayer", args),), (), ()), np.random.default_rng(0))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inp = keras.Input(batch_shape=tuple(args["batch_shape"]), dtype=args.get("dtype"))
            keras.Model(inp, make_layer(keras, layer)(inp))(data)
    except Exception:
        return True
    return False


@pytest.mark.parametrize(("shape", "expr", "needle"), REFUSED, ids=[c[1] for c in REFUSED])
def test_refusals_match_keras(keras: Any, shape: InputShape, expr: str, needle: str) -> None:
    layer = parse_layer_expr(expr, "<case>")
    with pytest.raises(RnnshapeError) as caught:
        infer_model(single_layer([shape], layer))
    assert needle in str(caught.value)
    assert _keras_refuses(keras, layer, shape), "real Keras accepts it"


@pytest.mark.parametrize("vocabulary", ["'vocab.txt'", "'/etc/passwd'", "'gs://bucket/words'"])
@pytest.mark.parametrize("layer", ["TextVectorization", "StringLookup"])
def test_a_vocabulary_path_is_refused_not_read(layer: str, vocabulary: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_open(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"rnnshape tried to open {args[0]!r}")

    monkeypatch.setattr("builtins.open", no_open)
    monkeypatch.setattr("io.open", no_open)
    spec = parse_layer_expr(f"{layer}(vocabulary={vocabulary})", "<case>")
    with pytest.raises(RnnshapeError, match="never opens a file"):
        infer_model(single_layer([S1], spec))


def test_idf_weights_and_mean_must_be_literal_data() -> None:
    for expr in ("Normalization(mean='mean.npy', variance='var.npy')", "StringLookup(output_mode='tf_idf', vocabulary=['a'], idf_weights='w.npy')"):
        with pytest.raises(RnnshapeError, match="must be"):
            infer_model(single_layer([S3 if "Lookup" in expr else X], parse_layer_expr(expr, "<case>")))


NEW_CLASSES = (
    "Conv2D Conv3D Convolution2D Convolution3D Pool ZeroPadding1D Cropping1D UpSampling1D TextVectorization "
    "Lookup Normalization CategoryEncoding ReLU ELU Softmax Gaussian Identity"
).split()


@pytest.mark.parametrize("case", [c for c in CASES if any(n in " ".join(c[1]) for n in NEW_CLASSES)], ids=lambda c: " ".join(c[1])[:80])
def test_formulas_add_up(case: tuple[list[InputShape], tuple[str, ...]]) -> None:
    for r in infer_model(build_case(*case)).layers:
        _check_formula(r.name, r.formula, r.params)


TEXT_MODEL = """\
import keras
from keras import layers

inp = keras.Input(shape=(1,), dtype="string")
x = layers.TextVectorization(vocabulary=["the", "model", "shape"], output_sequence_length=12)(inp)
x = layers.Embedding(5, 8)(x)
x = layers.Bidirectional(layers.GRU(4))(x)
out = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inp, out)
"""


def test_check_feeds_phrases_to_a_string_input(keras: Any, cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "text_model.py"
    path.write_text(TEXT_MODEL)
    result = cli("check", str(path))
    assert result.code == 0, result.output
    assert "(2, 1) string" in result.output and "1 agree" in result.output
