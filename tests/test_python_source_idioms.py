"""The idioms of real-world Keras scripts and notebooks, read statically and compared with real Keras.

Each case is a small program in the way people write them (a model built in a function,
layers added in a loop, a Keras 2 text classifier without an input shape, ...). rnnshape
reads it without running it; the test then runs the same code (ours, trusted) with
Keras 3 and compares every layer's parameter count and the model's output shapes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from rnnshape.errors import Skipped
from rnnshape.formats.python_source import extract_python
from rnnshape.infer import infer_model
from rnnshape.spec import ModelSpec

HEADER = "import numpy as np\nimport keras\nfrom keras import layers, Sequential, Input, Model\n"

FUNCTIONS = HEADER + """
def build_model(units=32, stateful=False, n_out=1):
    model = Sequential()
    model.add(Input(shape=(10, 3), batch_size=4 if stateful else None))
    model.add(layers.LSTM(units, stateful=stateful))
    model.add(layers.Dense(n_out))
    model.compile(loss="mse", optimizer="adam")
    return model

def add_head(model, n):
    model.add(layers.Dense(n))

def evaluate(model, x):
    model.summary(print_fn=lambda *args, **kwargs: None)
    for _ in range(2):
        model.predict(x, verbose=0)
    return model.evaluate(x, np.zeros((4, model.output_shape[-1])), verbose=0)

default = build_model()
wide = build_model(64, n_out=3)
streaming = build_model(stateful=True)
headed = build_model(8)
add_head(headed, 5)
score = evaluate(wide, np.zeros((4, 10, 3)))

def main():
    model = build_model(units=16)
    evaluate(model, np.zeros((4, 10, 3)))
    return model

if __name__ == "__main__":
    trained = main()
    trained.predict(np.zeros((4, 10, 3)), verbose=0)
"""

LOOPS = HEADER + """
stacked = Sequential()
stacked.add(Input(shape=(20, 8)))
for units in [64, 32]:
    stacked.add(layers.LSTM(units, return_sequences=True))
for i in range(2):
    stacked.add(layers.GRU(16, return_sequences=i < 1))
stacked.add(layers.Dense(1))

SIZES = (12, 6)
comprehended = Sequential(
    [Input(shape=(5, 2)), *[layers.SimpleRNN(u, return_sequences=True) for u in SIZES]] + [layers.Dense(2)]
)

towers = Sequential([Input(shape=(7,))] + [layers.Dense(n, activation="relu") for n in range(3, 6) if n != 4])
for n, width in enumerate([9, 4]):
    towers.add(layers.Dense(width, name=f"extra_{n}"))
"""

ALTERNATIVES = HEADER + """
import tensorflow as tf
try:
    from keras.layers import CuDNNGRU as GRU
except ImportError:
    from keras.layers import GRU
gpu = len(tf.config.list_physical_devices("GPU")) > 1000
LSTM = layers.CuDNNLSTM if gpu else layers.LSTM
if gpu:
    RNN = layers.CuDNNLSTM
else:
    RNN = layers.SimpleRNN
model = Sequential([Input(shape=(6, 4)), LSTM(8, return_sequences=True), GRU(5, return_sequences=True), RNN(3)])
"""

TEXT_CLASSIFIERS = HEADER + """
max_features = 2000
maxlen = 80
embedding_matrix = np.random.rand(max_features, 16)
imdb = Sequential()
imdb.add(layers.Embedding(max_features, 16, input_length=maxlen,
                          embeddings_initializer=keras.initializers.Constant(embedding_matrix), trainable=False))
