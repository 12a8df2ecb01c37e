"""The write path under fault injection: a reviewer's save that lands at any step of a write wins.

Like SQLite's fault-injection tests, the write is interrupted at each of its
steps (``pipeline.fsutil._checkpoint``): a concurrent save is made there, the
way Poedit makes it (a new file renamed over the catalog) or the way an
in-place editor does (truncate and rewrite), with and without a delay that
stands for a slow disk.  Whatever the step, the reviewer's bytes are on disk
at the end, and the pipeline either says it left them alone or its own write
landed first and theirs replaced it.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from pipeline import fsutil
from pipeline.errors import ConflictError, WriteError

STEPS = ("written", "synced", "swap", "exchanged")
OLD, OURS, SAVED = b"old catalog\n", b"the pipeline's merge\n", b"the reviewer's save\n"


def _poedit_save(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".poedit-save")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _in_place_save(path: Path, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)


def _inject(monkeypatch: pytest.MonkeyPatch, at: str, action: object) -> list[str]:
    seen: list[str] = []

    def checkpoint(step: str, path: Path) -> None:
        seen.append(step)
        if step == at:
            action(path)  # type: ignore[operator]

    monkeypatch.setattr(fsutil, "_checkpoint", checkpoint)
    return seen


@pytest.mark.parametrize("save", [_poedit_save, _in_place_save], ids=["rename-save", "in-place-save"])
@pytest.mark.parametrize("step", STEPS)
def test_a_save_at_any_step_of_the_write_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  step: str, save: object) -> None:
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    seen = _inject(monkeypatch, step, lambda p: save(p, SAVED))  # type: ignore[operator]
    try:
        fsutil.write_if_unchanged(path, OURS, OLD)
    except ConflictError as exc:
        assert "changed on disk while this run was working on it" in str(exc)
    assert step in seen, seen
    assert path.read_bytes() == SAVED, f"save at step {step!r} lost: {path.read_bytes()!r}"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.po"], "temporary files left behind"


@pytest.mark.parametrize("step", STEPS)
def test_a_save_during_a_slow_disk_step_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 step: str) -> None:
    """A real concurrent writer (a thread) saves while the write sleeps at one step."""
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    started = threading.Event()
    saver = threading.Thread(target=lambda: (started.wait(5), time.sleep(0.02), _poedit_save(path, SAVED)))
    saver.start()

    def slow(p: Path) -> None:
        started.set()
        time.sleep(0.2)

    _inject(monkeypatch, step, slow)
    try:
        fsutil.write_if_unchanged(path, OURS, OLD)
    except ConflictError:
        pass
    saver.join()
    assert path.read_bytes() == SAVED


def test_a_second_save_after_the_exchange_is_the_one_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved before the exchange (seen), then again right after it: the newest save stays."""
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    _inject(monkeypatch, "swap", lambda p: _poedit_save(p, b"first save\n"))
    original = fsutil._checkpoint

    def both(step: str, p: Path) -> None:
        original(step, p)
        if step == "exchanged":
            _poedit_save(p, b"second save\n")

    monkeypatch.setattr(fsutil, "_checkpoint", both)
    with pytest.raises(ConflictError):
        fsutil.write_if_unchanged(path, OURS, OLD)
    assert path.read_bytes() == b"second save\n"


@pytest.mark.parametrize("step", ("written", "synced", "swap"))
def test_without_renameat2_a_save_before_the_last_check_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                step: str) -> None:
    """File systems without RENAME_EXCHANGE: the check moves to just before the rename."""
    monkeypatch.setattr(fsutil, "_renameat2", lambda old, new, flags: False)
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    _inject(monkeypatch, step, lambda p: _poedit_save(p, SAVED))
    with pytest.raises(ConflictError):
        fsutil.write_if_unchanged(path, OURS, OLD)
    assert path.read_bytes() == SAVED


