"""Differential test: models built and saved by real Keras, read back by rnnshape.

A seeded generator makes random Sequential and Functional models from the
registered layers (several inputs and outputs, shared layers, ``initial_state``,
``return_state``, stacked recurrent layers, Keras defaults and explicit flags). Each
is saved in every format Keras writes (Keras 3: ``.keras``, ``to_json``, legacy
``.h5``; Keras 2 via tf_keras: ``to_json``, ``.h5``), and rnnshape's per-layer output
shapes and parameter counts must equal Keras's exactly (integers: no tolerance).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Callable

import pytest

from keras_truth import assert_same_rows, keras_rows, rnnshape_rows
from rnnshape.formats import load_file
from rnnshape.infer import infer_model

RNN_CLASSES = ("SimpleRNN", "LSTM", "GRU")
N_SEQUENTIAL = 8
N_FUNCTIONAL = 8


def _rnn_kwargs(rng: random.Random, cls: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"units": rng.randint(1, 9)}
    if rng.random() < 0.3:
        kwargs["use_bias"] = False
    if cls == "GRU" and rng.random() < 0.5:
        kwargs["reset_after"] = rng.random() < 0.5
    return kwargs


def random_sequential(K: Any, rng: random.Random, index: int) -> Any:
    T = rng.choice([None, rng.randint(1, 12)])
    D = rng.randint(1, 7)
    batch = rng.choice([None, None, rng.randint(1, 4)])
    layers: list[Any] = [K.Input(batch_shape=(batch, T, D))]
    depth = rng.randint(1, 3)
    for i in range(depth):
        cls = rng.choice(RNN_CLASSES)
        last = i == depth - 1
        kwargs = _rnn_kwargs(rng, cls)
        kwargs["return_sequences"] = (not last) or rng.random() < 0.3
        layers.append(getattr(K.layers, cls)(**kwargs))
        if rng.random() < 0.4:
            layers.append(K.layers.Dropout(rng.choice([0.1, 0.5])))
    layers.append(K.layers.Dense(rng.randint(1, 5), use_bias=rng.random() < 0.8))
    return K.Sequential(layers, name=f"seq_{index}")


def random_functional(K: Any, rng: random.Random, index: int) -> Any:
    """Encoder-decoder with states, a shared head, and two inputs and outputs."""
    cls = rng.choice(RNN_CLASSES)
    units = rng.randint(1, 8)
    enc_in = K.Input(shape=(rng.choice([None, 6]), rng.randint(1, 6)), name="enc_in")
    dec_in = K.Input(shape=(rng.choice([None, 4]), rng.randint(1, 6)), name="dec_in")
    enc_kwargs = {**_rnn_kwargs(rng, cls), "units": units, "return_state": True}
    enc_out, *states = getattr(K.layers, cls)(name="enc", **enc_kwargs)(enc_in)
    dec_kwargs = {**_rnn_kwargs(rng, cls), "units": units, "return_sequences": rng.random() < 0.5}
    dec = getattr(K.layers, cls)(name="dec", **dec_kwargs)(dec_in, initial_state=states)
    shared = K.layers.Dense(rng.randint(1, 5), name="shared")
    head_a = shared(enc_out)
    head_b = shared(states[0])  # a second call: node 1 of the shared layer
    outputs = [dec, head_a, head_b] if rng.random() < 0.5 else [dec, head_b]
    if rng.random() < 0.5:
        outputs.append(K.layers.Dropout(0.2, name="drop")(dec))
    return K.Model([enc_in, dec_in], outputs, name=f"func_{index}")


def _models(K: Any, seed: int) -> list[Any]:
    rng = random.Random(seed)
    made = [random_sequential(K, rng, i) for i in range(N_SEQUENTIAL)]
    made += [random_functional(K, rng, i) for i in range(N_FUNCTIONAL)]
    return made


def _save_all(model: Any, folder: Path, writers: dict[str, Callable[[Any, Path], None]]) -> list[Path]:
    paths = []
    for suffix, write in writers.items():
        path = folder / f"{model.name}{suffix}"
        write(model, path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def keras3_saved(keras: Any, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, list[Path]]]:
    folder = tmp_path_factory.mktemp("keras3")
    writers = {
        ".keras": lambda m, p: m.save(p),
        ".json": lambda m, p: p.write_text(m.to_json()),
        ".h5": lambda m, p: m.save(p),
    }
    return [(m, _save_all(m, folder, writers)) for m in _models(keras, seed=1234)]


@pytest.fixture(scope="module")
def keras2_saved(keras: Any, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, list[Path]]]:
    tf_keras = pytest.importorskip("tf_keras", reason="Keras 2 checks need tf_keras (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("keras2")
    writers = {
        ".json": lambda m, p: p.write_text(m.to_json()),
        ".h5": lambda m, p: m.save(p, save_format="h5"),
    }
    return [(m, _save_all(m, folder, writers)) for m in _models(tf_keras, seed=99)]


def test_keras3_saved_models_match_keras(keras3_saved: list[tuple[Any, list[Path]]]) -> None:
    checked = 0
    for model, paths in keras3_saved:
        theirs = keras_rows(model)
        for path in paths:
            (spec,) = load_file(str(path))
            assert spec.name == model.name
            assert_same_rows(rnnshape_rows(infer_model(spec)), theirs, skip_inputs=spec.sequential)
            checked += 1
    assert checked == 3 * (N_SEQUENTIAL + N_FUNCTIONAL)


def test_keras2_saved_models_match_tf_keras(keras2_saved: list[tuple[Any, list[Path]]]) -> None:
    checked = 0
    for model, paths in keras2_saved:
        theirs = keras_rows(model)
        for path in paths:
            (spec,) = load_file(str(path))
            report = infer_model(spec)
            assert_same_rows(rnnshape_rows(report), theirs, skip_inputs=True)
            assert report.total_params == model.count_params()
            checked += 1
    assert checked == 2 * (N_SEQUENTIAL + N_FUNCTIONAL)


def test_functional_connections_follow_keras(keras3_saved: list[tuple[Any, list[Path]]]) -> None:
    """The decoder's inbound tensors are its input then the encoder's states, as Keras lists them."""
    for model, paths in keras3_saved:
        if not model.name.startswith("func_"):
            continue
        report = infer_model(load_file(str(paths[1]))[0])
        dec = next(layer for layer in report.layers if layer.name == "dec")
        n_states = len(next(layer for layer in report.layers if layer.name == "enc").outputs) - 1
        assert dec.inbound == ("dec_in[0][0]", *(f"enc[0][{i}]" for i in range(1, n_states + 1)))
        shared = next(layer for layer in report.layers if layer.name == "shared")
        assert shared.params == model.get_layer("shared").count_params()
        # One inbound tensor per call that the model uses (weights counted once).
        config = json.loads(model.to_json())["config"]["layers"]
        calls = len(next(entry for entry in config if entry["name"] == "shared")["inbound_nodes"])
        assert len(shared.inbound) == calls


def test_mask_operation_rows_match_keras(keras: Any, tmp_path: Path) -> None:
    K = keras
    x = K.Input(shape=(7, 3), name="x")
    seq = K.layers.LSTM(4, return_sequences=True, name="lstm")(K.layers.Masking(name="masking")(x))
    tokens = K.Input(shape=(None,), dtype="int32", name="tokens")
    emb = K.layers.Embedding(20, 5, mask_zero=True, name="emb")(tokens)
    gru = K.layers.GRU(3, name="gru")(emb)
    model = K.Model([x, tokens], [seq, gru], name="masked")
    path = tmp_path / "masked.keras"
    model.save(path)
    report = infer_model(load_file(str(path))[0])
    assert_same_rows(rnnshape_rows(report), keras_rows(model))
    assert {"NotEqual", "Any"} <= {layer.class_name for layer in report.layers}