imdb.add(layers.LSTM(8, dropout=0.2, recurrent_dropout=0.2, kernel_regularizer=keras.regularizers.l2(0.01)))
imdb.add(layers.Dense(1, activation="sigmoid"))
free = Sequential([layers.Embedding(max_features, 12), layers.Bidirectional(layers.GRU(6)), layers.Dense(1)])
"""

PLUMBING = HEADER + """
latent = 6
enc_in = Input(shape=(None, 4))
enc_out, *enc_states = layers.LSTM(latent, return_state=True)(enc_in)
first, *middle, last = [enc_out, enc_in, enc_in, enc_out]
encoder = Model(enc_in, [enc_out] + enc_states)
bi_out, *bi_states = layers.Bidirectional(layers.GRU(3, return_state=True))(enc_in)
bi_encoder = Model(enc_in, [bi_out, *bi_states])
dec_in = Input(shape=(None, 5))
h_in, c_in = Input(shape=(latent,)), Input(shape=(latent,))
states_in = [h_in] + [c_in]
dec_out = layers.LSTM(latent, return_sequences=True)(dec_in, initial_state=states_in)
decoder = Model([dec_in] + states_in, layers.Dense(5)(dec_out))
tokens = Input(shape=(None,), dtype="int32")
embedded = layers.Embedding(50, 8, dtype=keras.mixed_precision.dtype_policy().name)(tokens)
tagger = Model(tokens, layers.Dense(3)(embedded))
config = {"width": 7, "heads": {"b": 2, "a": 3}}
text_in, meta_in = Input(shape=(9, 4), name="text"), Input(shape=(2,), name="meta")
joined = layers.Concatenate()([layers.GRU(config["width"])(text_in), meta_in])
two_heads = Model(
    inputs={"text": text_in, "meta": meta_in},
    outputs={
        "b": layers.Dense(config["heads"]["b"], name="b")(joined),
        "a": layers.Dense(config["heads"]["a"], name="a")(joined),
    },
)
"""

NESTED = HEADER + """
encoder = Sequential([Input(shape=(12, 4)), layers.LSTM(6)], name="encoder")
left, right = Input(shape=(12, 4)), Input(shape=(12, 4))
distance = layers.Subtract()([encoder(left), encoder(right)])
siamese = Model([left, right], layers.Dense(1, activation="sigmoid")(distance))
tower_in = Input(shape=(5, 3))
tower = Model(tower_in, layers.GRU(4, return_sequences=True)(tower_in))
stacked = Sequential([Input(shape=(5, 3)), tower, layers.SimpleRNN(2)])
"""

CASES: dict[str, tuple[str, dict[str, tuple[int | None, ...] | None]]] = {
    # source, {model: the input shape Keras is built on when the code builds it lazily}
    "functions": (FUNCTIONS, {"default": None, "wide": None, "streaming": None, "headed": None, "trained": None}),
    "loops": (LOOPS, {"stacked": None, "comprehended": None, "towers": None}),
    "alternatives": (ALTERNATIVES, {"model": None}),
    "text_classifiers": (TEXT_CLASSIFIERS, {"imdb": (None, 80), "free": (None, None)}),
    "nested": (NESTED, {"siamese": None, "stacked": None}),
    "plumbing": (PLUMBING, {"encoder": None, "bi_encoder": None, "decoder": None, "tagger": None, "two_heads": None}),
}


def read(text: str) -> dict[str, Any]:
    return dict(extract_python(text, "m.py").models)


def rows(spec: ModelSpec) -> list[tuple[str, int]]:
    return sorted((r.class_name, r.params) for r in infer_model(spec).layers if r.class_name != "InputLayer")


@pytest.mark.parametrize("case", list(CASES))
def test_idiom_matches_keras(case: str, keras: Any) -> None:
    text, models = CASES[case]
    specs = read(text)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(text, f"<{case}>", "exec"), namespace)  # noqa: S102 - our own test program
    for name, build_shape in models.items():
        spec, built = specs[name], namespace[name]
        assert isinstance(spec, ModelSpec), (name, spec)
        if build_shape is not None:
            built.build(build_shape)
        report = infer_model(spec)
        assert report.total_params == built.count_params(), name
        assert rows(spec) == sorted(
            (type(layer).__name__, layer.count_params()) for layer in built.layers if type(layer).__name__ != "InputLayer"
        ), name
        assert list(report.outputs) == [tuple(t.shape) for t in built.outputs], name


def test_models_are_named_by_the_outermost_variable() -> None:
    specs = read(FUNCTIONS)
    assert [n for n in specs] == ["default", "wide", "streaming", "headed", "trained"]


def test_cudnn_alternatives_say_which_branch_was_read() -> None:
    spec = read(ALTERNATIVES)["model"]
    assert isinstance(spec, ModelSpec)
    lines = [note.split(":")[0] for note in spec.notes]
    assert lines == ["line 6", "line 11", "line 12"]
    assert all("without a GPU" in note for note in spec.notes)


def test_unbuilt_embedding_models_say_how_they_were_read() -> None:
    specs = read(TEXT_CLASSIFIERS)
    (imdb_note,) = specs["imdb"].notes
    assert "(None, 80) as Keras 2 built it" in imdb_note and "Keras 3 ignores input_length" in imdb_note
    (free_note,) = specs["free"].notes
    assert "(None, None)" in free_note and "--input-shape T" in free_note


def test_function_never_called_is_a_warning_and_one_called_is_not() -> None:
    text = HEADER + "def build(u):\n    return Sequential([Input(shape=(2, 3)), layers.LSTM(u)])\n"
    found = extract_python(text, "m.py")
    (warning,) = found.warnings
    assert isinstance(warning, Skipped) and "inside function 'build'" in warning.message and "never calls it" in warning.message
    found = extract_python(text + "m = build(4)\n", "m.py")
    assert found.warnings == [] and isinstance(dict(found.models)["m"], ModelSpec)


SKIPPED = [
    # A function that adds layers, called where rnnshape cannot tell how often.
    ("def grow(m):\n    m.add(layers.Dense(2))\n" "m = Sequential([Input(shape=(3,))])\n" "if np.random.rand() > 0.5:\n    grow(m)\n",
     "it is passed under a condition to grow(), which may change its layers"),
    # The returned model depends on a run-time condition.
    ("def build():\n    if np.random.rand() > 0.5:\n        return Sequential([Input(shape=(3,)), layers.Dense(1)])\n"
     "    return Sequential([Input(shape=(3,)), layers.Dense(2)])\n" "m = build()\nm.add(layers.Dense(4))\n", None),
    # Recursion is cut at a fixed depth.
    ("def deep(n):\n    return deep(n + 1)\n" "m = Sequential([Input(shape=(3,)), layers.Dense(deep(0))])\n", "calls deep (recursion)"),
    # A loop over values known only at run time.
    ("import sys\nm = Sequential([Input(shape=(3,))])\nfor w in sys.argv:\n    m.add(layers.Dense(int(w)))\n",
     "layers are added to it in a loop"),
]


@pytest.mark.parametrize("code,reason", SKIPPED)
def test_what_cannot_be_known_is_skipped_with_its_reason(code: str, reason: str | None) -> None:
    specs = read(HEADER + code)
    skipped = [s for s in specs.values() if isinstance(s, Skipped)]
    if reason is None:  # the model the function returns may be either one: not shown as read
        assert list(specs) == ["sequential"] and isinstance(specs["sequential"], Skipped)
        assert "the function returns under a condition" in specs["sequential"].message
        return
    assert skipped and reason in skipped[-1].message, specs


def test_calls_that_keep_the_architecture_never_break_a_model() -> None:
    text = HEADER + (
        "m = Sequential([Input(shape=(4, 2)), layers.LSTM(3)])\n"
        "import sys\n"
        "if len(sys.argv) > 1:\n    m.compile(loss='mse')\n    m.fit(np.zeros((1, 4, 2)), np.zeros((1, 3)))\n"
        "for arg in sys.argv:\n    m.summary()\n    m.save('m.keras')\n    m.load_weights('w.h5')\n    print(m)\n"
        "    keras.utils.plot_model(m)\n"
    )
    assert isinstance(read(text)["m"], ModelSpec)


def test_the_step_budget_bounds_unrolling() -> None:
    text = HEADER + (
        "m = Sequential([Input(shape=(3,))])\n"
        "for i in range(5000):\n    for j in range(5000):\n        m.add(layers.Dense(1))\n"
    )
    (entry,) = read(text).values()
    assert isinstance(entry, Skipped) and "in a loop (more than 20,000 steps to unroll)" in entry.message


def test_a_function_not_followed_still_skips_the_model_it_may_change() -> None:
    text = HEADER + (
        "def boom(n):\n    return boom(n) + boom(n)\n"
        "def grow(m):\n    m.add(layers.Dense(1))\n"
        "m = Sequential([Input(shape=(3,))])\nx = boom(1)\ngrow(m)\n"
        "ok = Sequential([Input(shape=(3,)), layers.Dense(2)])\n"
    )
    specs = read(text)
    assert isinstance(specs["ok"], ModelSpec)
    assert isinstance(specs["m"], Skipped)
    assert "passed to grow(), which is not followed: the file used up its 20,000 steps" in specs["m"].message


def test_keras2_positional_input_is_an_error_keras3_gives(keras: Any) -> None:
    text = HEADER + "a = Input(1, 68)\nm = Model(a, layers.Dense(2)(a))\n"
    (entry,) = read(text).values()
    assert not isinstance(entry, (ModelSpec, Skipped)) and entry.exit_code == 1
    assert "Cannot convert '1' to a shape" in entry.message and entry.hint == "write keras.Input(shape=(1,), batch_size=68)"
    with pytest.raises(ValueError, match="Cannot convert '1' to a shape"):
        keras.Input(1, 68)


def test_lambda_in_a_python_file_takes_assume(tmp_path: Any, cli: Any) -> None:
    path = tmp_path / "lam.py"
    path.write_text(
        HEADER + "inp = Input(shape=(10, 3))\nx = layers.LSTM(8, return_sequences=True)(inp)\n"
        "x = layers.Lambda(lambda t: t[:, -1, :])(x)\nmodel = Model(inp, layers.Dense(1)(x))\n"
    )
    refused = cli("explain", str(path))
    assert refused.code == 1 and "Lambda is a Keras layer" in refused.stderr and "--assume lambda=SHAPE" in refused.stderr
    assumed = cli("explain", str(path), "--assume", "lambda=None,8", "-f", "json")
    assert assumed.code == 0, assumed.stderr
    assert '"total_params": 393' in assumed.stdout  # LSTM 384 + Dense 9, as Keras counts this model


@pytest.mark.parametrize("case", ["nested", "functions", "loops", "plumbing"])
def test_check_builds_the_models_read_from_each_idiom(case: str, tmp_path: Any, cli: Any) -> None:
    path = tmp_path / f"{case}.py"
    path.write_text(CASES[case][0])
    result = cli("check", str(path))
    assert result.code == 0, result.stdout + result.stderr
    assert "mismatch" not in result.stdout.lower()
    checked = re.search(r"(\d+) models checked: (\d+) agree\n", result.stdout)
    assert checked is not None and checked.group(1) == checked.group(2) and int(checked.group(1)) >= len(CASES[case][1])
