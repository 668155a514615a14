"""Read trained weights from Keras files with h5py: ``.keras``, ``.weights.h5`` and legacy ``.h5``.

The result maps each Keras layer name to its arrays in ``layer.weights`` order, the
same shape of data ``layer.get_weights()`` gives. Layouts (keras-semantics §3.4/3.5):

* Keras 3 (``.weights.h5``, and ``model.weights.h5`` inside a ``.keras`` zip):
  ``layers/<key>/vars/0..n``, nested owners below (``cell``, ``forward_layer``,
  ``backward_layer``, ``layer``); the user's layer name is the attribute ``name`` of
  ``layers/<key>/vars``.
* legacy ``.h5``: ``model_weights`` lists ``layer_names``; each layer group lists its
  ``weight_names``, which are the dataset paths inside that group.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from typing import Any

import numpy as np

from . import limits
from .errors import FormatError, MissingDependency, Position
from .formats.registry import KERAS

# Nested owners of a layer's variables, in the order Keras lists their weights.
CHILD_ORDER = ("cell", "forward_layer", "backward_layer", "layer", "cells")


def read_weights(path: str) -> dict[str, list[np.ndarray]]:
    """{layer name: [arrays]} from a .keras, .weights.h5 or legacy .h5 file."""
    h5py = _h5py()
    pos = Position(path)
    try:
        info_ = os.stat(path)
    except (OSError, ValueError):
        raise FormatError("no such weights file", pos=pos) from None
    if not stat.S_ISREG(info_.st_mode):
        raise FormatError("is not a regular file", pos=pos)
    max_bytes = limits.value(limits.WEIGHTS_BYTES)
    if info_.st_size > max_bytes:
        raise FormatError(limits.exceeded(limits.WEIGHTS_BYTES, f"the file is {info_.st_size:,} bytes"), pos=pos)
    try:
        if KERAS.named(path):  # a zip holding model.weights.h5
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("model.weights.h5")
                if info.file_size > max_bytes:
                    raise FormatError(
                        limits.exceeded(limits.WEIGHTS_BYTES, f"its model.weights.h5 is {info.file_size:,} bytes"), pos=pos
                    )
                data = archive.read(info)
            with h5py.File(io.BytesIO(data), "r") as handle:
                return _keras3(handle, pos)
        with h5py.File(path, "r") as handle:
            if "model_weights" in handle:
                return _legacy(handle["model_weights"], pos)
            if "layers" in handle:
                return _keras3(handle, pos)
            if "layer_names" in handle.attrs:  # legacy save_weights: layer groups at the root
                return _legacy(handle, pos)
    except KeyError as err:
        raise FormatError(f"has no weights where Keras puts them ({err})", pos=pos) from None
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, RuntimeError, TypeError, zlib.error) as err:
        text = " ".join(str(err).split()) or type(err).__name__
        raise FormatError(f"cannot be read as a Keras weights file: {text}", pos=pos) from None
    except RecursionError:
        raise FormatError("cannot be read as a Keras weights file: groups nested too deeply", pos=pos) from None
    raise FormatError("holds no Keras weights (no 'layers' or 'model_weights' group)", pos=pos)


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        raise MissingDependency("reading Keras weight files needs h5py", hint="pip install h5py") from None
    return h5py


def _keras3(handle: Any, pos: Position) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    layers = handle["layers"]
    for key in layers:
        group = layers[key]
        name = key
        if "vars" in group and "name" in group["vars"].attrs:
            name = _text(group["vars"].attrs["name"])
        arrays = _collect(group)
        out[name] = arrays
    return out


def _collect(group: Any) -> list[np.ndarray]:
    """A layer's variables: its own ``vars`` first, then nested owners in Keras's order."""
    arrays: list[np.ndarray] = []
    if "vars" in group:
        vars_ = group["vars"]
        for index in sorted(vars_, key=_as_int):
            arrays.append(np.asarray(vars_[index][()]))
    children = [c for c in group if c != "vars" and hasattr(group[c], "keys")]
    children.sort(key=lambda c: (CHILD_ORDER.index(c) if c in CHILD_ORDER else len(CHILD_ORDER), _as_int(c), c))
    for child in children:
        arrays += _collect(group[child])
    return arrays


def _as_int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _legacy(group: Any, pos: Position) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    for name in _names(group.attrs, "layer_names"):
        layer = group[name]
        out[name] = [np.asarray(layer[w][()]) for w in _names(layer.attrs, "weight_names")]
    return out


def _names(attrs: Any, key: str) -> list[str]:
    """A string-list attribute, also when h5py split it into ``key0, key1, ...`` chunks."""
    if key in attrs:
        values = list(attrs[key])
    else:
        values, chunk = [], 0
        while f"{key}{chunk}" in attrs:
            values += list(attrs[f"{key}{chunk}"])
            chunk += 1
    return [_text(v) for v in values]


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
