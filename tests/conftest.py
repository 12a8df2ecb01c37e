"""Shared fixtures: a project copy per test, a tiny argos model and one EPUBCheck JVM per session.

argostranslate reads its folders when first imported, so ``pytest_configure``
points every ``XDG_*`` folder and ``ARGOS_PACKAGES_DIR`` at a session
temporary directory before any test can import it.

``scripts/test.sh`` runs the suite in two pytest-xdist workers (``-n 2 --dist
loadgroup``).  Each worker is a session of its own: its own temporary folders,
drafted project, tiny model and EPUBCheck JVM, so no test depends on where it
runs.  The placement hooks below only decide what runs together and first: the
tests that share one expensive thing (the corpus, Calibre's reading of every
book, the LibreTranslate server) go to one worker, which builds it once, and the
longest files start first, so neither worker is left with a long test at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
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
# Where bytecode goes when the environment keeps it out of the checkout (PYTHONDONTWRITEBYTECODE): outside
# the checkout too, so the few hundred `python -m pipeline` processes the tests start (SIGKILL trials, faults)
# and the workers do not each compile the package and the tests again (about 0.2 s of CPU a process).
_PYCACHE = Path(os.environ.get("PIPELINE_TEST_CACHE") or Path.home() / ".cache" / "pipeline-tests") / "pycache"


def pytest_configure(config: pytest.Config) -> None:
    if sys.dont_write_bytecode and not sys.pycache_prefix:
        sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
        sys.dont_write_bytecode = False
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(_ARGOS_HOME / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "empty-packages")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01 00:00 UTC: reproducible headers
    os.environ.pop("ARGOS_PACKAGE_INDEX", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_ARGOS_HOME, ignore_errors=True)
    if sys.pycache_prefix == str(_PYCACHE) and not hasattr(config, "workerinput"):  # the whole run is over:
        # the bytecode of what lived in temporary folders (the copies test_scripts makes) is of no more use
        shutil.rmtree(_PYCACHE / Path(tempfile.gettempdir()).relative_to("/"), ignore_errors=True)


# Tests that share one expensive thing run in one worker, which builds it once (matched on the test id):
# the corpus read by our reader (a module fixture), Calibre on every book (a module fixture), the
# LibreTranslate server (a session fixture; test_drafting asks for it by name, hence the id).
GROUPS = (("tests/test_gettext_corpus.py::", "gettext-corpus"), ("tests/test_readers.py::test_calibre_", "calibre"),
          ("libretranslate", "libretranslate"))
# The files whose tests take longest (SIGKILL trials; Ace, axe, Calibre; the catalog corpora) start first.
LONG_FIRST = ("test_crash.py", "test_readers.py", "test_gettext_corpus.py", "test_po_mutations.py",
              "test_incremental.py", "test_properties.py", "test_browser.py")


def placement(nodeid: str) -> str:
    """The unit of work a test belongs to: its group, or the test alone."""
    if nodeid.rfind("@") > nodeid.rfind("]"):  # an xdist_group mark, where pytest-xdist could add it
        return nodeid.split("@")[-1]
    lowered = nodeid.lower()
    return next((group for part, group in GROUPS if part in lowered), nodeid)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadgroup`` with the groups above, in the collection order (the longest files first).

    Only placement: a test that runs in the other worker still gets everything it needs (its own
    server, say), so no result depends on it.  (pytest-xdist's own ``xdist_group`` marks rename
    the test ids, which pytest 9.2 no longer lets a plugin do.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Placement(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return placement(nodeid)

    config.option.loadscopereorder = False
    return Placement(config, log)  # type: ignore[arg-type]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first; each file's tests stay together and in order (the same in every worker)."""
    rank = {name: n for n, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


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