def test_a_file_created_meanwhile_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.po"
    _inject(monkeypatch, "swap", lambda p: p.write_bytes(SAVED))
    with pytest.raises(ConflictError):
        fsutil.write_if_unchanged(path, OURS, None)
    assert path.read_bytes() == SAVED


def test_mode_and_group_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    os.chmod(path, 0o640)
    group = os.getgroups()[-1] if os.getgroups() else os.getgid()
    os.chown(path, -1, group)
    fsutil.write_if_unchanged(path, OURS, OLD)
    st = path.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o640, group)
    assert path.read_bytes() == OURS


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        fsutil.write_atomic(tmp_path / "new.pot", OURS)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.pot").stat().st_mode) == 0o640


def test_a_read_only_file_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "doc.po"
    path.write_bytes(OLD)
    os.chmod(path, 0o444)
    with pytest.raises(WriteError, match="is read-only; left as it is"):
        fsutil.write_if_unchanged(path, OURS, OLD)
    assert path.read_bytes() == OLD and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_symlinked_file_is_refused_not_replaced_by_a_copy(tmp_path: Path) -> None:
    target = tmp_path / "shared.po"
    target.write_bytes(OLD)
    link = tmp_path / "doc.po"
    link.symlink_to(target)
    with pytest.raises(WriteError, match="is a symbolic link; left as it is"):
        fsutil.write_if_unchanged(link, OURS, OLD)
    assert link.is_symlink() and target.read_bytes() == OLD


def test_the_sweep_removes_only_the_pipelines_own_temporary_files(tmp_path: Path) -> None:
    root = tmp_path / "project"
    i18n, cache = root / "i18n" / "es", root / ".cache" / "pipeline"
    outside = tmp_path / "outside"
    for folder in (i18n, cache, outside):
        folder.mkdir(parents=True)
    ours = [i18n / ".doc.po.pipeline-ab_cd123.tmp", cache / ".segment-state.json.pipeline-x1y2z3w4.tmp"]
    staged = root / "i18n" / ".book.pipeline-q1w2e3r4.tmp"
    theirs = [i18n / ".doc.po.tmp", i18n / ".doc.po.swp", i18n / "doc.po~", i18n / ".x.pipeline-short.tmp",
              outside / ".doc.po.pipeline-ab_cd123.tmp"]
    for path in ours + theirs:
        path.write_bytes(b"x")
    staged.mkdir()
    (staged / "content.xhtml").write_bytes(b"x")
    (root / "i18n" / "link").symlink_to(outside)
    fsutil.sweep([root / "i18n", cache, outside, Path("/")], root)
    assert not any(p.exists() for p in ours) and not staged.exists()
    assert all(p.exists() for p in theirs), [p for p in theirs if not p.exists()]


def test_the_lock_never_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_bytes(b"keep me\n")
    lock = tmp_path / "i18n" / ".pipeline.lock"
    lock.parent.mkdir()
    lock.symlink_to(target)
    with pytest.raises(Exception, match="lock file is a symbolic link"), fsutil.exclusive(lock):
        pass
    assert target.read_bytes() == b"keep me\n"


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling", "outside", "proc"])
def test_reading_refuses_what_is_not_a_regular_file_in_the_folder(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    path = folder / "a.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(tmp_path / "gone.txt")
    elif kind == "outside":
        (tmp_path / "secret.txt").write_text("secret")
        path.symlink_to(tmp_path / "secret.txt")
    else:
        path.symlink_to("/proc/self/environ")
    with pytest.raises(WriteError) as caught:
        fsutil.read_inside(path, folder, WriteError)
    assert str(caught.value).startswith(f"{path}: "), str(caught.value)


def test_reading_follows_a_link_that_stays_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "real.txt").write_text("text")
    (folder / "alias.txt").symlink_to("real.txt")
    assert fsutil.read_inside(folder / "alias.txt", folder, WriteError) == b"text"
