"""The layer registry: Keras class name -> its entry, each entry one ``LayerDef`` in a
module of this package.

``WHERE`` names the module that defines each entry, in the order ``rnnshape layers``
lists them. A module is imported the first time one of its classes is looked up, so
explaining a model of an LSTM and a Dense imports the recurrent and core entries, not
the attention, convolution or text-lookup ones. Names alone ("is this a layer?", "did
you mean ...?") need no module. ``tests/test_layer_facts.py`` checks that ``WHERE``
lists every entry the modules define, each under its own module.

Adding a layer: its entry in its module (see ``base.py``), and its line here.
"""

from __future__ import annotations

from importlib import import_module
from typing import Iterator, Mapping

from ..errors import Position, UnknownLayer
from ..records import record
from .base import LayerDef, did_you_mean

# Class name -> the module (of rnnshape.layers) that defines its entry.
WHERE: dict[str, str] = {
    "InputLayer": "core",
    "SimpleRNN": "recurrent",
    "LSTM": "recurrent",
    "GRU": "recurrent",
    "Dense": "core",
    "Dropout": "core",
    # Wrappers, the generic RNN and its cells, ConvLSTM.
    "Bidirectional": "wrappers",
    "TimeDistributed": "wrappers",
    "RNN": "cells",
    "SimpleRNNCell": "cells",
    "LSTMCell": "cells",
    "GRUCell": "cells",
    "StackedRNNCells": "cells",
    "ConvLSTM1D": "conv",
    "ConvLSTM2D": "conv",
    "ConvLSTM3D": "conv",
    # Around recurrent layers: inputs, convolution, pooling, reshaping.
    "Embedding": "embedding",
    "Masking": "embedding",
    "Conv1D": "conv",
    "MaxPooling1D": "pooling",
    "AveragePooling1D": "pooling",
    "GlobalAveragePooling1D": "pooling",
    "GlobalMaxPooling1D": "pooling",
    "Flatten": "reshaping",
    "Reshape": "reshaping",
    "RepeatVector": "reshaping",
    "Permute": "reshaping",
    "SpatialDropout1D": "reshaping",
    "Activation": "reshaping",
    "LayerNormalization": "normalization",
    "BatchNormalization": "normalization",
    "Attention": "attention",
    "AdditiveAttention": "attention",
    "MultiHeadAttention": "attention",
    "Concatenate": "merge",
    "Add": "merge",
    "Subtract": "merge",
    "Multiply": "merge",
    "Average": "merge",
    "Maximum": "merge",
    "Minimum": "merge",
    "Dot": "merge",
    # Around recurrent layers in real code: images and video, text preprocessing,
    # activation and noise layers, other normalisations.
    "Conv2D": "conv",
    "Conv3D": "conv",
    "MaxPooling2D": "pooling",
    "AveragePooling2D": "pooling",
    "MaxPooling3D": "pooling",
    "AveragePooling3D": "pooling",
    "GlobalAveragePooling2D": "pooling",
    "GlobalMaxPooling2D": "pooling",
    "GlobalAveragePooling3D": "pooling",
    "GlobalMaxPooling3D": "pooling",
    "ZeroPadding1D": "time_resizing",
    "Cropping1D": "time_resizing",
    "UpSampling1D": "time_resizing",
    "TextVectorization": "text_lookup",
    "StringLookup": "text_lookup",
    "IntegerLookup": "text_lookup",
    "Normalization": "numeric_preprocessing",
    "CategoryEncoding": "numeric_preprocessing",
    "ReLU": "elementwise",
    "LeakyReLU": "elementwise",
    "PReLU": "elementwise",
    "ELU": "elementwise",
    "Softmax": "elementwise",
    "GaussianNoise": "elementwise",
    "GaussianDropout": "elementwise",
    "Identity": "elementwise",
    "GroupNormalization": "sample_normalization",
    "UnitNormalization": "sample_normalization",
    # Mask operations Keras 3 records in Functional graphs (not layers, but rows).
    "NotEqual": "ops",
    "Any": "ops",
    "ConvertToTensor": "ops",
    # keras.ops calls and operators on symbolic tensors (rows of Keras's summary too).
    "ops.one_hot": "tensor_ops",
    "ops.concatenate": "tensor_ops",
    "ops.stack": "tensor_ops",
    "ops.expand_dims": "tensor_ops",
    "ops.squeeze": "tensor_ops",
    "ops.reshape": "tensor_ops",
    "ops.transpose": "tensor_ops",
    "ops.sum": "tensor_ops",
    "ops.mean": "tensor_ops",
    "ops.max": "tensor_ops",
    "ops.min": "tensor_ops",
    "ops.prod": "tensor_ops",
    "ops.matmul": "tensor_ops",
    "ops.split": "tensor_ops",
    "ops.cast": "tensor_ops",
    "ops.add": "tensor_ops",
    "ops.subtract": "tensor_ops",
    "ops.multiply": "tensor_ops",
    "ops.true_divide": "tensor_ops",
    "ops.negative": "tensor_ops",
    "ops.get_item": "tensor_ops",
}


