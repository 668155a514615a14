"""Every input format rnnshape reads, in one table: how a file is recognised and who reads it.

A ``Format`` entry holds everything known about one format: its suffixes, the byte
signatures that identify it whatever its name says, the sniffer that tells lint a file
of this type that holds no model, the comment marker of its inline ``rnnshape: ignore``
comments, whether it carries weights, and its reader. Loading (``formats.load_entries``),
lint discovery and suppressions, ``numpy``'s weights and the pre-commit hook's file
pattern (checked by a test) all read this table, so a new format is an entry here plus
its reader module.

Readers are imported when a file of their format is read, never before: explaining a
YAML file imports neither zipfile, h5py nor the Python-source reader.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Mapping, NamedTuple

from ..errors import RnnshapeError, UsageError
from ..spec import LayerSpec, ModelSpec, NamedLayer
from ..records import record

Entries = list[ModelSpec | RnnshapeError]


class Request(NamedTuple):
    """What a reader gets: the file, its text (text formats only) and the command's choices."""

    path: str
    text: str  # the decoded file, read under the size limit; "" for binary formats, which read it themselves
    model: str | None  # --model: one model picked by name (readers of several-model formats pick it)
    input_layer: LayerSpec | None  # --input-shape / --batch-input-shape
    settings: Mapping[str, Any] = {}  # --set NAME=VALUE: a Python source's values known only at run time


Reader = Callable[[Request], Entries]
# Why a file of this type holds no model ("no top-level 'layers:' key"), or None when it may.
Sniffer = Callable[[bytes], str | None]


@record
class Signature:
    """Bytes at a fixed offset that identify a binary format (the file's own claim, not its name)."""

    offset: int
    magic: bytes

    def found(self, head: bytes) -> bool:
        return head[self.offset : self.offset + len(self.magic)] == self.magic


@record
class Format:
    """One input format.

    How a file is matched to a format (``format_of``): a ``suffix_only`` format is chosen by
    its suffix alone; otherwise a binary format claims a file whose suffix is its own (unless
    the head starts with one of ``unless_head``), as keras.saving does, then a file whose head
    holds one of its ``signatures`` (a file that is both a zip and HDF5 is refused); a text format claims a file named like it or whose text starts with
    one of its ``text_starts``; the ``fallback`` text format reads what no other claims.
    """

    name: str
    suffixes: tuple[str, ...]
    reader: Reader
    text: bool  # the loader reads and decodes the file (under the size limit) for the reader
    signatures: tuple[Signature, ...] = ()
    unless_head: tuple[bytes, ...] = ()
    text_starts: tuple[str, ...] = ()
    suffix_only: bool = False
    fallback: bool = False
    several_models: bool = False  # a file may hold several models; the reader picks --model itself
    sniff: Sniffer | None = None  # lint: a file of this type may be something else (None: always a model)
    ignore_comment: str | None = None  # the comment marker of `rnnshape: ignore[...]`, where lint honours it
    carries_weights: bool = False  # `rnnshape numpy FILE` reads the weights from the file itself

    def named(self, path: str) -> bool:
        return path.lower().endswith(self.suffixes)


# ------------------------------------------------------------------ readers


def _read_yaml(req: Request) -> Entries:
    from .yaml_config import load_yaml_text

    loaded = load_yaml_text(req.text, req.path)
    return [with_input(loaded, req.input_layer) if req.input_layer is not None else loaded]


def _read_json(req: Request) -> Entries:
    from .keras_json import load_keras_json_text

    return [load_keras_json_text(req.text, req.path, input_layer=req.input_layer)]


def _read_keras(req: Request) -> Entries:
    from .keras_archive import load_keras_archive

    return [load_keras_archive(req.path, input_layer=req.input_layer)]


def _read_h5(req: Request) -> Entries:
    from .keras_archive import load_h5

    return [load_h5(req.path, input_layer=req.input_layer)]


def _read_python(req: Request) -> Entries:
    from .python_graph import select_entries
    from .python_settings import merged_settings
    from .python_source import extract_python

    extraction = extract_python(req.text, req.path, req.input_layer, merged_settings(req.settings))
    return select_entries(extraction, req.path, req.model)


def _read_notebook(req: Request) -> Entries:
    from .notebook import extract_notebook
    from .python_graph import select_entries
    from .python_settings import merged_settings

    extraction = extract_notebook(req.text, req.path, req.input_layer, merged_settings(req.settings))
    return select_entries(extraction, req.path, req.model)


def with_input(model: ModelSpec, input_layer: LayerSpec) -> ModelSpec:
    """Replace a single-input model's input shape (the --input-shape of a model file)."""
    if len(model.inputs) != 1:
        raise UsageError(f"--input-shape sets one input, but {model.source} has {len(model.inputs)}")
    old = model.inputs[0]
    new = NamedLayer("InputLayer", input_layer.args, old.name, input_layer.pos)
    return replace(model, inputs=(new,), notes=(*model.notes, f"input shape replaced by {input_layer.pos}"))


# ------------------------------------------------------------------ lint sniffers

