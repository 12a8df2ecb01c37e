"""Safe file system access: atomic writes that never lose a reviewer's save, and safe reads.

Every file the pipeline writes goes through ``write_atomic``: a temporary file
with a name only the pipeline uses (``.<name>.pipeline-XXXXXXXX.tmp``) beside
the target, fsynced, given the old file's mode and group, then swapped in.
``write_if_unchanged`` swaps with ``renameat2(RENAME_EXCHANGE)`` and looks at
what it took out: if that is not what the run read at the start, someone saved
in between, and their file is swapped back.  There is no window between the
last check and the rename in which a save can be lost.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import BusyError, ConflictError, PipelineError, WriteError

TMP_MARK = ".pipeline-"
_TMP_RE = re.compile(r"^\..+\.pipeline-[a-z0-9_]{8}\.tmp$")
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PSEUDO = ("/proc", "/sys")  # devices anywhere are refused by their file type
_CONFLICT = "changed on disk while this run was working on it (saved in Poedit?); left as it is now"


def _checkpoint(step: str, path: Path) -> None:
    """Called between the steps of a write; the race tests inject delays and saves here."""


def os_error(exc: OSError, path: Path | str, doing: str = "write") -> WriteError:
    """One line for an operating system error: what happened to which path, and what to do."""
    hints = {
        errno.ENOSPC: ("the disk is full", "free some space, then run again"),
        errno.EDQUOT: ("the disk quota is exhausted", "free some space, then run again"),
        errno.EROFS: ("the file system is read-only", "publish to a writable folder, or remount it"),
        errno.EACCES: ("permission denied", "check the owner and permissions of the file and its folder"),
        errno.EPERM: ("operation not permitted", "check the owner and permissions of the file and its folder"),
        errno.ENOTDIR: ("a part of the path is a file, not a folder", "fix [paths] in pipeline.toml"),
        errno.EISDIR: ("is a folder, not a file", "remove or rename the folder"),
        errno.ELOOP: ("is a symbolic link", "replace the link by a regular file"),
    }
    what, hint = hints.get(exc.errno or 0, (exc.strerror or str(exc), "check the file and its folder"))
    return WriteError(f"cannot {doing}: {what}; nothing was changed", path, hint=hint)


def is_temporary(name: str) -> bool:
    """Whether a file name is one of the pipeline's own temporary files."""
    return bool(_TMP_RE.match(name))


def _renameat2(old: str, new: str, flags: int) -> bool:
    """``renameat2``; False when the kernel, libc or file system cannot do it (use a fallback)."""
    libc = ctypes.CDLL(None, use_errno=True)
    func = getattr(libc, "renameat2", None)
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(old), _AT_FDCWD, os.fsencode(new), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), new)


def _existing(path: Path) -> os.stat_result | None:
    """The file a write will replace: a regular, writable file or nothing; never a link."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, path) from None
    if stat.S_ISLNK(st.st_mode):
        raise WriteError("is a symbolic link; left as it is (the pipeline replaces only regular files)", path,
                         hint="replace the link by a copy of its target, or point [paths] in pipeline.toml "
                              "at the real folder")
    if not stat.S_ISREG(st.st_mode):
        raise WriteError("is not a regular file; left as it is", path, hint="remove or rename it")
    if not st.st_mode & 0o222:
        raise WriteError("is read-only; left as it is", path,
                         hint="make it writable (chmod u+w) if the pipeline should update it")
    return st


def _default_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _scratch(path: Path) -> tuple[int, str]:
    """A new empty file beside ``path``, named so the sweep knows it is ours."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise os_error(exc, path) from None


def _temporary(path: Path, data: bytes, old: os.stat_result | None) -> str:
    """A fsynced temporary copy of ``data`` beside ``path``, with the old file's mode and group."""
    fd, tmp = _scratch(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            _checkpoint("written", path)
            os.fchmod(handle.fileno(), stat.S_IMODE(old.st_mode) if old else _default_mode())
            if old is not None:
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), -1, old.st_gid)
            os.fsync(handle.fileno())
            _checkpoint("synced", path)
    except BaseException as exc:
        _discard(tmp)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise
    return tmp


