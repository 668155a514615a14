"""What ``check`` may hand to Keras: registry classes, registry-checked arguments, plain data.

A model file is data, and Keras constructors act on some of their arguments (a
``TFSMLayer`` loads a SavedModel from a path, a ``StringLookup`` reads its vocabulary
file, a serialized object names a class for Keras to look up). So ``check`` builds a
layer only when:

- its class is an entry of rnnshape's registry (``rnnshape.layers.REGISTRY``);
- every argument it passes is one that entry declares, and ``infer`` has already
  checked it (``check`` builds only models rnnshape accepted);
- every value is plain data (None, bool, int, float, str and lists of them), a nested
  layer spec (built the same way), or a serialized Keras object of a kind listed here:
  a built-in initializer, regularizer, constraint, activation or dtype policy whose
  config is plain data. Anything else (a custom or unknown class, a callable, a nested
  object Keras would have to look up) refuses the model with ``NotBuilt``.

``plan_model`` runs all of this over a whole model before any Keras object exists.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..errors import RnnshapeError
from ..layers import ALIASES, REGISTRY
from ..layers.base import ACTIVATIONS, BASE_ARGS, LayerDef
from ..graph import layer_tree, nested_model
from ..spec import LayerSpec, ModelSpec

# Arguments rnnshape reads from the first layer but Keras 3 refuses on a layer.
INPUT_ONLY_ARGS = frozenset({"batch_input_shape", "batch_size"})

# Built-in classes of keras.initializers / regularizers / constraints (Keras 3 names and the
# lower-case aliases Keras 2 files use), by the suffix of the argument that takes them.
_INITIALIZERS = frozenset(
    """Constant GlorotNormal GlorotUniform HeNormal HeUniform Identity IdentityInitializer LecunNormal
    LecunUniform Ones Orthogonal OrthogonalInitializer RandomNormal RandomUniform TruncatedNormal
    VarianceScaling Zeros constant glorot_normal glorot_uniform he_normal he_uniform identity
    lecun_normal lecun_uniform normal one ones orthogonal random_normal random_uniform
    truncated_normal uniform variance_scaling zero zeros""".split()
)
_REGULARIZERS = frozenset("L1 L1L2 L2 OrthogonalRegularizer l1 l1l2 l2 orthogonal_regularizer".split())
_CONSTRAINTS = frozenset("MaxNorm MinMaxNorm NonNeg UnitNorm max_norm min_max_norm non_neg unit_norm".split())
SERIALIZED_KINDS: dict[str, frozenset[str]] = {
    "_initializer": _INITIALIZERS,
    "_regularizer": _REGULARIZERS,
    "_constraint": _CONSTRAINTS,
}
_DTYPE_POLICIES = frozenset({"DTypePolicy", "FloatDTypePolicy"})
_ACTIVATION_ARGS = frozenset({"activation", "recurrent_activation"})


class NotBuilt(RnnshapeError):
    """A model ``check`` will not hand to Keras: something in it could make Keras act."""


def registry_entry(spec: LayerSpec) -> LayerDef:
    """The registry entry of a layer spec; a class outside the registry is never built."""
    layer_def = REGISTRY.get(ALIASES.get(spec.class_name, spec.class_name))
    if layer_def is None or layer_def.category == "op":
        raise NotBuilt(
            f"check builds only layer classes in rnnshape's registry, not '{spec.class_name}'",
            pos=spec.pos,
            layer=spec.name,
        )
    return layer_def


def keras_arguments(spec: LayerSpec) -> dict[str, Any]:
    """The keyword arguments for the Keras constructor: declared, checked and plain.

    Nested layer specs stay ``LayerSpec`` objects; the builder makes them through the
    registry too. Raises ``NotBuilt`` for anything else.
    """
    layer_def = registry_entry(spec)
    declared = {a.name for a in layer_def.args} | {a.name for a in BASE_ARGS}
    declared_args = {a.name: a for a in layer_def.args}
    out: dict[str, Any] = {}
    for key, value in spec.args.items():
        if key in INPUT_ONLY_ARGS or key in layer_def.extra_args:
            continue  # read by rnnshape, never passed to Keras
        if key not in declared:
            raise NotBuilt(f"{spec.class_name} has no argument '{key}' in rnnshape's registry", pos=spec.pos, layer=spec.name)
        # Checked again here, whatever ran before: e.g. a lookup's vocabulary path is refused.
        # As in resolve_args: None stands for the default of an argument whose default is None.
        arg = declared_args.get(key)
        if arg is not None and arg.check is not None and not (value is None and arg.default is None):
            problem = arg.check(value)
            if problem is not None:
                raise NotBuilt(f"{spec.class_name}({key}=...) {problem}", pos=spec.arg_pos.get(key, spec.pos), layer=spec.name)
        out[key] = _safe_value(spec, key, value, 0)
    if spec.name is not None:
        out["name"] = spec.name
    return out


def plan_model(model: ModelSpec) -> None:
    """Check every layer of ``model`` (nested ones included) before Keras sees any of it."""
    for spec in _specs(model):
        keras_arguments(spec)


def _specs(model: ModelSpec) -> Iterator[LayerSpec]:
    """Every layer Keras would construct: the calls' layers and the layers nested in them."""
    for call in model.calls:
        if call.layer.class_name in _OP_CLASSES:
            continue
        for site in layer_tree(call.layer, into_models=True):
            # A nested model is built from its own layers (its inputs become keras.Input).
            if nested_model(site.spec) is None and site.spec.class_name != "InputLayer":
                yield site.spec


