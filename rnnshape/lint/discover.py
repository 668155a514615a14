"""Which files to lint: walk directories, and tell model configs from other YAML/JSON."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from typing import Callable, Iterator, Sequence

from ..errors import UsageError
from ..formats import MODEL_SUFFIXES

SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"})

# Enough of a file to recognise a model config without reading a large data file.
SNIFF_BYTES = 1 << 20

_YAML_LAYERS = re.compile(rb"(?m)^['\"]?layers['\"]?[ \t]*:")
_JSON_MODEL = re.compile(rb'"class_name"\s*:\s*"(Sequential|Functional|Model)"')


def _yaml_model(head: bytes) -> str | None:
    if _YAML_LAYERS.search(head) or not _parses(head, _yaml_events):
        return None
    return "no top-level 'layers:' key, so not a model config"


def _json_model(head: bytes) -> str | None:
    if _JSON_MODEL.search(head) or not _parses(head, _json_value):
        return None
    return "no Sequential/Functional model in it, so not a Keras config"


def _parses(head: bytes, parse: Callable[[str], object]) -> bool:
    """Whether a YAML/JSON file is well-formed text of its kind, so skipping it as "not a model"
    is right. A file that is not (random bytes, not UTF-8, broken syntax) is linted instead, and
    reported as RS901 like any unreadable model file. A file longer than the head is judged on
    its text only: its syntax cannot be judged from a part."""
    complete = len(head) < SNIFF_BYTES
    try:
        text = head.decode("utf-8-sig") if complete else head[: len(head) - 4].decode("utf-8", "strict")
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


# Text formats can hold other things; binary model formats (.keras, .h5) are always models.
SNIFFERS: dict[str, Callable[[bytes], str | None]] = {
    ".yaml": _yaml_model,
    ".yml": _yaml_model,
    ".json": _json_model,
    ".py": _source_model,
    ".ipynb": _source_model,
}


def suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def read_head(path: str) -> bytes:
    """The first SNIFF_BYTES of a file (all of a typical config); empty if unreadable.

    Only regular files are opened (a FIFO would block); loading reports the others.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except (OSError, ValueError):
        return b""  # loading reports it


def not_a_model(path: str, head: bytes | None = None) -> str | None:
    """Why ``path`` is not a model file rnnshape reads, or None when it is one."""
    if not path.lower().endswith(MODEL_SUFFIXES):
        return f"not a model file type ({', '.join(MODEL_SUFFIXES)})"
    sniff = SNIFFERS.get(suffix(path))
    if sniff is None:
        return None
    head = read_head(path) if head is None else head
    return sniff(head) if head else None


def _excluded(path: str, exclude: Sequence[str]) -> bool:
    norm = path.replace(os.sep, "/").removeprefix("./")
    return any(fnmatch.fnmatch(norm, pat) or fnmatch.fnmatch(os.path.basename(norm), pat) for pat in exclude)


def iter_paths(paths: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[str]:
    """Files named on the command line, and model-typed files under named directories."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                                 and not _excluded(os.path.join(root, d), exclude))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.lower().endswith(MODEL_SUFFIXES) and not _excluded(full, exclude):
                        yield full
        elif os.path.lexists(path):  # a broken link or a symlink loop is reported by loading
            if not _excluded(path, exclude):
                yield path
        else:
            raise UsageError(f"{path}: no such file or directory")
