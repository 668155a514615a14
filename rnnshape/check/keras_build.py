"""Build a real Keras 3 model from a ``ModelSpec`` (the only TensorFlow-importing package).

Every layer is constructed from the user's own arguments (never rnnshape's filled-in
defaults), so Keras applies its own defaults and the comparison is honest.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import replace
from typing import Any, Callable, Iterator, Mapping

from ..errors import MissingDependency
from ..layers import REGISTRY
from ..layers.base import LayerDef, resolve_args
from ..layers.tensor_op_rules import decode_key
from ..layers.tensor_ops import BY_KEY, TensorOp
from ..layers.core import input_batch_shape
from ..graph import TensorTable, map_children, nested_model, steps
from ..spec import Call, LayerSpec, ModelSpec, TensorRef
from .keras_args import keras_arguments, registry_entry


def import_keras() -> Any:
    """Import Keras lazily, quietly, or say how to install it (exit code 4)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    try:
        with quiet_native_stderr():
            import keras
    except ImportError:
        raise MissingDependency(
            "this needs TensorFlow/Keras 3, which is not installed",
            hint="pip install 'rnnshape[keras]'",
        ) from None
    return keras


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hold back what TensorFlow's C++ side writes to file descriptor 2 (absl/oneDNN/CUDA
    banners that TF_CPP_MIN_LOG_LEVEL no longer silences); replay it if something fails.
    ``RNNSHAPE_TF_LOGS=1`` lets it through."""
    if os.environ.get("RNNSHAPE_TF_LOGS") == "1":
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if failed:
                sink.seek(0)
                sys.stderr.write(sink.read().decode("utf-8", "replace"))


def make_layer(keras: Any, spec: LayerSpec) -> Any:
    """A Keras layer object from a spec; nested layer specs become layer objects too, and a
    nested model (``{"model": ModelSpec}``, a model used as a layer) a Keras model.

    Only registry classes with registry-checked, plain arguments (``keras_args``).
    """
    inner = nested_model(spec)
    if inner is not None:
        name = spec.name or inner.name
        if spec.class_name == "Sequential" and inner.sequential:
            (first,) = inner.inputs
            stack = [keras.Input(batch_shape=input_batch_shape(first)), *(make_layer(keras, c.layer) for c in inner.calls)]
            return keras.Sequential(stack, name=name)
        return build_model(keras, replace(inner, name=name))
    made = map_children(keras_arguments(spec), lambda inner: make_layer(keras, inner))
    kwargs = {k: _value(v) for k, v in made.items()}
    return keras_layer_class(keras, registry_entry(spec))(**kwargs)


def keras_layer_class(keras: Any, layer_def: LayerDef) -> Any:
    """The Keras class of a registry entry: the one place a class name meets ``keras``.

    The name comes from rnnshape's own registry, never from a file (the entry must be
    the registry's own object), so nothing a file names is looked up in Keras.
    """
    if REGISTRY.get(layer_def.class_name) is not layer_def:
        raise ValueError(f"{layer_def.class_name} is not an entry of rnnshape's registry")
    # Only a Layer subclass is ever called: never a function, module or other attribute of that name.
    cls = getattr(keras.layers, layer_def.class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, keras.layers.Layer)):
        raise ValueError(f"Keras {keras.__version__} has no layer class keras.layers.{layer_def.class_name}")
    return cls


def _value(value: Any) -> Any:
    if isinstance(value, list):
        items = [_value(v) for v in value]
        # Shapes and tuples of sizes are tuples in Keras's signatures.
        return tuple(items) if all(isinstance(i, (int, type(None))) for i in items) else items
    return value


def build_model(keras: Any, model: ModelSpec) -> Any:
    """A Functional Keras model with the same layers, names and wiring as ``model``."""
    return build_graph(keras, model)[0]


def build_graph(keras: Any, model: ModelSpec) -> tuple[Any, dict[TensorRef, Any]]:
    """The Functional model plus every symbolic tensor of the graph, by ``TensorRef``.

    ``check`` uses the tensors to build a probe model that outputs every layer's output.
    """
    tensors: TensorTable[Any] = TensorTable(_no_tensor)
    inputs = []
    for inp in model.inputs:
        shape = input_batch_shape(inp)
        kwargs: dict[str, Any] = {"batch_shape": shape, "name": inp.name}
        if isinstance(inp.args.get("dtype"), str):
            kwargs["dtype"] = inp.args["dtype"]
        tensor = keras.Input(**kwargs)
        tensors.add_input(inp, tensor)
        inputs.append(tensor)
    layers: dict[str, Any] = {}
    op_outputs: set[TensorRef] = set()
    for step in steps(model):
        call, name = step.call, step.name
        args = tensors.inputs(call)
        tensor_op = BY_KEY.get(call.layer.class_name)
        if tensor_op is not None:  # keras.ops.reshape(x, ...), x + y: the same operation again
            tensors.add_outputs(step, _flatten([apply_op(keras.ops, tensor_op, args, call.layer)]))
            continue
        op = MASK_OPS.get(call.layer.class_name)
        if op is not None:
            # A mask operation Keras recorded: applied with keras.ops so the probe can
            # measure it, while the model's own layers make their masks themselves.
            tensors.add_outputs(step, [op(keras.ops, args, call.layer.args)])
            op_outputs.add(step.output(0))
            continue
        layer = layers.get(name)
        if layer is None:
            layer = layers[name] = make_layer(keras, call.layer)
        kwargs = {}
        if call.initial_state:
            kwargs["initial_state"] = tensors.initial_state(call)
        # Keyword tensors (``key=``, ``mask=``); a mask from a recorded mask op is left to
        # Keras's own mask propagation, exactly as when the model was first built.
        for key, ref in call.kwarg_inputs:
            if not (key == "mask" and ref in op_outputs):
                kwargs[key] = tensors.get(ref, call)
        result = layer(args if call.as_list else args[0], *args[1:] if not call.as_list else (), **kwargs)
        outputs = list(result) if isinstance(result, (list, tuple)) else [result]
        tensors.add_outputs(step, _flatten(outputs))
    outs = tensors.outputs(model)
    keras_model = keras.Model(
        inputs if len(inputs) > 1 else inputs[0], outs if len(outs) > 1 else outs[0], name=model.name
    )
    return keras_model, tensors.values


def _no_tensor(ref: TensorRef, call: Call | None) -> ValueError:
    return ValueError(f"the graph has no tensor {ref.layer}[{ref.node}][{ref.tensor}] (no earlier call produces it)")


def apply_op(ops: Any, op: TensorOp, tensors: list[Any], spec: LayerSpec) -> Any:
    """A tensor operation through its ``keras.ops`` function: the function is named by the
    registry entry (never by a file), its arguments are the registry-checked ones."""
    resolve_args(op.layer, spec)  # raises ArgumentError on anything the entry does not accept
    given = dict(spec.args)
    feed = iter(tensors)
    positional: list[Any] = []
    for param in op.tensors:
        if op.as_list:
            positional.append(list(tensors))
        elif given.get(param) is not None:  # the constant of ``x * 2``
            positional.append(given.pop(param))
        else:
            positional.append(next(feed))
    if "key" in given:
        key = decode_key(given.pop("key"))
        positional.append(key[0] if len(key) == 1 else key)
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items() if k not in op.tensors}
    return getattr(ops, op.function)(*positional, **kwargs)


def _not_equal(ops: Any, args: list[Any], cfg: Mapping[str, Any]) -> Any:
    return ops.not_equal(args[0], args[1] if len(args) > 1 else 0)


def _any(ops: Any, args: list[Any], cfg: Mapping[str, Any]) -> Any:
    return ops.any(args[0], axis=cfg.get("axis"), keepdims=bool(cfg.get("keepdims", False)))


def _convert(ops: Any, args: list[Any], cfg: Mapping[str, Any]) -> Any:
    return ops.cast(args[0], args[0].dtype)


# The graph operations Keras 3 records for masks in Functional configs (not layers).
MASK_OPS: dict[str, Callable[[Any, list[Any], Mapping[str, Any]], Any]] = {
    "NotEqual": _not_equal,
    "Any": _any,
    "ConvertToTensor": _convert,
}


def _flatten(items: list[Any]) -> list[Any]:
    """Nested state lists (stacked cells) flatten into consecutive tensor indices."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            flat += _flatten(list(item))
        else:
            flat.append(item)
    return flat
