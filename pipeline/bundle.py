"""Writing rendered books: the expanded EPUB folder and the zipped ``.epub``."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from .fsutil import os_error, replace_folder, staging_folder, write_atomic

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_expanded(folder: Path, files: Mapping[str, bytes]) -> bool:
    """Make ``folder`` hold exactly ``files``: built in a staging folder, then swapped in whole.

    A reader, a crash or a full disk sees the old book or the new one, never a mix;
    a book that is already right is not touched at all.
    """
    if _holds_exactly(folder, files):
        return False
    staged = staging_folder(folder)
    try:
        for name in sorted(files):
            target = staged / name
            target.parent.mkdir(parents=True, exist_ok=True)
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


def _holds_exactly(folder: Path, files: Mapping[str, bytes]) -> bool:
    if not folder.is_dir() or folder.is_symlink():
        return False
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}
    if present != set(files):
        return False
    return all((folder / name).read_bytes() == data for name, data in files.items())


def epub_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zipped EPUB: ``mimetype`` first and stored, then the rest with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=_EPOCH)
        info.compress_type = zipfile.ZIP_STORED
        archive.writestr(info, files["mimetype"])
        for name in sorted(n for n in files if n != "mimetype"):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_epub(path: Path, files: Mapping[str, bytes]) -> bool:
    data = epub_bytes(files)
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