# Patterns, compiled by ``re`` (and kept in its cache) the first time lint sniffs a file.
_YAML_LAYERS = rb"(?m)^['\"]?layers['\"]?[ \t]*:"
_JSON_MODEL = rb'"class_name"\s*:\s*"(Sequential|Functional|Model)"'


# How much of a file lint's sniffers see: all of a typical config, never all of a large data file.
SNIFF_BYTES = 1 << 20


def _yaml_model(head: bytes) -> str | None:
    if re.search(_YAML_LAYERS, head) or not _parses(head, _yaml_events):
        return None
    return "no top-level 'layers:' key, so not a model config"


def _json_model(head: bytes) -> str | None:
    if re.search(_JSON_MODEL, head) or not _parses(head, _json_value):
        return None
    return "no Sequential/Functional model in it, so not a Keras config"


def _parses(head: bytes, parse: Callable[[str], object]) -> bool:
    """Whether a YAML/JSON file is well-formed text of its kind, so skipping it as "not a model"
    is right. One that is not (random bytes, not UTF-8, broken syntax) is linted instead and
    reported as RS901, like any unreadable model file. A file longer than the head is judged
    on its encoding only: its syntax cannot be judged from a part."""
    complete = len(head) < SNIFF_BYTES
    try:
        # A longer file's head may end inside a multi-byte character: leave off its last bytes.
        text = head.decode("utf-8-sig") if complete else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    if not complete:
        return True
    try:
        parse(text)
    except (ValueError, RecursionError):  # each parser reports broken syntax as ValueError
        return False
    return True


def _yaml_events(text: str) -> object:
    import yaml

    # Events only: no nodes are composed and no alias is expanded, so this costs no more than reading.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for _ in yaml.parse(text, Loader=loader):
            pass
    except yaml.YAMLError as err:
        raise ValueError(str(err)) from None
    return None


def _json_value(text: str) -> object:
    import json

    return json.loads(text)


def _source_model(head: bytes) -> str | None:
    # Every Keras import spells "keras": a file without it is skipped unparsed.
    return None if b"keras" in head else "does not mention keras"


# ------------------------------------------------------------------ the table

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"

YAML = Format("yaml", (".yaml", ".yml"), _read_yaml, text=True, fallback=True, sniff=_yaml_model, ignore_comment="#")
PYTHON = Format("python", (".py",), _read_python, text=True, suffix_only=True, several_models=True, sniff=_source_model)
NOTEBOOK = Format(
    "notebook", (".ipynb",), _read_notebook, text=True, suffix_only=True, several_models=True, sniff=_source_model
)
JSON = Format("keras-json", (".json",), _read_json, text=True, text_starts=("{", "["), sniff=_json_model)
# A .keras file holding a JSON object (a config saved under that name) is read as JSON.
KERAS = Format(
    "keras-archive", (".keras",), _read_keras, text=False, signatures=(Signature(0, b"PK\x03\x04"),),
    unless_head=(b"{",), carries_weights=True,
)
# HDF5 puts its signature at 0, or after a 512-byte user block.
H5 = Format(
    "keras-h5", (".h5", ".hdf5"), _read_h5, text=False,
    signatures=(Signature(0, HDF5_MAGIC), Signature(512, HDF5_MAGIC)), carries_weights=True,
)

# Table order is the order messages list the suffixes in, and the order binary formats'
# signatures are tried in for files whose name claims no binary format.
FORMATS: tuple[Format, ...] = (YAML, PYTHON, NOTEBOOK, JSON, KERAS, H5)

MODEL_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)
WEIGHT_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS if f.carries_weights for s in f.suffixes)
# Enough of a file to tell its format: the largest signature end (an HDF5 user block + 8).
HEAD_BYTES = max(sig.offset + len(sig.magic) for f in FORMATS for sig in f.signatures)


def by_suffix(path: str) -> Format | None:
    """The format a file's name claims, or None for a name no format has."""
    return next((f for f in FORMATS if f.named(path)), None)


def _binary(fmt: Format, path: str, head: bytes) -> Format:
    from .keras_archive import refuse_polyglot

    refuse_polyglot(path, head, HDF5_MAGIC)
    return fmt


def format_of(path: str, head: Callable[[], bytes], text: Callable[[], str]) -> Format:
    """The format that reads ``path``: its content decides where it is unambiguous, so a
    file whose suffix lies is still read; its suffix decides otherwise.

    ``head`` and ``text`` are asked only when needed: a .py file is never sniffed, and a
    binary file is never decoded.
    """
    named = by_suffix(path)
    if named is not None and named.suffix_only:
        return named
    start = head()
    # A binary format's own suffix decides first, as in keras.saving (.keras: the zip reader,
    # .h5/.hdf5: HDF5), so rnnshape never reads a file with another parser than Keras does.
    if named is not None and named.signatures and not (named.unless_head and start.lstrip().startswith(named.unless_head)):
        return _binary(named, path, start)
    for fmt in FORMATS:
        if fmt.signatures and any(sig.found(start) for sig in fmt.signatures):
            return _binary(fmt, path, start)
    body = text().lstrip()
    for fmt in FORMATS:
        if fmt.text_starts and (fmt is named or body.startswith(fmt.text_starts)):
            return fmt
    return next(f for f in FORMATS if f.fallback)

