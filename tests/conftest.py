"""Shared fixtures: a project copy per test, a tiny argos model and one EPUBCheck JVM per session.

argostranslate reads its folders when first imported, so ``pytest_configure``
points every ``XDG_*`` folder and ``ARGOS_PACKAGES_DIR`` at a session
temporary directory before any test can import it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Test modules import these from ``helpers``; the names stay here for tests written before it.
from helpers import (  # noqa: F401
    ROOT,
    SEEDS,
    EpubChecker,
    approve,
    epubcheck_jar,
    invoke,
    msgcat,
    msgfmt_check,
    snapshot,
    use_libretranslate,
)

_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="pipeline-tests-argos-"))


def pytest_configure(config: pytest.Config) -> None:
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(_ARGOS_HOME / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "empty-packages")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01 00:00 UTC: reproducible headers
    os.environ.pop("ARGOS_PACKAGE_INDEX", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_ARGOS_HOME, ignore_errors=True)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the seeds and pipeline.toml; the working directory for the test."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "pipeline.toml", tmp_path / "pipeline.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def drafted_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds segmented, drafted by the pseudo engine in every language and exported, once.

    Read-only: tests take a copy through ``drafted_project``.  Building it costs a
    second; a real engine would cost that per language and per test.
    """
    from click.testing import CliRunner

    from pipeline.cli import cli

    root = tmp_path_factory.mktemp("drafted-template")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(ROOT / "pipeline.toml", root / "pipeline.toml")
    result = CliRunner().invoke(cli, ["--config", str(root / "pipeline.toml"), "run", "--engine", "pseudo"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture()
def drafted_project(drafted_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of ``drafted_template`` (catalogs, books, draft cache); the working directory."""
    root = tmp_path / "project"
    shutil.copytree(drafted_template, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def argos_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine .argosmodel en->es built from the seed texts (nonsense output, real code)."""
    from tinyargos import build_package

    out = tmp_path_factory.mktemp("argosmodel") / "translate-en_es-1_0.argosmodel"
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return build_package(texts, out, "en", "es", "1.0")


@pytest.fixture()
def argos_installed(argos_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packages folder holding the tiny model, installed through `pipeline models install`."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    packages = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    result = CliRunner().invoke(cli, ["models", "install", str(argos_model_file)])
    assert result.exit_code == 0, result.output
    return packages


@pytest.fixture(scope="session")
def libretranslate_url(argos_model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real LibreTranslate server on 127.0.0.1 with the tiny en<->es models, for the session."""
    import libreserver
    from tinyargos import build_package

    home = tmp_path_factory.mktemp("libretranslate")
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    # Two models, so the server does not go looking for its model index online.
    back = build_package(texts, home / "translate-es_en-1_0.argosmodel", "es", "en", "1.0")
    libreserver.install_models(home, [argos_model_file, back])
    with libreserver.servers(home, 1) as urls:
        yield urls[0]


@pytest.fixture(scope="session")
def epubcheck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EpubChecker]:
    """The real EPUBCheck in one JVM for the session: ``epubcheck.check(books)`` -> messages."""
    jar = epubcheck_jar()
    if jar is None:
        pytest.skip("needs epubcheck (scripts/setup.sh installs it)")
    checker = EpubChecker(jar, tmp_path_factory.mktemp("epubcheck"))
    yield checker
    checker.close()
