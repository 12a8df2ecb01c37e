"""Shared fixtures: a project copy per test and a tiny argos model built once per session.

argostranslate reads its folders when first imported, so ``pytest_configure``
points every ``XDG_*`` folder and ``ARGOS_PACKAGES_DIR`` at a session
temporary directory before any test can import it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
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


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)],
                          capture_output=True, text=True, check=False)


def msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True, check=True).stdout


def invoke(*args: str) -> Result:
    from pipeline.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("i18n", "exports") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def approve(path: Path, msgid_prefix: str, text: str | None = None) -> str:
    """What a reviewer does in Poedit: (optionally edit and) clear fuzzy, then save."""
    from pipeline.po import dumps, load_po

    catalog = load_po(path)
    messages, chosen = [], ""
    for msg in catalog.messages:
        if msg.msgid.startswith(msgid_prefix) and not chosen:
            msg = msg.with_flag("fuzzy", False)
            if text is not None:
                msg = replace(msg, msgstr=text)
            chosen = msg.msgstr
        messages.append(msg)
    path.write_text(dumps(replace(catalog, messages=tuple(messages))), encoding="utf-8")
    return chosen


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


def use_libretranslate(project: Path, *urls: str, **settings: object) -> None:
    """Point the project's pipeline.toml at LibreTranslate servers."""
    lines = ["", "[libretranslate]", "urls = [" + ", ".join(f'"{u}"' for u in urls) + "]"]
    lines += [f"{key} = {value!r}" for key, value in settings.items()]
    with open(project / "pipeline.toml", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