class Registry(Mapping[str, LayerDef]):
    """Class name -> entry, read from the entry's module the first time it is asked for.

    Iterating, ``len`` and ``in`` read ``WHERE`` only; looking an entry up (``[]``,
    ``get``, ``values``, ``items``) imports the module that defines it.
    """

    def __init__(self, where: Mapping[str, str]) -> None:
        self._where = where
        self._entries: dict[str, LayerDef] = {}

    def __getitem__(self, class_name: str) -> LayerDef:
        entry = self._entries.get(class_name)
        if entry is None:
            module_name = self._where[class_name]  # a KeyError for a class that has no entry
            self._load(module_name)
            entry = self._entries.get(class_name)
            if entry is None:  # a bug: tests/test_layer_facts.py keeps WHERE and the modules in step
                raise RuntimeError(f"rnnshape.layers.{module_name} defines no entry for {class_name}")
        return entry

    def __contains__(self, class_name: object) -> bool:
        return class_name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def _load(self, module_name: str) -> None:
        """Take every entry ``module_name`` defines (alone or in a tuple such as ``ELEMENTWISE``)."""
        for entry in module_entries(import_module(f"{__name__}.{module_name}")):
            if self._where.get(entry.class_name) == module_name:
                self._entries[entry.class_name] = entry


def module_entries(module: object) -> list[LayerDef]:
    """The layer entries a module holds at its top level, each once: alone, in a tuple, or as
    the ``layer`` of the items of a tuple (``tensor_ops.TENSOR_OPS``)."""
    found: dict[int, LayerDef] = {}
    for value in vars(module).values():
        for item in value if isinstance(value, tuple) else (value,):
            entry = item if isinstance(item, LayerDef) else getattr(item, "layer", None)
            if isinstance(entry, LayerDef):
                found[id(entry)] = entry
    return list(found.values())


REGISTRY: Mapping[str, LayerDef] = Registry(WHERE)

# Names that are not classes of their own in Keras 3 but mean one of ours.
ALIASES: dict[str, str] = {
    "Input": "InputLayer",
    # keras.layers exports these second names for the same classes.
    "Convolution1D": "Conv1D",
    "MaxPool1D": "MaxPooling1D",
    "AvgPool1D": "AveragePooling1D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D",
}


@record
class Removed:
    """A layer class Keras 3 no longer has, and the class that does its work now."""

    replacement: str
    why: str

    def __str__(self) -> str:
        return f"{self.replacement} ({self.why})"


# Layers that existed once and are gone: the class that replaces each, and why.
REMOVED: dict[str, Removed] = {
    "CuDNNLSTM": Removed("LSTM", "Keras 3 picks the cuDNN kernel by itself"),
    "CuDNNGRU": Removed("GRU", "Keras 3 picks the cuDNN kernel by itself"),
}


def current_class(class_name: str) -> str:
    """The Keras 3 class for ``class_name``: its replacement if it was removed, else itself."""
    removed = REMOVED.get(class_name)
    return removed.replacement if removed is not None else class_name


def find_layer_def(class_name: str) -> LayerDef | None:
    """The entry for ``class_name`` or one of its aliases; None for a class rnnshape does not know."""
    return REGISTRY.get(ALIASES.get(class_name, class_name))


def shown_class(class_name: str) -> str:
    """The class Keras shows for ``class_name`` (``Reshape`` for the operation ``ops.reshape``)."""
    found = find_layer_def(class_name)
    return found.shown_class if found is not None else class_name


def get_layer_def(class_name: str, *, pos: Position | None = None, name: str | None = None) -> LayerDef:
    """The registry entry for ``class_name``, or a SpecError that says what to do."""
    found = find_layer_def(class_name)
    if found is not None:
        return found
    if class_name in REMOVED:
        raise UnknownLayer(
            f"{class_name} was removed in Keras 3",
            class_name=class_name,
            removed=True,
            pos=pos,
            layer=name,
            hint=f"use {REMOVED[class_name]}",
        )
    from .keras_names import KERAS_LAYER_CLASSES  # a list of names, read only to explain a miss

    if class_name in KERAS_LAYER_CLASSES:
        raise UnknownLayer(
            f"{class_name} is a Keras layer that rnnshape does not support",
            class_name=class_name,
            in_keras=True,
            pos=pos,
            layer=name,
            hint="rnnshape cannot follow shapes through it; `rnnshape layers` lists the supported layers",
        )
    hint = did_you_mean(class_name, list(REGISTRY) + list(ALIASES))
    raise UnknownLayer(
        f"unknown layer class '{class_name}'",
        class_name=class_name,
        pos=pos,
        layer=name,
        hint=hint or "run `rnnshape layers` to list the supported layers",
    )