def _discard(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that readers and crashes see the old or the new file only."""
    tmp = _temporary(path, data, _existing(path))
    try:
        _checkpoint("rename", path)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise os_error(exc, path) from None
    _sync_folder(path.parent)


def write_cache(path: Path, data: bytes) -> None:
    """Replace a cache file whole, without waiting for the disk: a crash may lose it (the next run
    reads its inputs again) but never leaves it half written."""
    fd, tmp = _scratch(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise os_error(exc, path) from None


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically only when the content differs; return whether it was written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    write_atomic(path, data)
    return True


def _read_or_none(path: Path | str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def write_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> bool:
    """Write like ``write_if_changed``, but only if the file still holds ``expected``.

    ``expected`` is what the caller read before working (None: the file did not
    exist).  Returns False when there is nothing to write; raises ``ConflictError``
    when someone else wrote the file meanwhile, leaving their version in place,
    even when their save lands while this write is under way.
    """
    try:
        current = _read_or_none(path)
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    if current != expected:
        raise ConflictError(_CONFLICT, path, hint="run the command again to merge it")
    if current == data:
        return False
    tmp = _temporary(path, data, _existing(path))
    try:
        _checkpoint("swap", path)
        _swap(tmp, path, expected, data)
    except OSError as exc:
        raise os_error(exc, path) from None
    finally:
        _discard(tmp)
    _sync_folder(path.parent)
    return True


def _swap(tmp: str, path: Path, expected: bytes | None, ours: bytes) -> None:
    """Put ``tmp`` at ``path`` unless what is there is no longer ``expected``; their save wins."""
    if expected is None:
        try:
            if _renameat2(tmp, str(path), _RENAME_NOREPLACE):
                return
        except FileExistsError:
            raise ConflictError(_CONFLICT, path, hint="run the command again to merge it") from None
        if os.path.lexists(path):  # no renameat2 here: the narrowest check we can make
            raise ConflictError(_CONFLICT, path, hint="run the command again to merge it")
        os.replace(tmp, path)
        return
    if not _renameat2(tmp, str(path), _RENAME_EXCHANGE):
        if _read_or_none(path) != expected:
            raise ConflictError(_CONFLICT, path, hint="run the command again to merge it")
        os.replace(tmp, path)
        return
    _checkpoint("exchanged", path)
    if _read_or_none(tmp) == expected:
        return  # ``tmp`` now holds the old file, which the caller discards
    # Someone saved between our check and the exchange: give them their file back.  If yet
    # another save replaced ours meanwhile, the newest of theirs is the one to keep.
    _renameat2(tmp, str(path), _RENAME_EXCHANGE)
    if _read_or_none(tmp) != ours:
        _renameat2(tmp, str(path), _RENAME_EXCHANGE)
    raise ConflictError(_CONFLICT, path, hint="run the command again to merge it")


def replace_folder(folder: Path, staged: Path) -> None:
    """Swap a fully written ``staged`` folder in for ``folder`` (old or new, never a mix)."""
    try:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise WriteError("is not a folder the pipeline wrote; left as it is", folder,
                             hint="remove or rename it")
        _checkpoint("swap-folder", folder)
        if folder.exists() and _renameat2(str(staged), str(folder), _RENAME_EXCHANGE):
            shutil.rmtree(staged)
        elif folder.exists():
            old = staging_folder(folder)  # an empty folder that a folder may be renamed over
            os.rename(folder, old)
            os.rename(staged, folder)
            shutil.rmtree(old)
        else:
            os.rename(staged, folder)
    except OSError as exc:
        raise os_error(exc, folder) from None
    _sync_folder(folder.parent)


def staging_folder(folder: Path) -> Path:
    """A new empty temporary folder beside ``folder``, named so the sweep knows it is ours."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{folder.name}{TMP_MARK}", suffix=".tmp", dir=folder.parent))
    except OSError as exc:
        raise os_error(exc, folder) from None


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (resolved) lies within ``folder`` (resolved)."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True


def read_inside(path: Path, folder: Path, error: type[PipelineError]) -> bytes:
    """The bytes of a regular file in ``folder``; links out of it, FIFOs, devices and /proc refused."""
    real = os.path.realpath(path)
    if path.is_symlink() and not os.path.exists(real):
        raise error("dangling symbolic link: its target does not exist", path,
                    hint="remove the link or restore its target")
    if not inside(path, folder):
        raise error("symbolic link to a file outside the sources folder; not read", path,
                    hint="copy the file into the folder instead of linking to it")
    if real.startswith(tuple(p + "/" for p in _PSEUDO)):
        raise error("not a regular file (a system pseudo-file); not read", path, hint="remove it")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path, hint="check its permissions") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise error(f"not a regular file ({kind}); not read", path, hint="remove or rename it")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror}", path) from None


def sweep(folders: Iterable[Path], root: Path) -> None:
    """Remove the temporary files and folders a killed run left behind, and nothing else.

    Only names that ``is_temporary`` recognises, only inside the project ``root``
    (never ``/``), never following a symbolic link out of the folder.
    """
    for folder in folders:
        if not folder.is_dir() or folder.is_symlink() or Path(os.path.realpath(folder)) == Path("/") \
                or not inside(folder, root):
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in [*filenames, *dirnames]:
                if not is_temporary(name):
                    continue
                target = os.path.join(dirpath, name)
                st = os.lstat(target)
                if stat.S_ISREG(st.st_mode):
                    os.unlink(target)
                elif stat.S_ISDIR(st.st_mode):
                    shutil.rmtree(target)
            dirnames[:] = [d for d in dirnames if not is_temporary(d)]


@contextlib.contextmanager
def exclusive(lock_path: Path, sweep_folders: Iterable[Path] = (), root: Path | None = None) -> Iterator[None]:
    """Hold an advisory lock for the whole block; the kernel drops it if the process dies.

    Raises ``BusyError`` at once (never waits) when another process holds it.
    The lock file is never followed through a symbolic link.  Temporary files a
    killed run left in ``sweep_folders`` are removed once the lock is ours,
    because no live writer can own them.
    """
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BusyError("lock file is a symbolic link; refusing to use it", lock_path,
                            hint="remove the link; the pipeline creates the lock file itself") from None
        raise os_error(exc, lock_path, "create the lock file") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BusyError("lock file is not a regular file", lock_path, hint="remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise BusyError(f"another pipeline run{who} is working on this project", lock_path,
                            hint="wait for it to finish, then run again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        if root is not None:
            sweep(sweep_folders, root)
        yield
    finally:
        os.close(fd)
