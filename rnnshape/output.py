"""Writing a command's output files: all of them appear, or none; nothing else is touched.

``write_files([(path, writer), ...], force=...)`` is the one way rnnshape writes a file a
user named (``numpy -o``). Its rules:

- Only regular files are written. A target that is a directory, a device, a FIFO or a
  socket is refused, with or without ``--force``. A symbolic link is treated as an
  existing file: refused without ``--force``; with ``--force`` the link itself is replaced
  by a regular file, and whatever it pointed to is left untouched (no write goes through
  a link to another place).
- Every file is first written in full to a temporary file next to its target; only when
  all are written do they take their names, so a failure (disk full, a bad path) leaves no
  partial output and no earlier file of the set.
- Without ``--force`` a target must not exist, enforced at the moment the name is taken
  (a hard link, which fails if the name exists), so two concurrent runs cannot both write.
- Temporary files are removed on errors, Ctrl-C and SIGTERM (which then still ends the
  process as SIGTERM does).
- Files get the permissions any tool's output gets: 0666 less the umask.
- Messages name the user's path, never a temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from typing import Any, BinaryIO, Callable, Iterator, Sequence

from .errors import RnnshapeError, UsageError

Writer = Callable[[BinaryIO], Any]
TEMP_PREFIX = ".rnnshape-"


class OutputError(RnnshapeError):
    """An output file could not be written (disk full, permission denied, no such folder)."""


class _Terminated(BaseException):
    """SIGTERM arrived while temporary files existed; raised to unwind and remove them."""


def write_files(files: Sequence[tuple[str, Writer]], *, force: bool = False) -> list[str]:
    """Write every ``(path, writer)`` pair as one all-or-nothing set; returns the paths."""
    for path, _ in files:
        _check_target(path, force)
    temps: list[str] = []
    with _removing(temps):
        for path, write in files:
            temps.append(_write_temp(path, write))
        _commit([p for p, _ in files], temps, force)
    return [path for path, _ in files]


def _check_target(path: str, force: bool) -> None:
    if not path or not os.path.basename(path):
        raise UsageError(f"'{path}' is not a file name to write to", hint="give -o a file name, e.g. -o forward.py")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise OutputError(f"{path}: cannot write: the folder {folder} does not exist") from None
        return
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror or err}") from None
    if stat.S_ISLNK(info.st_mode) or stat.S_ISREG(info.st_mode):
        if not force:
            raise UsageError(f"{path} exists; pass --force to overwrite it")
        return
    kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, FIFO or socket)"
    raise UsageError(f"{path} is {kind}; rnnshape writes only regular files")


def _write_temp(path: str, write: Writer) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror or err}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            write(handle)
    except OSError as err:
        _unlink(temp)
        raise OutputError(f"{path}: cannot write: {err.strerror or err}") from None
    except BaseException:
        _unlink(temp)
        raise
    return temp


def _commit(paths: list[str], temps: list[str], force: bool) -> None:
    """Give each temporary file its name; without ``force``, undo the set if one name is taken."""
    done: list[str] = []
    try:
        for path, temp in zip(paths, temps):
            if force:
                os.replace(temp, path)
            else:
                _link_exclusive(temp, path)
                _unlink(temp)
            done.append(path)
    except FileExistsError:
        for path in done:
            _unlink(path)
        raise UsageError(f"{paths[len(done)]} exists; pass --force to overwrite it") from None
    except OSError as err:
        if not force:
            for path in done:
                _unlink(path)
        raise OutputError(f"{paths[len(done)]}: cannot write: {err.strerror or err}") from None


def _link_exclusive(temp: str, path: str) -> None:
    """Take ``path`` only if no file has it (atomic): a hard link, or O_EXCL where links are not supported."""
    try:
        os.link(temp, path)
        return
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out, open(temp, "rb") as source:
            while chunk := source.read(1 << 20):
                out.write(chunk)
    except BaseException:
        _unlink(path)
        raise


@contextlib.contextmanager
def _removing(temps: list[str]) -> Iterator[None]:
    """Remove leftover temporary files however the block ends, SIGTERM included."""
    previous: Any = None

    def on_term(signum: int, frame: Any) -> None:
        raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: no handler, the block still cleans up on errors
        previous = None
    try:
        yield
    except _Terminated:
        for temp in temps:
            _unlink(temp)
        temps.clear()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # end as SIGTERM ends a process
        raise
    finally:
        for temp in temps:
            _unlink(temp)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
