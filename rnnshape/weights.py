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
import math
import os
import stat
import zipfile
import zlib
from typing import Any, Mapping, Sequence

import numpy as np

from . import limits
from .errors import FormatError, MissingDependency, Position
from .formats.registry import KERAS

# Nested owners of a layer's variables, in the order Keras lists their weights.
CHILD_ORDER = ("cell", "forward_layer", "backward_layer", "layer", "cells")


Expected = Mapping[str, Sequence[tuple[int, ...]]]


def read_weights(path: str, expected: Expected | None = None) -> dict[str, list[np.ndarray]]:
    """{layer name: [arrays]} from a .keras, .weights.h5 or legacy .h5 file.

    ``expected`` (layer name -> weight shapes, from rnnshape's report) bounds what is read:
    a dataset is read only when its layer and shape are ones the model has; any other
    dataset stands in as a zero-cost view of its shape (so a mismatch is still reported)
    and costs no memory. Every dataset is checked before reading (see ``_Reader``).
    """
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
    reader = _Reader(h5py, pos, expected, max_bytes)
    try:
        if KERAS.named(path):  # a zip holding model.weights.h5
            with h5py.File(io.BytesIO(_archive_weights(path, pos, max_bytes)), "r") as handle:
                return reader.keras3(handle)
        with h5py.File(path, "r") as handle:
            if "model_weights" in handle:
                return reader.legacy(reader.child(handle, "model_weights"))
            if "layers" in handle:
                return reader.keras3(handle)
            if "layer_names" in handle.attrs:  # legacy save_weights: layer groups at the root
                return reader.legacy(handle)
    except KeyError as err:
        raise FormatError(f"has no weights where Keras puts them ({err})", pos=pos) from None
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, RuntimeError, TypeError, zlib.error) as err:
        text = " ".join(str(err).split()) or type(err).__name__
        raise FormatError(f"cannot be read as a Keras weights file: {text}", pos=pos) from None
    except RecursionError:
        raise FormatError("cannot be read as a Keras weights file: groups nested too deeply", pos=pos) from None
    raise FormatError("holds no Keras weights (no 'layers' or 'model_weights' group)", pos=pos)


def _archive_weights(path: str, pos: Position, max_bytes: int) -> bytes:
    """``model.weights.h5`` of a .keras zip, under the same member and ratio rules as config.json."""
    from .formats.keras_archive import checked_members

    with zipfile.ZipFile(path) as archive:
        infos = checked_members(archive, path)
        info = infos.get("model.weights.h5")
        if info is None:
            raise FormatError("has no weights where Keras puts them (no model.weights.h5 in the archive)", pos=pos)
        if info.file_size > max_bytes:
            raise FormatError(
                limits.exceeded(limits.WEIGHTS_BYTES, f"its model.weights.h5 is {info.file_size:,} bytes"), pos=pos
            )
        ratio = limits.value(limits.ZIP_RATIO)
        if info.compress_size and info.file_size / info.compress_size > ratio:
            raise FormatError(
                limits.exceeded(
                    limits.ZIP_RATIO, f"model.weights.h5 is compressed {info.file_size // info.compress_size}:1 (a zip bomb?)"
                ),
                pos=pos,
            )
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
        if len(data) != info.file_size:
            raise FormatError("model.weights.h5 is not the size its header says", pos=pos)
        return data


class _Reader:
    """Walks an HDF5 weights file following only hard links, reading only checked datasets.

    Refused: external and soft links (a file must not reach outside itself or loop),
    external raw storage and virtual datasets (their bytes live in other files), and
    datasets that are not plain numbers. A dataset is read only when the model expects
    its shape, and all reads together stay under ``RNNSHAPE_MAX_WEIGHTS_BYTES``.
    """

    def __init__(self, h5py: Any, pos: Position, expected: Expected | None, max_bytes: int) -> None:
        self.h5py, self.pos, self.expected, self.left = h5py, pos, expected, max_bytes

    def child(self, group: Any, path: str) -> Any:
        """``group[path]``, one hard link at a time."""
        node = group
        for part in path.split("/"):
            if not part:
                continue
            link = node.get(part, getlink=True)
            if link is None:
                raise KeyError(path)
            if not isinstance(link, self.h5py.HardLink):
                kind = "an external link" if isinstance(link, self.h5py.ExternalLink) else "a soft link"
                where = f"{node.name.rstrip('/')}/{part}"
                raise FormatError(f"'{_short(where)}' is {kind}; weights files must hold their data themselves", pos=self.pos)
            node = node[part]
        return node

    def read(self, dataset: Any, layer: str, index: int) -> np.ndarray:
        name = _short(dataset.name)
        if not isinstance(dataset, self.h5py.Dataset):
            raise FormatError(f"'{name}' is not a dataset", pos=self.pos)
        if dataset.is_virtual or dataset.external:
            raise FormatError(f"'{name}' keeps its data in other files (external storage or a virtual dataset); refused", pos=self.pos)
        dtype = dataset.dtype
        if dtype.kind not in "fiub" or dtype.fields is not None or dtype.subdtype is not None:
            raise FormatError(f"'{name}' holds {dtype}, not numbers", pos=self.pos)
        shape = tuple(int(d) for d in (dataset.shape or ()))
        wanted = self.expected.get(layer) if self.expected is not None else None
        if self.expected is not None and (wanted is None or index >= len(wanted) or tuple(wanted[index]) != shape):
            return np.broadcast_to(np.zeros((), dtype), shape)  # not the model's: a shape, never read
        size = math.prod(shape) * dtype.itemsize
        if size > self.left:
            raise FormatError(limits.exceeded(limits.WEIGHTS_BYTES, f"'{name}' would need {size:,} more bytes"), pos=self.pos)
        self.left -= size
        return np.asarray(dataset[()])

    def keras3(self, handle: Any) -> dict[str, list[np.ndarray]]:
        out: dict[str, list[np.ndarray]] = {}
        layers = self.child(handle, "layers")
        for key in layers:
            group = self.child(layers, key)
            name = key
            if "vars" in group and "name" in group["vars"].attrs:
                name = _text(group["vars"].attrs["name"])
            out[name] = self._collect(group, name, [])
        return out

    def _collect(self, group: Any, layer: str, arrays: list[np.ndarray]) -> list[np.ndarray]:
        """A layer's variables: its own ``vars`` first, then nested owners in Keras's order."""
        if "vars" in group:
            vars_ = self.child(group, "vars")
            for index in sorted(vars_, key=_as_int):
                arrays.append(self.read(self.child(vars_, index), layer, len(arrays)))
        children = [c for c in group if c != "vars" and isinstance(self.child(group, c), self.h5py.Group)]
        children.sort(key=lambda c: (CHILD_ORDER.index(c) if c in CHILD_ORDER else len(CHILD_ORDER), _as_int(c), c))
        for child in children:
            self._collect(self.child(group, child), layer, arrays)
        return arrays

    def legacy(self, group: Any) -> dict[str, list[np.ndarray]]:
        out: dict[str, list[np.ndarray]] = {}
        for name in _names(group.attrs, "layer_names"):
            layer = self.child(group, name)
            weight_names = _names(layer.attrs, "weight_names")
            out[name] = [self.read(self.child(layer, w), name, i) for i, w in enumerate(weight_names)]
        return out


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        raise MissingDependency("reading Keras weight files needs h5py", hint="pip install h5py") from None
    return h5py


def _as_int(text: str) -> int:
    return int(text) if text.isdigit() else -1


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
