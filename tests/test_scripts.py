"""The two set-ups: run.sh installs only what running needs and ends saying where the results are;
test.sh adds the test tools.  Run on a copy of the project with a private .venv that borrows the
real one's packages, and a dpkg-query that records what it is asked (so nothing is installed)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import ROOT

RUN = {"gettext", "libunistring2", "apertium", "apertium-eng-spa", "apertium-es-pt", "apertium-fr-es",
       "epubcheck", "default-jre-headless"}
TEST_ONLY = {"poedit", "xvfb", "xdotool", "chromium", "pandoc", "default-jdk-headless"}


@pytest.fixture()
def copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("scripts", "seeds", "pipeline"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pipeline.toml", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    (site / "borrowed.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n{root}\n", encoding="utf-8")
    (venv / "bin" / "pipeline").write_text(f'#!/bin/sh\nexec "{venv}/bin/python" -m pipeline "$@"\n')
    (venv / "bin" / "pipeline").chmod(0o755)
    pins = (root / "pyproject.toml").read_bytes() + (root / "scripts" / "constraints.txt").read_bytes()
    digest = hashlib.sha256(pins).hexdigest()[:16]  # as scripts/setup.sh names its stamp
    (venv / f".installed-{digest}").touch()  # the project is installed: pip is never called
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg-query").write_text(  # the package is the last argument
        f'#!/bin/sh\nfor last; do :; done\necho "$last" >> "{tmp_path}/asked"\nprintf "install ok installed"\n')
    (fake / "dpkg-query").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    return root, env


def _asked(root: Path) -> set[str]:
    return set((root.parent / "asked").read_text().split())


@pytest.mark.slow
def test_setup_modes_install_what_each_needs(copy: tuple[Path, dict[str, str]]) -> None:
    root, env = copy
    run = subprocess.run(["bash", "scripts/setup.sh"], cwd=root, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert _asked(root) == RUN
    lines = run.stderr.splitlines()
    assert lines[0] == f"setup (run): [1/3] Debian packages: all {len(RUN)} present"
    assert lines[-1] == "setup (run): done" and any("[3/3]" in line for line in lines)
    (root.parent / "asked").unlink()
    test = subprocess.run(["bash", "scripts/setup.sh", "test"], cwd=root, env=env, capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    assert _asked(root) == RUN | TEST_ONLY
    bad = subprocess.run(["bash", "scripts/setup.sh", "everything"], cwd=root, env=env, capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "usage: bash scripts/setup.sh [run|test]" in bad.stderr


def test_scripts_name_the_right_set_up() -> None:
    assert "bash scripts/setup.sh run" in (ROOT / "scripts" / "run.sh").read_text()
    assert "bash scripts/setup.sh test" in (ROOT / "scripts" / "test.sh").read_text()
    assert not any(pkg in (ROOT / "scripts" / "run.sh").read_text() for pkg in TEST_ONLY)


@pytest.mark.slow
def test_run_sh_ends_with_where_the_results_are(copy: tuple[Path, dict[str, str]]) -> None:
    root, env = copy
    result = subprocess.run(["bash", "scripts/run.sh", "-q"], cwd=root, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _asked(root) == RUN
    tail = result.stdout.strip().splitlines()[-3:]
    assert tail[0] == "books: 42 in exports/<lang>/ (en, es, fr, pt), 42 as .epub files"
    assert tail[1] == f"web edition: exports/index.html (open {(root / 'exports' / 'index.html').as_uri()})"
    assert tail[2].startswith("catalogs for reviewers: i18n/<lang>/*.po")
    assert "setup (run): [1/3]" in result.stderr and "run: pipeline run -q" in result.stderr
