"""Faults of the real world, one case per file in tests/adversarial/faults/.

Each case file says what it is (its docstring, also its row in docs/safety.md), how to
arrange the fault in a project of two good articles (``arrange``), which
command meets it (``COMMAND``, default ``run --engine none``), and what must
be said (``EXPECT``: a fragment of the one error line, or None when the input
is accepted).  ``MOUNT`` puts a folder of the project on its own small tmpfs
(a real full disk, a real read-only file system); those cases need root and
are skipped with the reason otherwise.  Every case: no traceback, the
expected line once per path, exit code 1 for a fault, and, unless the fault
stops everything (``ALL_FAIL``), the good articles fully processed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from helpers import ROOT, SEEDS, msgfmt_check

FAULTS = Path(__file__).parent / "adversarial" / "faults"
CASES = sorted(FAULTS.glob("*.py"))
GOOD = ("000_afd28e63ccbb2c86", "001_848bedc52bb3e968")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"fault_{path.stem.replace('-', '_')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pipeline(root: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, as a user runs it (no traceback can hide in a runner)."""
    prefix = [] if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run([*prefix, sys.executable, "-m", "pipeline", *args], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)


def _as_user(root: Path, user: int) -> None:
    """Hand the project to an unprivileged user, in a folder that user can reach."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("a real permission error needs root to switch to an unprivileged user (setpriv)")
    for path in [root, *root.rglob("*")]:
        os.lchown(path, user, user)


@pytest.fixture()
def mounted(tmp_path: Path) -> Iterator[list[Path]]:
    points: list[Path] = []
    yield points
    for point in reversed(points):
        if point.is_mount():
            subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)
        else:  # a project made outside pytest's private folder for an unprivileged user
            shutil.rmtree(point, ignore_errors=True)


def _mount(root: Path, folder: str, options: str, points: list[Path]) -> None:
    if os.geteuid() != 0:
        pytest.skip("a real full disk or read-only file system needs root (mount -t tmpfs)")
    target = root / folder
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    points.append(target)


def _project(tmp_path: Path, reachable: bool = False) -> Path:
    if reachable:  # pytest's own folder is private to root; an unprivileged user needs another
        tmp_path = Path(tempfile.mkdtemp(prefix="pipeline-fault-"))
        os.chmod(tmp_path, 0o755)
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    for seed in SEEDS:
        if seed.stem in GOOD:
            shutil.copy(seed, root / "seeds" / seed.name)
    shutil.copy(ROOT / "pipeline.toml", root / "pipeline.toml")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fault(case: Path, tmp_path: Path, mounted: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    fault = _load(case)
    user = getattr(fault, "AS_USER", None)
    root = _project(tmp_path, reachable=user is not None)
    if user is not None:
        mounted.insert(0, root.parent)
    monkeypatch.chdir(root)
    if getattr(fault, "MOUNT", None):
        _mount(root, *fault.MOUNT, mounted)
    if getattr(fault, "BASELINE", False):
        done = _pipeline(root, "run", "--engine", "none")
        assert done.returncode == 0, done.stdout + done.stderr
    if user is not None:
        _as_user(root, user)
    fault.arrange(root)
    command = getattr(fault, "COMMAND", ("run", "--engine", "none"))
    done = _pipeline(root, *command, user=user)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    expect = fault.EXPECT
    if expect is None:
        assert done.returncode == 0, output
    else:
        assert done.returncode == 1, output
        lines = [line for line in done.stderr.splitlines() if expect in line]
        assert lines, f"expected a line with {expect!r}, got:\n{output}"
        assert len(lines) == len(set(lines)), f"the same line said twice:\n{output}"
        assert all(line.startswith("error: ") and "(" in line for line in lines), output
    if hasattr(fault, "verify"):
        fault.verify(root, output)
    if not getattr(fault, "ALL_FAIL", False):
        for doc in GOOD:
            for lang in ("es", "pt", "fr"):
                po = root / "i18n" / lang / f"{doc}.po"
                if po.is_file() and not po.is_symlink():
                    assert msgfmt_check(po).returncode == 0, po
        assert (root / "i18n" / "templates" / f"{GOOD[1]}.pot").is_file(), output


def test_every_fault_case_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    missing = [c.name for c in CASES if f"`faults/{c.name}`" not in readme]
    assert not missing, f"fault cases without a row in the adversarial table: {missing}"
