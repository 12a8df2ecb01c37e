"""Writing rendered books: the expanded EPUB folder and the zipped ``.epub``."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

from .fsutil import os_error, replace_folder, staging_folder, write_atomic

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_expanded(folder: Path, files: Mapping[str, bytes]) -> bool:
    """Make ``folder`` hold exactly ``files``: built in a staging folder, then swapped in whole.

    A reader, a crash or a full disk sees the old book or the new one, never a mix;
    a book that is already right is not touched at all.  A file the old book already
    holds byte for byte is linked into the staging folder rather than written again
    (a collection whose one chapter changed writes that chapter, not all of them).
    """
    same = _unchanged(folder, files)
    if same is None:
        return False
    staged = staging_folder(folder)
    try:
        for name in sorted(files):
            target = staged / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in same and _linked(folder / name, target):
                continue
            with open(target, "wb") as handle:
                handle.write(files[name])
                handle.flush()
                os.fsync(handle.fileno())
        replace_folder(folder, staged)
    except OSError as exc:
        raise os_error(exc, folder) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return True


def _unchanged(folder: Path, files: Mapping[str, bytes]) -> set[str] | None:
    """The names whose bytes ``folder`` already holds; None when it holds exactly ``files``."""
    if not folder.is_dir() or folder.is_symlink():
        return set()
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_symlink() or not p.is_dir()}
    same = set()
    for name in present & set(files):
        path = folder / name
        try:
            if not path.is_symlink() and path.is_file() and path.read_bytes() == files[name]:
                same.add(name)
        except OSError:
            pass
    return None if same == present == set(files) else same


def _linked(old: Path, target: Path) -> bool:
    """A second name for a file the old book holds (it is already on disk); False where links fail."""
    try:
        os.link(old, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def epub_bytes(files: Mapping[str, bytes], previous: bytes | None = None) -> bytes:
    """A zipped EPUB: ``mimetype`` first and stored, then the rest deflated, with fixed timestamps.

    Written here rather than by ``zipfile`` so that a member ``previous`` (the book's
    last ``.epub``) already holds, byte for byte, is copied compressed, not compressed
    again: a collection whose one chapter changed compresses that chapter.  The bytes
    are the same either way (the same deflate settings on the same input).
    """
    names = ["mimetype", *sorted(n for n in files if n != "mimetype")]
    if len(names) > 0xFFFF or sum(len(files[n]) for n in names) > 0x7FFFFFFF:
        return _zip64(files, names)  # beyond the plain format's limits (never a real book)
    known = _members(previous)
    out = io.BytesIO()
    central = []
    for name in names:
        data = files[name]
        crc = zlib.crc32(data)
        method = 0 if name == "mimetype" else 8
        raw = data if method == 0 else _reused(known.get(name), crc, data) or _deflate(data)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # the name is UTF-8
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, _DOS_DATE, crc, len(raw), len(data),
                              len(encoded), 0) + encoded)
        out.write(raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, flags, method, 0, _DOS_DATE, crc,
                                   len(raw), len(data), len(encoded), 0, 0, 0, 0,
                                   (0o600 if method == 0 else 0o644) << 16, offset) + encoded)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest a ZIP can say; the time is 00:00


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile deflates
    return compressor.compress(data) + compressor.flush()


def _members(previous: bytes | None) -> dict[str, tuple[int, int, bytes]]:
    """Each deflated member of an earlier ``.epub``: its CRC, size and compressed bytes."""
    if not previous:
        return {}
    found = {}
    try:
        with zipfile.ZipFile(io.BytesIO(previous)) as archive:
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x9:  # encrypted or streamed
                    continue
                header = previous[info.header_offset:info.header_offset + 30]
                name_length, extra_length = struct.unpack("<HH", header[26:30])
                start = info.header_offset + 30 + name_length + extra_length
                found[info.filename] = (info.CRC, info.file_size, previous[start:start + info.compress_size])
    except (zipfile.BadZipFile, struct.error, ValueError, OSError):
        return {}
    return found


def _reused(member: tuple[int, int, bytes] | None, crc: int, data: bytes) -> bytes | None:
    """An earlier member's compressed bytes where they hold exactly ``data`` (checked, not assumed)."""
    if member is None or member[0] != crc or member[1] != len(data):
        return None
    try:
        stream = zlib.decompressobj(-15)
        same = stream.decompress(member[2]) == data and stream.eof and not stream.unused_data
    except zlib.error:
        return None
    return member[2] if same else None


def _zip64(files: Mapping[str, bytes], names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = (0o600 if name == "mimetype" else 0o644) << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_epub(path: Path, files: Mapping[str, bytes], *, reuse: bool = False) -> bool:
    """Write the ``.epub`` unless it already holds these bytes; ``reuse``: the one there is exactly as
    this program wrote it, so its compressed members may be copied (another tool's would not be the
    bytes a fresh export writes)."""
    try:
        old = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        old = None
    data = epub_bytes(files, old if reuse else None)
    if old == data:
        return False
    write_atomic(path, data)
    return True
