"""A language newly added to pipeline.toml: catalogs created when needed or an exact instruction,
never a silent no-op or a false 100%; install advice computed from what Debian really has."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import invoke

from pipeline.advice import debian_pairs, install_hint
from pipeline.cli import cli
from pipeline.engines.apertium import available_modes
from pipeline.po import load_po

DOC = "002_a52b92a0a50288ae"
HAS_APT = shutil.which("apt-cache") is not None and bool(
    subprocess.run(["apt-cache", "pkgnames", "apertium-"], capture_output=True, text=True).stdout.strip())


def _add(project: Path, *langs: str) -> None:
    toml = project / "pipeline.toml"
    quoted = ", ".join(f'"{lang}"' for lang in ("es", "pt", "fr", *langs))
    toml.write_text(toml.read_text().replace('["es", "pt", "fr"]', f"[{quoted}]"), encoding="utf-8")


@pytest.fixture()
def segmented(project: Path) -> Path:
    assert invoke("segment").exit_code == 0
    _add(project, "gl")  # apertium-en-gl exists in Debian but is not installed
    return project


def test_status_of_a_new_language_is_not_100_percent(segmented: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "-l", "gl", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    assert data["missing"] == 5 and data["total"]["percent"] == 0.0
    assert all(r["missing"] and r["untranslated"] > 0 for r in data["documents"])
    assert f"i18n/gl/{DOC}.po: no catalog yet for this language (run 'pipeline segment -l gl'" in result.output
    table = CliRunner().invoke(cli, ["status"]).output
    assert "5 catalog(s) not created yet; their entries count as untranslated" in table
    assert "(no catalog yet) Social Movement" in table
    # check says so too, and does not pass
    checked = CliRunner().invoke(cli, ["check", "-l", "gl"])
    assert checked.exit_code == 1 and "5 file(s) could not be checked" in checked.output
    assert not (segmented / "i18n" / "gl").exists(), "status and check only read"


def test_translate_creates_the_catalogs_and_says_what_to_install(segmented: Path) -> None:
    result = CliRunner().invoke(cli, ["translate", "-l", "gl"])
    assert result.exit_code == 1
    assert "segment: 5 catalog(s) were missing (new language gl); 5 catalog(s) written" in result.output
    assert "translate gl: nothing drafted" in result.output
    assert "gl: no translation engine for en->gl; language skipped" in result.output
    assert all(load_po(p).active() for p in (segmented / "i18n" / "gl").glob("*.po"))
    assert len(list((segmented / "i18n" / "gl").glob("*.po"))) == 5
    if HAS_APT:
        assert "install the Debian package apertium-en-gl ('apt-get install apertium-en-gl')" in result.output
    status = CliRunner().invoke(cli, ["status", "-l", "gl"])
    assert status.exit_code == 0 and re.search(r"^total .* 0\.0%$", status.output, re.M)


def test_export_creates_the_catalogs_of_a_new_language(segmented: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-l", "gl"])
    assert result.exit_code == 0, result.output
    assert "catalog(s) were missing (new language gl)" in result.output
    assert (segmented / "exports" / "gl" / DOC / "OEBPS" / "content.xhtml").is_file()


@pytest.mark.slow
def test_a_new_article_is_segmented_before_translate(segmented: Path) -> None:
    (segmented / "seeds" / "005_new.txt").write_text("A new article\n\nIts only paragraph.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", "-l", "es", "--engine", "apertium"])
    assert result.exit_code == 0, result.output
    assert "segment: 2 catalog(s) were missing (new article 005_new); 2 catalog(s) written" in result.output
    assert all(m.msgstr and m.fuzzy for m in load_po(segmented / "i18n" / "es" / "005_new.po").active())


@pytest.mark.skipif(not HAS_APT, reason="needs apt-cache with Debian's package lists")
@pytest.mark.slow
@pytest.mark.parametrize("target", ["it", "gl", "ca", "de", "ro", "oc", "eo", "ast", "uk", "ja"])
def test_install_advice_names_only_real_uninstalled_packages(target: str) -> None:
    hint = install_hint("en", target)
    named = set(re.findall(r"apertium-[a-z]{2,3}-[a-z]{2,3}", hint))
    real = {p.name: p for p in debian_pairs()}
    for name in named:
        assert name in real, f"{name} is not a real Debian package"
        assert not real[name].installed, f"{name} is installed already"
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", name], capture_output=True, text=True)
        assert shown.returncode == 0 and "transitional" not in shown.stdout.lower()
    assert f"apertium-en-{target}" not in hint or f"apertium-en-{target}" in real
    assert "pipeline models" in hint


@pytest.mark.skipif(not HAS_APT, reason="needs apt-cache with Debian's package lists")
@pytest.mark.slow
def test_install_advice_pivots_through_spanish() -> None:
    if ("en", "es") not in available_modes():
        pytest.skip("needs apertium-eng-spa installed")
    hint = install_hint("en", "it")
    assert hint.startswith("install apertium-spa-ita ('apt-get install apertium-spa-ita'): "
                           "en->it then goes through Spanish")
    assert "apertium-eng-spa" not in hint and "apertium-en-it" not in hint
    # apertium-es-ro carries only ro->es, so it is no way to Romanian
    assert "apertium-es-ro" not in install_hint("en", "ro")


@pytest.mark.parametrize("pairs, target, expected", [
    ([("en", "de")], "de", "'pipeline models download en de' (argos's index has it)"),
    ([("en", "es"), ("es", "eu")], "eu", "'pipeline models download en es' and 'pipeline models download es eu'"),
    ([("en", "es")], "ja", "(argos's index has no model for en->ja, directly or through one language)"),
])
def test_argos_advice_follows_the_index(pairs: list[tuple[str, str]], target: str, expected: str,
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from argostranslate import settings

    from pipeline.advice import _argos_advice

    index = tmp_path / "index.json"
    index.write_text(json.dumps([{"from_code": a, "to_code": b, "type": "translate"} for a, b in pairs]))
    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")  # offline
    monkeypatch.setattr(settings, "local_package_index", index)  # the copy of its last download
    assert expected in _argos_advice("en", target)
    index.unlink()
    assert _argos_advice("en", target).endswith(f"'pipeline models download en {target}' when online")


@pytest.mark.skipif(not HAS_APT, reason="needs apt-cache with Debian's package lists")
@pytest.mark.slow
def test_install_advice_downloads_a_package_once_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a package version carries is kept in the project's cache: the second advice fetches nothing."""
    from pipeline import advice

    first = install_hint("en", "it", tmp_path)
    cached = json.loads((tmp_path / "apertium-modes.json").read_text(encoding="utf-8"))
    assert cached and all("=" in key for key in cached), cached

    def offline(name: str) -> None:
        raise AssertionError(f"{name} was downloaded again")

    monkeypatch.setattr(advice, "package_modes", offline)
    assert install_hint("en", "it", tmp_path) == first
