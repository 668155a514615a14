"""Binary Keras files: the ``.keras`` zip (Keras 3) and the legacy ``.h5`` (HDF5).

Only the model's architecture is read: ``config.json`` from the zip, in memory and
never extracted, with limits on its size and compression ratio (zip bombs); the
``model_config`` attribute of the HDF5 root via h5py (an optional dependency). The
weights themselves are never loaded.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from typing import Any

from .. import limits
from ..errors import FormatError, MissingDependency, Position
from ..spec import LayerSpec, ModelSpec
from .keras_json import load_keras_json_text




def refuse_polyglot(path: str, head: bytes) -> None:
    """Refuse a file that is both a zip archive and an HDF5 file (a zip in an HDF5 user block,
    or the reverse), whatever its name: Keras and rnnshape could each read a different model.

    Zip: the local-header signature at the start, or an end-of-central-directory record
    (``zipfile.is_zipfile``). HDF5: its signature at 0, 512, 1024, 2048, ... where the library
    looks for the superblock.
    """
    from .registry import HDF5_MAGIC

    is_zip = head.startswith(b"PK\x03\x04") or _zip_directory(path)
    if is_zip and _hdf5_superblock(path, head, HDF5_MAGIC):
        raise FormatError(
            "is both a zip archive and an HDF5 file (a polyglot: Keras and rnnshape could read different models); refused",
            pos=Position(path),
        )


def _zip_directory(path: str) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _hdf5_superblock(path: str, head: bytes, magic: bytes) -> bool:
    if head.startswith(magic):
        return True
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            offset = 512
            while offset + len(magic) <= size:
                handle.seek(offset)
                if handle.read(len(magic)) == magic:
                    return True
                offset *= 2
    except OSError:
        return False
    return False


def load_keras_archive(path: str, *, input_layer: LayerSpec | None = None) -> ModelSpec:
    source = f"{path}[config.json]"
    try:
        with zipfile.ZipFile(path) as archive:
            members = checked_members(archive, path)
            info = members.get("config.json")
            if info is None:
                raise FormatError(
                    "the archive has no config.json, so it is not a Keras 3 .keras file",
                    pos=Position(path),
                    hint="a weights-only file holds no architecture; save with model.save('x.keras')",
                )
            _check_member(info, path)
            max_bytes = limits.value(limits.ZIP_MEMBER_BYTES)
            with archive.open(info) as member:
                data = member.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FormatError("config.json is larger than its header says", pos=Position(path))
            version = _metadata_version(archive, members.get("metadata.json"))
    except zipfile.BadZipFile as err:
        raise FormatError(f"is not a valid zip archive ({err})", pos=Position(path)) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError, OverflowError, zlib.error) as err:
        # zipfile raises ValueError/OverflowError on some corrupt headers, zlib.error on bad data
        raise FormatError(f"cannot be read as a .keras archive: {err}", pos=Position(path)) from None
    return load_keras_json_text(_decode(data, source), source, input_layer=input_layer, keras_version=version)


def checked_members(archive: zipfile.ZipFile, path: str) -> dict[str, zipfile.ZipInfo]:
    """The members of a .keras archive by name, refusing too many and any name given twice.

    Two members of one name are a parser differential: rnnshape would read one and Keras
    (``ZipFile.getinfo``: the last) the other, so the linter could be shown another model.
    """
    infos = archive.infolist()
    if len(infos) > limits.value(limits.ZIP_MEMBERS):
        raise FormatError(limits.exceeded(limits.ZIP_MEMBERS, f"the archive has {len(infos):,} members"), pos=Position(path))
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in members:
            raise FormatError(
                f"the archive holds two members named '{_shown(info.filename)}' (readers disagree on which counts); refused",
                pos=Position(path),
            )
        members[info.filename] = info
    return members


def _shown(name: str) -> str:
    text = name.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 80 else text[:77] + "..."


def _check_member(info: zipfile.ZipInfo, path: str) -> None:
    if info.file_size > limits.value(limits.ZIP_MEMBER_BYTES):
        raise FormatError(
            limits.exceeded(limits.ZIP_MEMBER_BYTES, f"config.json would expand to {info.file_size:,} bytes"),
            pos=Position(path),
        )
    if info.compress_size and info.file_size / info.compress_size > limits.value(limits.ZIP_RATIO):
        raise FormatError(
            limits.exceeded(
                limits.ZIP_RATIO, f"config.json is compressed {info.file_size // info.compress_size}:1 (a zip bomb?)"
            ),
            pos=Position(path),
        )


def _metadata_version(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> str | None:
    if info is None or info.file_size > 65536:
        return None
    try:
        with archive.open(info) as member:
            meta = json.loads(member.read(65537))
    except (ValueError, OSError, EOFError, RuntimeError, NotImplementedError, OverflowError, zlib.error, zipfile.BadZipFile):
        return None
    version = meta.get("keras_version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else None


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("is not UTF-8 text", pos=Position(source)) from None


def load_h5(path: str, *, input_layer: LayerSpec | None = None) -> ModelSpec:
    try:
        import h5py
    except ImportError:
        raise MissingDependency(
            "reading .h5 files needs h5py, which is not installed",
            pos=Position(path),
            hint="pip install 'rnnshape[h5]' (or save the model as .keras or model.to_json())",
        ) from None
    source = f"{path}[model_config]"
    try:
        with h5py.File(path, "r") as handle:
            attrs = handle.attrs
            if "model_config" not in attrs:
                raise FormatError(
                    "this HDF5 file holds weights only (no model_config attribute)",
                    pos=Position(path),
                    hint="rnnshape needs the architecture: save with model.save('x.h5'), "
                    "model.save('x.keras') or model.to_json()",
                )
            raw: Any = attrs["model_config"]
            version: Any = attrs.get("keras_version")
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as err:
        # h5py raises OSError for unreadable files and ValueError/RuntimeError/KeyError/TypeError on
        # corrupt or unusual structures (e.g. an attribute of a type it cannot convert).
        raise FormatError(f"cannot be read as HDF5: {' '.join(str(err).split()) or type(err).__name__}", pos=Position(path)) from None
    if hasattr(raw, "tobytes") and not isinstance(raw, (bytes, str)):
        raw = raw.tobytes()
    if not isinstance(raw, (bytes, str)):
        raise FormatError(
            f"the model_config attribute is a {type(raw).__name__}, not JSON text", pos=Position(path)
        )
    if len(raw) > limits.value(limits.ZIP_MEMBER_BYTES):
        raise FormatError(
            limits.exceeded(limits.ZIP_MEMBER_BYTES, f"model_config is {len(raw):,} bytes"), pos=Position(path)
        )
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    text = _decode(raw, source)
    return load_keras_json_text(
        text, source, input_layer=input_layer, keras_version=version if isinstance(version, str) else None
    )
