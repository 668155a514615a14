"""The layer registry: an explicit dict from Keras class name to its entry."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Position, UnknownLayer
from .base import LayerDef, did_you_mean
from .attention import ADDITIVE_ATTENTION, ATTENTION, MULTI_HEAD_ATTENTION
from .cells import GRU_CELL, LSTM_CELL, RNN, SIMPLE_RNN_CELL, STACKED_RNN_CELLS
from .conv import CONV1D, CONV2D, CONV3D, CONV_LSTM1D, CONV_LSTM2D, CONV_LSTM3D
from .core import DENSE, DROPOUT, INPUT_LAYER
from .elementwise import ELEMENTWISE
from .embedding import EMBEDDING, MASKING
from .keras_names import KERAS_LAYER_CLASSES
from .merge import ADD, AVERAGE, CONCATENATE, DOT, MAXIMUM, MINIMUM, MULTIPLY, SUBTRACT
from .normalization import BATCH_NORMALIZATION, LAYER_NORMALIZATION
from .numeric_preprocessing import CATEGORY_ENCODING, NORMALIZATION
from .pooling import (
    AVERAGE_POOLING1D,
    AVERAGE_POOLING2D,
    AVERAGE_POOLING3D,
    GLOBAL_AVERAGE_POOLING1D,
    GLOBAL_AVERAGE_POOLING2D,
    GLOBAL_AVERAGE_POOLING3D,
    GLOBAL_MAX_POOLING1D,
    GLOBAL_MAX_POOLING2D,
    GLOBAL_MAX_POOLING3D,
    MAX_POOLING1D,
    MAX_POOLING2D,
    MAX_POOLING3D,
)
from .ops import OPS
from .tensor_ops import TENSOR_OPS
from .recurrent import GRU, LSTM, SIMPLE_RNN
from .sample_normalization import GROUP_NORMALIZATION, UNIT_NORMALIZATION
from .reshaping import ACTIVATION, FLATTEN, PERMUTE, REPEAT_VECTOR, RESHAPE, SPATIAL_DROPOUT1D
from .text_lookup import INTEGER_LOOKUP, STRING_LOOKUP, TEXT_VECTORIZATION
from .time_resizing import CROPPING1D, UP_SAMPLING1D, ZERO_PADDING1D
from .wrappers import BIDIRECTIONAL, TIME_DISTRIBUTED

REGISTRY: dict[str, LayerDef] = {
    d.class_name: d
    for d in (
        INPUT_LAYER,
        SIMPLE_RNN,
        LSTM,
        GRU,
        DENSE,
        DROPOUT,
        # Wrappers, the generic RNN and its cells, ConvLSTM.
        BIDIRECTIONAL,
        TIME_DISTRIBUTED,
        RNN,
        SIMPLE_RNN_CELL,
        LSTM_CELL,
        GRU_CELL,
        STACKED_RNN_CELLS,
        CONV_LSTM1D,
        CONV_LSTM2D,
        CONV_LSTM3D,
        # Around recurrent layers: inputs, convolution, pooling, reshaping.
        EMBEDDING,
        MASKING,
        CONV1D,
        MAX_POOLING1D,
        AVERAGE_POOLING1D,
        GLOBAL_AVERAGE_POOLING1D,
        GLOBAL_MAX_POOLING1D,
        FLATTEN,
        RESHAPE,
        REPEAT_VECTOR,
        PERMUTE,
        SPATIAL_DROPOUT1D,
        ACTIVATION,
        LAYER_NORMALIZATION,
        BATCH_NORMALIZATION,
        ATTENTION,
        ADDITIVE_ATTENTION,
        MULTI_HEAD_ATTENTION,
        CONCATENATE,
        ADD,
        SUBTRACT,
        MULTIPLY,
        AVERAGE,
        MAXIMUM,
        MINIMUM,
        DOT,
        # Around recurrent layers in real code: images and video, text preprocessing,
        # activation and noise layers, other normalisations.
        CONV2D,
        CONV3D,
        MAX_POOLING2D,
        AVERAGE_POOLING2D,
        MAX_POOLING3D,
        AVERAGE_POOLING3D,
        GLOBAL_AVERAGE_POOLING2D,
        GLOBAL_MAX_POOLING2D,
        GLOBAL_AVERAGE_POOLING3D,
        GLOBAL_MAX_POOLING3D,
        ZERO_PADDING1D,
        CROPPING1D,
        UP_SAMPLING1D,
        TEXT_VECTORIZATION,
        STRING_LOOKUP,
        INTEGER_LOOKUP,
        NORMALIZATION,
        CATEGORY_ENCODING,
        *ELEMENTWISE,
        GROUP_NORMALIZATION,
        UNIT_NORMALIZATION,
        # Mask operations Keras 3 records in Functional graphs (not layers, but rows).
        *OPS,
        # keras.ops calls and operators on symbolic tensors (rows of Keras's summary too).
        *(op.layer for op in TENSOR_OPS),
    )
}

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


@dataclass(frozen=True)
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
