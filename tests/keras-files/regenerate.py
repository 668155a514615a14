"""Rebuild the real Keras files in this folder (run by hand, never by the tests).

    python tests/keras-files/regenerate.py [OUT_DIR]        # Keras 3 files (TensorFlow + keras 3)
    python tests/keras-files/regenerate.py --keras2 [OUT]   # Keras 2 files (needs tf_keras)

Each model is built with real Keras and written the ways users save models: ``to_json()``,
a ``.keras`` archive (with its config/metadata members and weight tree dumped beside it),
a legacy ``.h5`` (with its ``model_config`` attribute and tree) and ``save_weights``.
Weights are random, so regenerated binaries differ byte for byte from the committed ones;
architectures and shapes do not (automatic layer names may be numbered differently). The ``trimmed_*`` files are hand-made excerpts of the full
JSON files (keys removed) and ``k2_old_style_2.2.4.json`` is a Keras 2.2.4-era config: both
are kept as they are and are not produced here.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
T, D = 10, 8  # timesteps and features of every reference model


def _models(k: Any) -> dict[str, Any]:
    """The reference architectures, in either Keras generation's API (``k`` is the package)."""
    L = k.layers
    keras2 = not hasattr(k, "ops")
    first = {"input_shape": (T, D)} if keras2 else {}
    seq_layers = [L.LSTM(16, return_sequences=True, **first), L.Dropout(0.2), L.GRU(8), L.Dense(1, activation="sigmoid")]
    if not keras2:
        seq_layers.insert(0, k.Input(shape=(T, D)))
    models = {"seq_rnn": k.Sequential(seq_layers, name="seq_rnn")}

    # Functional: masking, return_state, Bidirectional, a shared layer, attention, merges.
    tokens = k.Input(shape=(None,), dtype="int32", name="tokens")
    seq_out, h, c = L.LSTM(6, return_sequences=True, return_state=True, name="enc")(
        L.Embedding(100, 8, mask_zero=True, name="emb")(tokens)
    )
    shared = L.Dense(4, name="shared")
    query = shared(L.Bidirectional(L.GRU(5, return_sequences=True), name="bi")(seq_out))
    value = shared(L.Dense(10, name="proj")(seq_out))
    pooled = L.GlobalAveragePooling1D(name="gap")(L.Attention(name="att")([query, value]))
    out = L.Dense(3, activation="softmax", name="out")(L.Concatenate(name="cat")([pooled, h, c]))
    models["func_rnn"] = k.Model(tokens, out, name="func_rnn")

    # Encoder-decoder with initial_state (how each generation records extra call arguments).
    enc_in = k.Input((T, D), name="enc_in")
    dec_in = k.Input((None, 3), name="dec_in", **({} if keras2 else {"batch_size": 4}))
    _, h, c = L.LSTM(5, return_state=True, name="enc")(enc_in)
    dec = L.LSTM(5, return_sequences=True, name="dec")(dec_in, initial_state=[h, c])
    outputs = [L.TimeDistributed(L.Dense(3), name="td")(dec), L.Dense(1, name="aux")(h)]
    models["seq2seq"] = k.Model([enc_in, dec_in], outputs, name="seq2seq")

    models["seq_unbuilt"] = k.Sequential([L.LSTM(4), L.Dense(1)], name="seq_unbuilt")
    if keras2:
        stateful = [L.LSTM(4, stateful=True, batch_input_shape=(2, T, D)), L.Dense(1)]
        models["seq_stateful"] = k.Sequential(stateful, name="seq_stateful")
    else:
        with_kw = [L.LSTM(4, input_shape=(T, D)), L.Dense(1)]  # the legacy keyword Keras 3 still reads
        models["seq_input_shape_kw"] = k.Sequential(with_kw, name="seq_input_shape_kw")
    return models


def _h5_tree(path: Path) -> str:
    import h5py

    lines: list[str] = []

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset):
            lines.append(f"{name}  dataset shape={obj.shape} dtype={obj.dtype}")
        else:
            lines.append(f"{name}/  attrs={sorted(obj.attrs)}")

    with h5py.File(path, "r") as f:
        lines.append(f"/  attrs keys={sorted(f.attrs)}")
        f.visititems(visit)
    return "\n".join(lines) + "\n"


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def keras3(out: Path) -> None:
    import keras

    models = _models(keras)
    for name in ("seq_rnn", "func_rnn", "seq_unbuilt", "seq_input_shape_kw"):
        _dump(out / f"{name}.to_json.json", json.loads(models[name].to_json()))
    _dump(out / "k3_extra_seq2seq.json", json.loads(models["seq2seq"].to_json()))
    for name in ("seq_rnn", "func_rnn"):
        model = models[name]
        model.compile(optimizer="adam", loss="mse")
        archive = out / f"{name}.keras"
        model.save(archive)
        with zipfile.ZipFile(archive) as z:
            _dump(out / f"{name}.keras.config.json", json.loads(z.read("config.json")))
            _dump(out / f"{name}.keras.metadata.json", json.loads(z.read("metadata.json")))
            (out / f"{name}.model.weights.h5").write_bytes(z.read("model.weights.h5"))
        (out / f"{name}.keras.weights_tree.txt").write_text(_h5_tree(out / f"{name}.model.weights.h5"))
        legacy = out / f"{name}.legacy.h5"
        model.save(legacy)  # the .h5 suffix selects the legacy format
        (out / f"{name}.legacy_h5_tree.txt").write_text(_h5_tree(legacy))
        import h5py

        with h5py.File(legacy, "r") as f:
            _dump(out / f"{name}.legacy_h5.model_config.json", json.loads(f.attrs["model_config"]))
    models["seq_rnn"].save_weights(out / "seq_rnn.weights.h5")
    (out / "seq_rnn.save_weights_tree.txt").write_text(_h5_tree(out / "seq_rnn.weights.h5"))
    _wrapper_configs(keras, out)


def _wrapper_configs(keras: Any, out: Path) -> None:
    """Serialized wrappers and cells as Keras 3 nests them (``k3_extra_*.json``)."""
    L = keras.layers
    wrappers: dict[str, Callable[[], Any]] = {
        "bidir": lambda: L.Bidirectional(L.GRU(4, return_sequences=True, reset_after=False), merge_mode="sum"),
        "bidir_backward": lambda: L.Bidirectional(L.LSTM(4), backward_layer=L.LSTM(4, go_backwards=True)),
        "td": lambda: L.TimeDistributed(L.Dense(2)),
        "rnn_cell": lambda: L.RNN(L.LSTMCell(3), return_sequences=True),
        "rnn_stacked": lambda: L.RNN([L.LSTMCell(3), L.GRUCell(2)]),
    }
    for name, make in wrappers.items():
        layer = make()
        layer(keras.Input((T, D)))
        _dump(out / f"k3_extra_{name}.json", keras.saving.serialize_keras_object(layer))


def keras2(out: Path) -> None:
    import tf_keras

    models = _models(tf_keras)
    for name in ("seq_rnn", "seq_stateful", "seq_unbuilt", "func_rnn", "seq2seq"):
        _dump(out / f"k2_{name}.to_json.json", json.loads(models[name].to_json()))
    for name in ("seq_rnn", "func_rnn"):
        path = out / f"k2_{name}.h5"
        models[name].save(path)
        (out / f"k2_{name}.h5_tree.txt").write_text(_h5_tree(path))


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--keras2"]
    out = Path(args[0]) if args else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    (keras2 if "--keras2" in argv else keras3)(out)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
