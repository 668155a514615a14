"""Adapters: bytes or command-line expressions in, a format-free ``ModelSpec`` out."""

from __future__ import annotations

import os
import stat
from typing import Any, Mapping, Sequence

from .. import limits
from ..errors import FormatError, Position, RnnshapeError, SpecError, UsageError
from ..spec import LayerSpec, ModelSpec
from .common import build_sequential
from .expr import parse_layer_expr
from .registry import HEAD_BYTES, MODEL_SUFFIXES, Request, format_of


def looks_like_model_file(arg: str) -> bool:
    """Whether a CLI argument names a model file rather than a layer expression."""
    return arg.lower().endswith(MODEL_SUFFIXES) or ("(" not in arg and os.path.exists(arg))


def check_file(path: str, *, limit_size: bool = True) -> int:
    """Stat ``path`` without opening it: a regular file within the size limit, or a FormatError.

    Directories, FIFOs, sockets and devices are refused before anything opens them, so a
    FIFO named ``model.yaml`` cannot block a read; returns the size. Binary archives
    (.keras, .h5) pass ``limit_size=False``: their weights may be large, and only the
    config inside is read, under its own limits.
    """
    pos = Position(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FormatError("is a broken symbolic link", pos=pos) from None
        raise FormatError("no such file", pos=pos) from None
    except OSError as err:
        raise FormatError(f"cannot be read: {err.strerror or err}", pos=pos) from None
    except ValueError as err:  # e.g. an embedded NUL byte in the name
        raise FormatError(f"is not a usable file name ({err})", pos=pos) from None
    if stat.S_ISDIR(info.st_mode):
        raise FormatError("is a directory, not a model file", pos=pos)
    if not stat.S_ISREG(info.st_mode):
        raise FormatError("is not a regular file (a FIFO, socket or device), so it is not read", pos=pos)
    if limit_size and info.st_size > limits.value(limits.FILE_BYTES):
        raise FormatError(
            limits.exceeded(limits.FILE_BYTES, f"the file is {info.st_size:,} bytes"),
            pos=pos,
        )
    if not os.access(path, os.R_OK):
        raise FormatError("cannot be read: permission denied", pos=pos)
    return info.st_size


def read_limited(path: str) -> bytes:
    """Read a file with a size limit; every failure becomes a FormatError naming it."""
    check_file(path)
    limit = limits.value(limits.FILE_BYTES)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise FormatError(f"cannot be read: {err.strerror or err}", pos=Position(path)) from None
    if len(data) > limit:  # it grew since the stat
        raise FormatError(limits.exceeded(limits.FILE_BYTES, "the file grew past the limit"), pos=Position(path))
    return data


def decode_text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise FormatError("is not UTF-8 text", pos=Position(path, line, col)) from None


def load_entries(
    path: str,
    *,
    model: str | None = None,
    input_layer: LayerSpec | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[ModelSpec | RnnshapeError]:
    """Every model in one file, with problems in place, in file order.

    Most formats hold one model. A Python file or notebook may hold several; one that
    cannot be read statically is an ``errors.Skipped`` warning (exit code 0) in its place,
    and the others still load. ``model`` selects one model by name (a Python source's
    variable name, or the model's name in other formats). ``input_layer`` (from
    --input-shape) gives or replaces the input of a single-model file, and gives one to a
    Python source's model that has none. ``settings`` (--set) give a Python source's values
    that are known only at run time. Which reader reads the file is the format registry's
    choice (``registry.format_of``).
    """
    check_file(path, limit_size=False)
    text: list[str] = []  # decoded once, when the format choice or the reader needs it

    def decoded() -> str:
        if not text:
            text.append(decode_text(read_limited(path), path))
        return text[0]

    fmt = format_of(path, lambda: _head(path), decoded)
    entries = fmt.reader(Request(path, decoded() if fmt.text else "", model, input_layer, settings or {}))
    if model is not None and not fmt.several_models:
        names = [e.name for e in entries if isinstance(e, ModelSpec)]
        entries = [e for e in entries if isinstance(e, ModelSpec) and e.name == model]
        if not entries:
            raise UsageError(f"{path}: no model named '{model}'", hint=f"models in this file: {', '.join(names)}")
    return entries


def load_file(path: str, *, model: str | None = None, input_layer: LayerSpec | None = None) -> list[ModelSpec]:
    """Every readable model in one file of any supported format.

    Raises the file's first error when no model in it can be read. Warnings and the
    errors of single models in a multi-model source are dropped here: callers that
    report them use ``load_entries``.
    """
    entries = load_entries(path, model=model, input_layer=input_layer)
    models = [e for e in entries if isinstance(e, ModelSpec)]
    if not models:
        errors = [e for e in entries if isinstance(e, RnnshapeError)]
        raise next((e for e in errors if e.exit_code), errors[0] if errors else FormatError("no model", pos=Position(path)))
    return models


def _head(path: str) -> bytes:
    """The first bytes of a file, for content sniffing (errors surface on the full read)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""


def parse_shape_option(text: str, option: str) -> list[int | None]:
    """``10,3`` or ``None,5`` or ``(8, 2, 10)`` from a command-line option."""
    cleaned = text.strip().strip("()[]")
    dims: list[int | None] = []
    for part in cleaned.split(","):
        part = part.strip()
        if not part:
            continue
        if part.lower() in ("none", "null", "?"):
            dims.append(None)
            continue
        try:
            dims.append(int(part))
        except ValueError:
            raise SpecError(
                f"{option} must be comma-separated sizes like 10,3 (None for a dynamic axis), got {text!r}",
                pos=Position(option),
            ) from None
    if not dims:
        raise SpecError(f"{option} is empty", pos=Position(option))
    return dims


def from_expressions(
    exprs: Sequence[str],
    *,
    input_shape: str | None = None,
    batch_input_shape: str | None = None,
    name: str = "sequential",
) -> ModelSpec:
    """A Sequential model from CLI layer expressions and shape options."""
    if input_shape and batch_input_shape:
        raise SpecError("give --input-shape or --batch-input-shape, not both", pos=Position("--input-shape"))
    input_layer = None
    if input_shape:
        input_layer = LayerSpec(
            "InputLayer", {"shape": parse_shape_option(input_shape, "--input-shape")}, None, Position("--input-shape")
        )
    elif batch_input_shape:
        shape = parse_shape_option(batch_input_shape, "--batch-input-shape")
        input_layer = LayerSpec("InputLayer", {"batch_shape": shape}, None, Position("--batch-input-shape"))
    layers = [parse_layer_expr(text, f"<arg {i}>") for i, text in enumerate(exprs, start=1)]
    return build_sequential(name, input_layer, layers, source="<command line>", input_pos=Position("<command line>"))


def input_layer_from_options(input_shape: str | None, batch_input_shape: str | None) -> LayerSpec | None:
    """The InputLayer that --input-shape / --batch-input-shape describe, if any."""
    if input_shape and batch_input_shape:
        raise SpecError("give --input-shape or --batch-input-shape, not both", pos=Position("--input-shape"))
    if input_shape:
        shape = parse_shape_option(input_shape, "--input-shape")
        return LayerSpec("InputLayer", {"batch_shape": [None, *shape]}, None, Position("--input-shape"))
    if batch_input_shape:
        shape = parse_shape_option(batch_input_shape, "--batch-input-shape")
        return LayerSpec("InputLayer", {"batch_shape": shape}, None, Position("--batch-input-shape"))
    return None


def load_models(
    args: Sequence[str],
    *,
    input_shape: str | None = None,
    batch_input_shape: str | None = None,
    model: str | None = None,
    set_values: Sequence[str] | None = None,
) -> list[ModelSpec | RnnshapeError]:
    """Models named on a command line: files or layer expressions.

    A file that fails to load yields its error in place, so the other files still run;
    ``model`` picks one model by name in every file. With files, --input-shape and
    --batch-input-shape give the input of an unbuilt model (or replace a recorded one).
    """
    files = [looks_like_model_file(a) for a in args]
    settings: dict[str, Any] | None = None
    if set_values:
        from .python_settings import parse_settings

        settings = parse_settings(set_values)
    if all(files):
        input_layer = input_layer_from_options(input_shape, batch_input_shape)
        loaded: list[ModelSpec | RnnshapeError] = []
        for path in args:
            try:
                loaded.extend(load_entries(path, model=model, input_layer=input_layer, settings=settings))
            except UsageError:
                raise
            except RnnshapeError as err:
                loaded.append(err)
        return loaded
    if any(files):
        raise UsageError("give either model files or layer expressions, not both")
    if model is not None:
        raise UsageError("--model selects a model in a file; it does not apply to layer expressions")
    if set_values:
        raise UsageError("--set gives values of a .py/.ipynb model file; it does not apply to layer expressions")
    return [from_expressions(args, input_shape=input_shape, batch_input_shape=batch_input_shape)]
