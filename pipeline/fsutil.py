"""Atomic file writes: readers and crashes only ever see the old or the new file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import BusyError, ConflictError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically only when the content differs; return whether it was written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def write_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> bool:
    """Write like ``write_if_changed``, but only if the file still holds ``expected``.

    ``expected`` is what the caller read before working (None: the file did not
    exist).  Returns False when there is nothing to write; raises ``ConflictError``
    when someone else wrote the file meanwhile, leaving their version in place.
    """
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != expected:
        raise ConflictError("changed on disk while this run was working on it (saved in Poedit?); "
                            "left as it is now", path, hint="run the command again to merge it")
    if current == data:
        return False
    write_atomic(path, data)
    return True


@contextlib.contextmanager
def exclusive(lock_path: Path, sweep: Iterable[Path] = ()) -> Iterator[None]:
    """Hold an advisory lock for the whole block; the kernel drops it if the process dies.

    Raises ``BusyError`` at once (never waits) when another process holds it.
    Temporary files that a killed run left in the ``sweep`` folders are removed
    once the lock is ours, because no live writer can own them.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise BusyError(f"another pipeline run{who} is working on this project", lock_path,
                            hint="wait for it to finish, then run again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        for folder in sweep:
            for leftover in folder.glob("**/.*.tmp"):
                leftover.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)
