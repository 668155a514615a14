"""rnnshape.output: a command's files appear together or not at all, and only as regular files.

FIFOs, folders and symlinks are made in a temporary folder; no test touches a real device.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rnnshape.errors import UsageError
from rnnshape.output import TEMP_PREFIX, OutputError, write_files

ROOT = Path(__file__).resolve().parent.parent


def _text(data: bytes) -> Any:
    return lambda handle: handle.write(data)


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_files([(str(tmp_path / "a.py"), _text(b"x"))])
    finally:
        os.umask(old)
    assert (tmp_path / "a.py").stat().st_mode & 0o777 == 0o640


def test_only_regular_files_are_written(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "folder.py").mkdir()
    for name, kind in (("fifo.py", "not a regular file"), ("folder.py", "a directory")):
        for force in (False, True):
            with pytest.raises(UsageError, match=kind):
                write_files([(str(tmp_path / name), _text(b"x"))], force=force)
    with pytest.raises(UsageError, match="not a file name"):
        write_files([("", _text(b"x"))])
    assert _listing(tmp_path) == ["fifo.py", "folder.py"]


def test_a_symlink_is_replaced_only_with_force_and_its_target_is_untouched(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"keep me")
    (tmp_path / "link.py").symlink_to(target)
    with pytest.raises(UsageError, match="exists; pass --force"):
        write_files([(str(tmp_path / "link.py"), _text(b"new"))])
    write_files([(str(tmp_path / "link.py"), _text(b"new"))], force=True)
    assert not (tmp_path / "link.py").is_symlink() and (tmp_path / "link.py").read_bytes() == b"new"
    assert target.read_bytes() == b"keep me"


def test_a_failing_file_leaves_none_of_the_set(tmp_path: Path) -> None:
    def full(handle: Any) -> None:
        handle.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        write_files([(str(tmp_path / "w.npz"), _text(b"npz")), (str(tmp_path / "w.py"), full)])
    assert str(caught.value) == f"{tmp_path / 'w.py'}: cannot write: No space left on device"
    assert _listing(tmp_path) == []  # no .npz, no partial .py, no temporary file


def test_no_overwrite_is_enforced_when_the_name_is_taken(tmp_path: Path) -> None:
    # Another process creates w.py after rnnshape checked: the exclusive link must still fail,
    # and the set's first file must be withdrawn again.
    def racing(handle: Any) -> None:
        (tmp_path / "w.py").write_bytes(b"theirs")
        handle.write(b"ours")

    with pytest.raises(UsageError, match="w.py exists"):
        write_files([(str(tmp_path / "w.npz"), _text(b"npz")), (str(tmp_path / "w.py"), racing)])
    assert _listing(tmp_path) == ["w.py"] and (tmp_path / "w.py").read_bytes() == b"theirs"


_SIGNALLED = """
import os, signal, sys
from rnnshape.output import write_files
folder, which = sys.argv[1], getattr(signal, sys.argv[2])
def slow(handle):
    handle.write(b"x" * 1_000_000)
    os.kill(os.getpid(), which)
    handle.write(b"never")
write_files([(os.path.join(folder, "out.npz"), slow), (os.path.join(folder, "out.py"), lambda h: h.write(b"code"))])
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_signal_mid_write_leaves_no_temporary_file(tmp_path: Path, name: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", _SIGNALLED, str(tmp_path), name], env=env, capture_output=True, timeout=120)
    if name == "SIGTERM":
        assert result.returncode == -signal.SIGTERM  # still ends as SIGTERM ends a process
    else:
        assert b"KeyboardInterrupt" in result.stderr
    assert _listing(tmp_path) == [], [p for p in _listing(tmp_path) if p.startswith(TEMP_PREFIX)]


def test_numpy_output_errors_name_the_users_path(tmp_path: Path, cli) -> None:
    os.mkfifo(tmp_path / "f.py")
    result = cli("numpy", str(ROOT / "examples" / "rnn_shapes.yaml"), "-o", str(tmp_path / "f.py"), "--force")
    assert result.code == 2
    assert result.stderr.strip() == f"rnnshape: error: {tmp_path / 'f.py'} is not a regular file (a device, FIFO or socket); rnnshape writes only regular files"
    result = cli("numpy", str(ROOT / "examples" / "rnn_shapes.yaml"), "-o", str(tmp_path / "no" / "f.py"))
    assert result.code == 1 and f"{tmp_path / 'no' / 'f.py'}: cannot write" in result.stderr and TEMP_PREFIX not in result.stderr
