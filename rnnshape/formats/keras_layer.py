"""One serialized Keras layer (any generation) -> a ``LayerSpec`` with Keras 3 meaning.

Normalisation follows keras-semantics.md §3.6: keys Keras 3 no longer accepts
(``time_major``, ``batch_input_shape``, Keras 1 spellings, ...) move to
``LayerSpec.legacy``; explicit keys are kept as written; a key that is *missing*
from an old file gets the default of the Keras that wrote it, and the assumption is
recorded as a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import limits
from ..errors import FormatError, SpecError
from ..layers import ALIASES, REGISTRY, current_class, find_layer_def
from ..layers.base import BASE_ARGS
from ..spec import NESTED_LAYER_ARGS, NESTED_LAYER_LIST_ARGS, LayerSpec
from .jsonpos import Doc, KeyPositions
from ..records import record


# Serialized by Keras 2 on every layer (or every RNN) and refused by Keras 3.
ALWAYS_LEGACY = frozenset({"time_major", "batch_input_shape", "input_dtype", "consume_less", "stateful_metrics"})

# Keras 1 argument spellings and their Keras 2/3 names (recurrent and Dense layers).
KERAS1_RENAMES = {
    "output_dim": "units",
    "inner_activation": "recurrent_activation",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "bias": "use_bias",
}
# Layers whose ``output_dim``/``input_dim`` are their own arguments, not Keras 1 spellings.
KEEPS_DIM_ARGS = frozenset({"Embedding"})



@record
class Generation:
    """Which Keras wrote the file; decides defaults for keys the file leaves out."""

    label: str  # e.g. "Keras 3", "tf.keras 2.x", "standalone Keras 2.2.4", "Keras 1.x"
    keras1: bool = False
    standalone2: bool = False  # standalone Keras 2.0-2.3 (reset_after defaulted to False)
    hard_sigmoid: bool = False  # recurrent_activation defaulted to hard_sigmoid (<= 2.2)


@dataclass
class Normaliser:
    """Turns layer dicts into LayerSpecs, collecting notes about assumptions."""

    doc: Doc
    generation: Generation
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def class_name(self, obj: Any) -> str:
        if not isinstance(obj, dict):
            raise FormatError("a layer entry must be an object with 'class_name' and 'config'", pos=self.doc.obj_pos(obj))
        name = obj.get("class_name")
        if not isinstance(name, str) or not name:
            raise FormatError("a layer entry has no 'class_name'", pos=self.doc.obj_pos(obj))
        return name

    def layer(self, obj: Any, depth: int = 0) -> LayerSpec:
        """A layer entry ``{class_name, config, ...}``; nested models are handled by the caller."""
        if depth > limits.value(limits.LAYER_DEPTH):
            raise SpecError(limits.too_deep(limits.LAYER_DEPTH, "layers"), pos=self.doc.obj_pos(obj))
        class_name = self.class_name(obj)
        cfg = obj.get("config")
        if cfg is None:
            cfg = {}
        if not isinstance(cfg, dict):
            raise FormatError(f"the 'config' of a {class_name} entry must be an object", pos=self.doc.obj_pos(obj))
        pos = self.doc.obj_pos(obj)
        name = obj.get("name") if isinstance(obj.get("name"), str) else cfg.get("name")
        name = name if isinstance(name, str) else None
        layer_def = REGISTRY.get(ALIASES.get(class_name, class_name))
        accepted = None
        if layer_def is not None:
            accepted = set(layer_def.arg_names) | {a.name for a in BASE_ARGS} | set(layer_def.extra_args)
        args: dict[str, Any] = {}
        legacy: dict[str, Any] = {}
        arg_keys: dict[str, str] = {}
        for key, value in cfg.items():
            target = key
            if self.generation.keras1 and key in KERAS1_RENAMES and class_name not in KEEPS_DIM_ARGS:
                target = KERAS1_RENAMES[key]
                legacy[key] = value
            if target in NESTED_LAYER_ARGS and isinstance(value, dict) and "class_name" in value:
                value = self.layer(value, depth + 1)
            elif target in NESTED_LAYER_LIST_ARGS and isinstance(value, list):
                value = [self.layer(v, depth + 1) if isinstance(v, dict) else v for v in value]
            if target in ALWAYS_LEGACY or (accepted is not None and target not in accepted):
                legacy[target] = value
                continue
            args[target] = value
            arg_keys[target] = key
        self._fill_missing(class_name, name, args)
        if class_name == "InputLayer" and "batch_input_shape" in legacy and "batch_shape" not in args:
            args["batch_shape"] = legacy["batch_input_shape"]
            arg_keys["batch_shape"] = "batch_input_shape"
        if "batch_input_shape" in legacy:
            arg_keys["batch_input_shape"] = "batch_input_shape"
        dropped = sorted(k for k in legacy if k not in ALWAYS_LEGACY and k not in KERAS1_RENAMES)
        if dropped and accepted is not None:
            self.note(
                f"{name or class_name} ({class_name}): ignored {', '.join(dropped)}, "
                "which Keras 3 does not accept"
            )
        return LayerSpec(class_name, args, name, pos, KeyPositions(self.doc, cfg, arg_keys), legacy)

    def _fill_missing(self, class_name: str, name: str | None, args: dict[str, Any]) -> None:
        """Defaults of the Keras that wrote the file, where they differ from Keras 3."""
        gen = self.generation
        who = f"{name or class_name} ({class_name})"
        # A removed class (CuDNNGRU) is read with the defaults of the class that replaced it.
        facts = find_layer_def(current_class(class_name))
        if facts is None:
            return
        if "reset_after" in facts.arg_names and "reset_after" not in args and (gen.standalone2 or gen.keras1):
            args["reset_after"] = False
            self.note(f"{who}: no reset_after in the file; read as False, the default of {gen.label}")
        if facts.gates and "recurrent_activation" not in args and gen.hard_sigmoid:
            args["recurrent_activation"] = "hard_sigmoid"
            self.note(
                f"{who}: no recurrent_activation in the file; read as 'hard_sigmoid', the default of {gen.label} "
                "(Keras 3's hard_sigmoid has slope 1/6, Keras 2's had 0.2)"
            )


def detect_generation(top: Any, layer_objs: list[Any], keras_version: str | None) -> Generation:
    """Guess the writer from the file's own markers (keras-semantics.md §3.3 table)."""
    version = keras_version or (top.get("keras_version") if isinstance(top, dict) else None)
    version = version if isinstance(version, str) else None
    if version and version.startswith("3"):
        return Generation(f"Keras {version}")
    keras3 = isinstance(top, dict) and "module" in top
    has_input_layer = False
    keras1_keys = False
    time_major = False
    for obj in layer_objs:
        if not isinstance(obj, dict):
            continue
        cfg = obj.get("config")
        if not isinstance(cfg, dict):
            continue
        if obj.get("class_name") == "InputLayer":
            has_input_layer = True
            keras3 = keras3 or "batch_shape" in cfg
        keras3 = keras3 or isinstance(cfg.get("dtype"), dict)
        time_major = time_major or "time_major" in cfg
        keras1_keys = keras1_keys or ("output_dim" in cfg and obj.get("class_name") != "Embedding") or "init" in cfg
        nodes = obj.get("inbound_nodes")
        if isinstance(nodes, list) and nodes and isinstance(nodes[0], dict):
            keras3 = True
    if keras3 and not time_major:
        return Generation("Keras 3")
    if version and version.startswith("1") or keras1_keys:
        return Generation(f"Keras {version or '1.x'}", keras1=True, hard_sigmoid=True)
    if version and version.startswith("2."):
        parts = version.split(".")
        minor = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 99
        if minor <= 3 and not time_major:
            return Generation(f"standalone Keras {version}", standalone2=True, hard_sigmoid=minor <= 2)
        return Generation(f"tf.keras {version}")
    if time_major or has_input_layer:
        return Generation("tf.keras 2.x")
    bare_list = isinstance(top, dict) and isinstance(top.get("config"), list)
    if bare_list:
        return Generation("Keras <= 2.1", standalone2=True, hard_sigmoid=True)
    return Generation("standalone Keras 2.2/2.3", standalone2=True, hard_sigmoid=True)
