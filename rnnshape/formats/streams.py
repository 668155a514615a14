"""Model text from a stream: standard input (``-``) or a pipe named on the command line.

``cat m.yaml | rnnshape explain -``, ``rnnshape explain /dev/stdin`` and process
substitution (``<(...)``, a pipe such as ``/dev/fd/63``) are read here, under the same
size limit as a file. A pipe is opened without waiting for a writer, so a FIFO that
nobody writes to is an empty input at once rather than a hang. Only text formats can
come from a stream: the binary ones (.keras, .h5) are read by seeking in a file.
"""

from __future__ import annotations

import os
import stat
import sys

from .. import limits
from ..errors import FormatError, Position

STDIN = "-"
STDIN_NAME = "<stdin>"


def is_stream(arg: str) -> bool:
    """Whether a command-line argument is standard input or a pipe (not a regular file)."""
    if arg == STDIN:
        return True
    try:
        return stat.S_ISFIFO(os.stat(arg).st_mode)
    except (OSError, ValueError):
        return False


def source_name(arg: str) -> str:
    """The name messages use for an input: ``<stdin>`` for ``-``, else the path given."""
    return STDIN_NAME if arg == STDIN else arg


def read_stream(arg: str) -> bytes:
    """All bytes of standard input or a pipe, up to the file size limit."""
    pos = Position(source_name(arg))
    limit = limits.value(limits.FILE_BYTES)
    try:
        if arg == STDIN:
            if sys.stdin.isatty():
                sys.stderr.write("rnnshape: reading a model from standard input (end it with Ctrl-D)\n")
            data = sys.stdin.buffer.read(limit + 1)
        else:
            # Opened without blocking (a FIFO with no writer would wait forever), then read
            # normally: with no writer the read ends at once, empty.
            fd = os.open(arg, os.O_RDONLY | os.O_NONBLOCK)
            os.set_blocking(fd, True)
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(limit + 1)
    except OSError as err:
        raise FormatError(f"cannot be read: {err.strerror or err}", pos=pos) from None
    if len(data) > limit:
        raise FormatError(limits.exceeded(limits.FILE_BYTES, "the input is larger"), pos=pos)
    if not data.strip():
        raise FormatError("is empty: nothing was written to it", pos=pos)
    return data
