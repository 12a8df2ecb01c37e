"""The `pipeline` command end to end through Click's CliRunner, on a copy of the seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import approve, invoke, msgcat, msgfmt_check, snapshot

from pipeline.catalog import fingerprint
from pipeline.cli import cli
from pipeline.po import load_po

DOCS = ["000_afd28e63ccbb2c86", "001_848bedc52bb3e968", "002_a52b92a0a50288ae",
        "003_70e39d520399d067", "004_f54c4b78720f0974"]


@pytest.fixture()
def ran(drafted_project: Path) -> Path:
    """The seeds after ``pipeline run`` with the pseudo engine (a copy of the session's project)."""
    return drafted_project


def test_run_produces_valid_catalogs_and_bundles(ran: Path) -> None:
    for lang in ("es", "pt", "fr"):
        for doc in DOCS:
            po = ran / "i18n" / lang / f"{doc}.po"
            check = msgfmt_check(po)
            assert check.returncode == 0 and check.stderr == "", check.stderr
            assert msgcat(po) == po.read_bytes()
            catalog = load_po(po)
            assert catalog.header_value("Language") == lang
            assert catalog.header_value("Plural-Forms").startswith("nplurals=")
            active = catalog.active()
            assert active and all(m.msgstr and m.fuzzy for m in active)
            assert all(m.translator_comments[-1].startswith("machine translation: pseudo accents-1")
                       for m in active)
            assert (ran / "exports" / lang / doc / "OEBPS" / "content.xhtml").is_file()
    for doc in DOCS:
        assert msgcat(ran / "i18n" / "templates" / f"{doc}.pot") == \
            (ran / "i18n" / "templates" / f"{doc}.pot").read_bytes()
        assert (ran / "exports" / "en" / doc / "mimetype").read_bytes() == b"application/epub+zip"
    spanish = load_po(ran / "i18n" / "es" / "000_afd28e63ccbb2c86.po")
    assert {m.msgid: m.msgstr for m in spanish.messages}["US out of Venezuela!"] == "¡ÚS óút óf Vénézúélá!"  # ¡ added by the Spanish repair


def test_second_run_changes_no_file(ran: Path) -> None:
    before = snapshot(ran)
    result = invoke("run")
    assert result.exit_code == 0, result.output
    assert snapshot(ran) == before


def test_translate_never_touches_existing_msgstr_and_export_shows_approval(ran: Path) -> None:
    po = ran / "i18n" / "es" / "003_70e39d520399d067.po"
    approved = approve(po, "US Imperialist Aggression", "La agresión imperialista de EE. UU. en América Latina")
    draft_before = {m.msgid: m.msgstr for m in load_po(po).messages}
    (ran / "seeds" / "003_70e39d520399d067.txt").write_text(
        (ran / "seeds" / "003_70e39d520399d067.txt").read_text(encoding="utf-8") + "\n\nA new closing line.",
        encoding="utf-8")
    assert invoke("run", "--engine", "pseudo").exit_code == 0
    after = {m.msgid: m for m in load_po(po).messages}
    assert after["US Imperialist Aggression in Latin America and the Caribbean"].msgstr == approved
    assert not after["US Imperialist Aggression in Latin America and the Caribbean"].fuzzy
    assert all(after[k].msgstr == v for k, v in draft_before.items() if k in after)
    assert after["A new closing line."].fuzzy and after["A new closing line."].msgstr
    xhtml = (ran / "exports" / "es" / "003_70e39d520399d067" / "OEBPS" / "content.xhtml").read_text()
    assert f'<h2 id="h1" class="heading target">{approved}</h2>' in xhtml
    # every unapproved paragraph falls back to English, marked as such
    assert xhtml.count('class="paragraph untranslated" lang="en" xml:lang="en"') == 20  # 19 + the new one
    assert '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="es" ' \
           'xml:lang="es" dir="ltr">' in xhtml


def test_include_drafts_labels_machine_translation(ran: Path) -> None:
    assert invoke("export", "-l", "fr", "--include-drafts").exit_code == 0
    xhtml = (ran / "exports" / "fr" / "000_afd28e63ccbb2c86" / "OEBPS" / "content.xhtml").read_text()
    assert 'class="paragraph target draft"' in xhtml
    assert '<span class="draft-label">Traduction automatique non relue :</span>' in xhtml
    assert "untranslated" not in xhtml


def test_status_json_counts(ran: Path) -> None:
    approve(ran / "i18n" / "pt" / "004_f54c4b78720f0974.po", "VENEZUELAN President")
    result = invoke("status", "--json", "-l", "pt")
    assert result.exit_code == 0
    data = json.loads(result.output)
    row = next(r for r in data["documents"] if r["document"] == "004_f54c4b78720f0974")
    assert (row["approved"], row["drafts"], row["untranslated"]) == (1, 17, 0)
    assert row["approved_words"] > 0 and 0 < row["percent"] < 100
    assert data["total"]["total"] == sum(r["total"] for r in data["documents"])
    table = invoke("status").output
    assert re.search(r"^total\s", table, re.M)


@pytest.mark.slow
def test_language_without_engine_is_skipped_and_others_finish(project: Path) -> None:
    toml = project / "pipeline.toml"
    toml.write_text(toml.read_text().replace('["es", "pt", "fr"]', '["es", "de"]'))
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 1
    assert "de: no translation engine for en->de" in result.output
    assert "language skipped" in result.output
    assert not isinstance(result.exception, Exception), result.exc_info
    assert load_po(project / "i18n" / "es" / "000_afd28e63ccbb2c86.po").active()[0].msgstr
    assert not load_po(project / "i18n" / "de" / "000_afd28e63ccbb2c86.po").active()[0].msgstr
    assert (project / "exports" / "de" / "000_afd28e63ccbb2c86" / "OEBPS" / "content.xhtml").exists()


def test_engine_none_leaves_msgstr_empty(project: Path) -> None:
    assert invoke("segment").exit_code == 0
    assert invoke("translate", "--engine", "none").exit_code == 0
    assert all(not m.msgstr for m in load_po(project / "i18n" / "es" / "001_848bedc52bb3e968.po").messages)


@pytest.mark.slow
def test_argos_drafts_name_the_model(project: Path, argos_installed: Path) -> None:
    assert invoke("segment", "-l", "es").exit_code == 0
    result = invoke("translate", "-l", "es")
    assert result.exit_code == 0, result.output
    catalog = load_po(project / "i18n" / "es" / "002_a52b92a0a50288ae.po")
    assert all(m.translator_comments == (
        f"machine translation: argos translate-en_es-1.0 [{fingerprint(m.msgstr)}]",) and m.fuzzy
        for m in catalog.active())
    assert msgfmt_check(project / "i18n" / "es" / "002_a52b92a0a50288ae.po").returncode == 0


@pytest.mark.parametrize("args, message", [
    (["--config", "missing.toml", "status"], "missing.toml: configuration file not found"),
    (["models", "install", "nothing.argosmodel"], "nothing.argosmodel: file not found"),
], ids=["no-config", "no-model-file"])
def test_errors_are_one_line_without_traceback(project: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert message in result.output
    assert not isinstance(result.exception, Exception), result.exc_info


def test_broken_catalog_is_reported_and_other_documents_continue(ran: Path) -> None:
    po = ran / "i18n" / "es" / "000_afd28e63ccbb2c86.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "US out of Venezuela!"\nmsgstr "', 'msgid "US out of Venezuela!"\nmsgstr ', 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["segment"])
    assert result.exit_code == 1
    assert re.search(r"000_afd28e63ccbb2c86\.po:\d+: cannot understand this line", result.output)
    assert (ran / "i18n" / "es" / "001_848bedc52bb3e968.po").exists()


@pytest.mark.slow
def test_models_list_install_and_refuse_overwrite(argos_installed: Path, argos_model_file: Path) -> None:
    listed = invoke("models", "list")
    assert "en->es  translate-en_es-1.0" in listed.output
    again = CliRunner().invoke(cli, ["models", "install", str(argos_model_file)])
    assert again.exit_code == 1 and "already installed" in again.output and "--force" in again.output
    forced = invoke("models", "install", "--force", str(argos_model_file))
    assert forced.exit_code == 0


def test_models_install_rejects_unsafe_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("pkg/metadata.json", '{"from_code": "en", "to_code": "es"}')
        archive.writestr("../escape.txt", "x")
    result = CliRunner().invoke(cli, ["models", "install", str(evil)])
    assert result.exit_code == 1 and "would escape the model folder" in result.output
    assert not (tmp_path / "escape.txt").exists()
    assert not any((tmp_path / "packages").iterdir())


def test_models_download_offline_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # nothing listens on the discard port
    import argostranslate.settings as settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    result = CliRunner().invoke(cli, ["models", "download", "en", "es"])
    assert result.exit_code == 1
    assert "cannot reach the argos package index" in result.output
    assert "pipeline models install FILE" in result.output