_OP_CLASSES = frozenset(name for name, entry in REGISTRY.items() if entry.category == "op")
_PLAIN = (bool, int, float, str, type(None))
# Plain values nest this deep at most (a list of shapes); deeper is not a layer argument.
_MAX_NESTING = 8


def _safe_value(spec: LayerSpec, key: str, value: Any, depth: int) -> Any:
    if isinstance(value, _PLAIN) or isinstance(value, LayerSpec):
        return value
    if isinstance(value, (list, tuple)) and depth < _MAX_NESTING:
        return [_safe_value(spec, key, v, depth + 1) for v in value]
    if isinstance(value, Mapping) and depth == 0:
        return _serialized_object(spec, key, value)
    raise NotBuilt(
        f"{spec.class_name}({key}=...): check passes only plain values to Keras, not {_kind(value)}",
        pos=spec.arg_pos.get(key, spec.pos),
        layer=spec.name,
    )


def _serialized_object(spec: LayerSpec, key: str, obj: Mapping[str, Any]) -> Any:
    """A serialized Keras object of a listed kind, reduced to ``{class_name, config}``."""
    class_name = obj.get("class_name")
    config = obj.get("config")
    registered = obj.get("registered_name")
    module = obj.get("module")
    allowed: frozenset[str] = frozenset()
    if key == "dtype":
        allowed = _DTYPE_POLICIES
    elif key in _ACTIVATION_ARGS:
        # Keras 3 writes a built-in activation as a string; a dict names a function.
        if class_name == "function" and isinstance(config, str) and config in ACTIVATIONS and module == "keras.activations":
            return config
    else:
        allowed = next((names for suffix, names in SERIALIZED_KINDS.items() if key.endswith(suffix)), frozenset())
    plain_config = config is None or (
        isinstance(config, Mapping) and all(isinstance(v, _PLAIN) or _plain_list(v) for v in config.values())
    )
    module_ok = module is None or (isinstance(module, str) and (module == "keras" or module.startswith("keras.")))
    if (
        isinstance(class_name, str) and class_name in allowed and plain_config and module_ok
        and registered in (None, class_name)
    ):
        return {"class_name": class_name, "config": dict(config or {})}
    shown = class_name if isinstance(class_name, str) else "an object"
    raise NotBuilt(
        f"{spec.class_name}({key}=...): '{shown[:80]}' is not a serialized Keras object that check builds "
        "(it passes only Keras's built-in initializers, regularizers, constraints, activations and dtype policies)",
        pos=spec.arg_pos.get(key, spec.pos),
        layer=spec.name,
    )


def _plain_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, _PLAIN) or _plain_list(v) for v in value)


def _kind(value: Any) -> str:
    return "a nested object" if isinstance(value, Mapping) else f"a {type(value).__name__}"
