"""Writing rendered books: the expanded EPUB folder and the zipped ``.epub``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from .fsutil import write_atomic, write_if_changed

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_expanded(folder: Path, files: Mapping[str, bytes]) -> bool:
    """Make ``folder`` hold exactly ``files``; touch nothing that is already right."""
    changed = False
    for name in sorted(files):
        changed |= write_if_changed(folder / name, files[name])
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                changed = True
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


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
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
