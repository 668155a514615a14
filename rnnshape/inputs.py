"""What the Python API accepts as a model, turned into a ``ModelSpec`` by the CLI's own readers.

An object is one of: a live Keras model (read through ``to_json()``, see ``live``), a path
(any format the CLI reads), a YAML or JSON text, or a list of layer expressions. Shapes are
tuples or the CLI's ``"10,3"`` strings; both become the CLI's option text, so they are
parsed by the same function.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence, Union

from . import formats
from .errors import FormatError, Position, RnnshapeError, UsageError
from .formats import input_layer_from_options
from .formats.notebook import strip_magics
from .formats.python_graph import select_entries
from .formats.python_source import SourceReader, parse_module
from .formats.python_values import Const, Path
from .formats.registry import JSON, YAML, Request
from .live import is_live_model, live_spec
from .spec import ModelSpec

ShapeLike = Union[str, Sequence[Union[int, None]], None]
TEXT_SOURCE = "<text>"


def shape_option(shape: ShapeLike) -> str | None:
    """``(10, 3)`` -> ``"10,3"``: the text of the CLI option, so one parser reads both."""
    if shape is None or isinstance(shape, str):
        return shape
    return ",".join("None" if d is None else str(d) for d in shape)


# ``set=``: {NAME: value} (Python values), or the CLI's "NAME=VALUE" texts.
SetValues = Union[Mapping[str, Any], Sequence[str], None]


def settings_of(values: SetValues) -> dict[str, Any] | None:
    """``set=`` as the readers take it: {canonical NAME: value}, exactly as ``--set`` gives it."""
    from .formats.python_settings import parse_settings, settings_from_mapping

    if not values:
        return None
    if isinstance(values, Mapping):
        return settings_from_mapping(values, "set=")
    if isinstance(values, str):
        raise UsageError("set= takes a mapping {NAME: value} or a list of 'NAME=VALUE' texts, not one string")
    return parse_settings(values, "set=")


def load_one(
    obj: Any,
    *,
    input_shape: ShapeLike = None,
    batch_input_shape: ShapeLike = None,
    model: str | None = None,
    set_values: SetValues = None,
) -> ModelSpec:
    """The one model ``obj`` stands for; ``model`` picks one by name where it holds several.

    ``set_values`` are the values a .py/.ipynb model computes from data (``--set``).
    """
    shape, batch = shape_option(input_shape), shape_option(batch_input_shape)
    settings = settings_of(set_values)
    if isinstance(obj, ModelSpec):  # already read (a %%rnnshape cell's model)
        return obj
    is_path = isinstance(obj, os.PathLike) or (isinstance(obj, str) and _names_a_file(obj))
    if settings and not is_path:
        raise UsageError("set= gives values of a .py/.ipynb model file; it does not apply to this model")
    if is_live_model(obj):
        return live_spec(obj, input_layer_from_options(shape, batch))
    if is_path:
        entries = formats.load_entries(
            os.fspath(obj), model=model, input_layer=input_layer_from_options(shape, batch), settings=settings
        )
    elif isinstance(obj, str):
        entries = _read_text(obj, shape, batch)
    elif isinstance(obj, (list, tuple)) and obj and all(isinstance(x, str) for x in obj):
        entries = formats.load_models(list(obj), input_shape=shape, batch_input_shape=batch)
    else:
        raise UsageError(
            f"cannot read a {type(obj).__name__} as a model",
            hint="give a Keras model, a file path, a YAML/JSON text or a list of layer expressions",
        )
    return only_model(entries, model)


def _names_a_file(text: str) -> bool:
    """A one-line string that is not JSON is a path (a model text has several lines)."""
    return "\n" not in text.strip() and not text.lstrip().startswith(JSON.text_starts)


def _read_text(text: str, shape: str | None, batch: str | None) -> list[ModelSpec | RnnshapeError]:
    """A YAML or JSON model text, read by the registry's readers for those formats."""
    fmt = JSON if text.lstrip().startswith(JSON.text_starts) else YAML
    return fmt.reader(Request(TEXT_SOURCE, text, None, input_layer_from_options(shape, batch)))


def only_model(entries: Sequence[ModelSpec | RnnshapeError], model: str | None = None) -> ModelSpec:
    """The single model among loaded entries; its error when it failed; a UsageError when several."""
    models = [e for e in entries if isinstance(e, ModelSpec)]
    if model is not None:
        models = [m for m in models if m.name == model] or models
    if len(models) == 1:
        return models[0]
    errors = [e for e in entries if isinstance(e, RnnshapeError)]
    if not models:
        raise next((e for e in errors if e.exit_code), errors[0] if errors else FormatError("no model", pos=Position(TEXT_SOURCE)))
    raise UsageError(
        f"{len(models)} models here; the API explains one at a time",
        hint="pick one with model=NAME (" + ", ".join(m.name for m in models) + ")",
    )


def cell_entries(
    code: str, known: Mapping[str, Any], source: str = "<cell>", settings: Mapping[str, Any] | None = None
) -> list[ModelSpec | RnnshapeError]:
    """Models defined in a notebook cell, read statically (never run), by the .py reader.

    ``known`` is the notebook's namespace: literal constants (``T = 10``) and imported Keras
    modules and classes are known to the reader, as if their cells came first; ``settings``
    are ``--set`` values.
    """
    python = strip_magics(code)
    if python is None:
        raise UsageError("the cell is not Python (a %%cell magic of another language)")
    reader = SourceReader(source, settings)
    reader.env.update(known_values(known))
    reader.run(parse_module(python, source).body)
    return select_entries(reader.finish(), source)


def known_values(namespace: Mapping[str, Any]) -> dict[str, Const | Path]:
    """The namespace entries the static reader can use: literals, Keras modules and classes."""
    known: dict[str, Const | Path] = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if _is_literal(value):
            known[name] = Const(value)
            continue
        path = _keras_path(value)
        if path is not None:
            known[name] = Path(path)
    return known


def _is_literal(value: Any) -> bool:
    """A value Python could have written as a literal (what the reader folds as a constant)."""
    if isinstance(value, bool) or value is None or type(value) in (int, float, str):
        return True
    if type(value) in (tuple, list):
        return len(value) <= 64 and all(_is_literal(v) for v in value)
    return False


_KERAS_ROOTS = ("keras", "tensorflow", "tf_keras")
_KERAS_TOP = frozenset({"Sequential", "Model", "Input"})


def _keras_path(value: Any) -> tuple[str, ...] | None:
    """Where a Keras module or class is imported from, as the reader's ``Path`` parts."""
    if type(value).__name__ == "module":
        name = str(getattr(value, "__name__", ""))
        if name.split(".")[0] in _KERAS_ROOTS and ".src" not in name and "._" not in name:
            return tuple(name.split("."))
        return None
    module = str(getattr(value, "__module__", "") or "")
    attr = getattr(value, "__name__", None)
    name = attr if isinstance(attr, str) else ""
    if not name or module.split(".")[0] not in _KERAS_ROOTS or not callable(value):
        return None
    root = "tf_keras" if module.startswith("tf_keras") else "keras"
    return (root, name) if name in _KERAS_TOP else (root, "layers", name)

