"""Which imported names are Keras, and what they mean: layer classes, models, activations."""

from __future__ import annotations

from ..layers import REGISTRY
from ..spec import LayerSpec, snake_case
from .python_values import Const, Path, Value

# Top-level package names under which Keras lives (``keras``, ``tensorflow.keras``, ...).
KERAS_ROOTS = frozenset({"keras", "tf_keras"})
# ``keras.<namespace>.<Name>`` namespaces that hold layer classes.
LAYER_NAMESPACES = frozenset({"", "layers", "src"})
FUNCTIONAL_CLASSES = frozenset({"Model", "Functional"})
# What a class the file defines is, by its bases (``SourceReader.class_kind``).
CUSTOM_LAYER = "custom layer class"
SUBCLASSED_MODEL = "subclassed model"


def subclassed_model_reason(name: str, at: str) -> str:
    return f"subclassed model '{name}' defined at {at}: rnnshape reads only Sequential and functional models"


# keras.Input's own positional order (it differs from InputLayer's).
INPUT_POSITIONAL = ("shape", "batch_size", "dtype", "sparse", "batch_shape", "name", "tensor")

def might_define_model(text: str) -> bool:
    """The cheap pre-check: every Keras import spells ``keras``; files without it are skipped unparsed."""
    return "keras" in text


def keras_symbol(path: Path) -> tuple[str, str] | None:
    """``(namespace, name)`` for a Keras attribute path, e.g. ``("layers", "LSTM")``; else None."""
    parts = path.parts
    roots = [i for i, part in enumerate(parts) if part in KERAS_ROOTS]
    if not roots:
        return None
    tail = parts[roots[-1] + 1 :]
    if not tail:
        return None
    return (tail[0] if len(tail) > 1 else ""), tail[-1]


def merge_helper_class(sym: tuple[str, str] | None) -> str | None:
    """``keras.layers.concatenate`` (and add, multiply, ..., dot): the merge layer it builds."""
    if sym is None or sym[0] not in LAYER_NAMESPACES or not sym[1].islower():
        return None
    return _MERGE_HELPERS.get(sym[1])


# The lower-case functional helpers of keras.layers are the merge layers' snake-case names.
_MERGE_HELPERS = {snake_case(d.class_name): d.class_name for d in REGISTRY.values() if d.merge}


def activation_name(path: Path) -> str | None:
    """``keras.activations.relu`` or ``tf.nn.tanh`` used as a value means the string ``"relu"``."""
    sym = keras_symbol(path)
    if sym is not None and sym[0] == "activations":
        return sym[1]
    if len(path.parts) >= 3 and path.parts[0] == "tensorflow" and path.parts[-2] == "nn":
        return path.parts[-1]
    return None


# Layer arguments that change no shape and no parameter count.
SHAPE_FREE_SUFFIXES = ("_initializer", "_regularizer", "_constraint")
SHAPE_FREE_ARGS = frozenset({"weights", "dtype"})
DTYPE_NAMES = frozenset(
    {"float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool", "string"}
)


def shape_free(arg: str) -> bool:
    return arg in SHAPE_FREE_ARGS or arg.endswith(SHAPE_FREE_SUFFIXES)


def dtype_value(value: Value) -> Value:
    """``tf.int32`` / ``np.float32`` / ``keras.ops.int32`` as a value means the string ``"int32"``."""
    if isinstance(value, Path) and value.parts[-1] in DTYPE_NAMES and len(value.parts) > 1:
        return Const(value.parts[-1])
    return value


def input_layer_keras3(spec: LayerSpec) -> LayerSpec:
    """``InputLayer(input_shape=...)`` (Keras 2) means ``shape=``; the old spelling is kept as legacy."""
    if "input_shape" not in spec.args or "shape" in spec.args:
        return spec
    args = {("shape" if k == "input_shape" else k): v for k, v in spec.args.items()}
    arg_pos = {("shape" if k == "input_shape" else k): v for k, v in spec.arg_pos.items()}
    legacy = {**spec.legacy, "input_shape": spec.args["input_shape"]}
    return LayerSpec(spec.class_name, args, spec.name, spec.pos, arg_pos, legacy)
