"""Which files to lint: walk directories, and tell model configs from other YAML/JSON.

What a model file looks like is the format registry's knowledge (its suffixes and
sniffers); this module walks the tree and asks it.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from typing import Iterator, Sequence

from ..errors import UsageError
from ..formats.registry import MODEL_SUFFIXES, SNIFF_BYTES, by_suffix

SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"})


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
    fmt = by_suffix(path)
    sniff = fmt.sniff if fmt is not None else None
    if sniff is None:  # binary model formats (.keras, .h5) hold nothing else
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
