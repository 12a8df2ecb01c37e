"""The product's own words come from gettext catalogs shipped with it, extracted with Babel."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, msgfmt_check

from pipeline import labels
from pipeline.po import load_po

SHIPPED = ("es", "pt", "fr", "ar")
_FIELD = re.compile(r"\{\w*\}")


def test_the_template_is_what_babel_extracts_from_the_code(tmp_path: Path) -> None:
    out = tmp_path / "fresh.pot"
    subprocess.run([str(ROOT / ".venv" / "bin" / "pybabel"), "extract", "--no-location", "--sort-output",
                    "-k", "NP_:1c,2", "--no-default-keywords", "-o", str(out), str(ROOT / "pipeline" / "labels.py")],
                   check=True, capture_output=True)
    fresh = {(m.msgctxt, m.msgid) for m in load_po(out).active()}
    shipped = {(m.msgctxt, m.msgid) for m in load_po(labels.LOCALE / "pipeline.pot").active()}
    assert fresh == shipped == set(labels.MESSAGES.items()), "run scripts/labels.sh"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_catalog_is_complete_and_gettext_clean(lang: str) -> None:
    path = labels.catalog_path(lang)
    assert path is not None and path.parent.parent.name == lang
    catalog = load_po(path)
    entries = {m.msgctxt: m for m in catalog.active()}
    assert set(entries) == set(labels.MESSAGES)
    for key, msg in entries.items():
        assert msg.msgstr and not msg.fuzzy, f"{lang}: {key} is not translated and approved"
        assert sorted(_FIELD.findall(msg.msgstr)) == sorted(_FIELD.findall(msg.msgid)), (lang, key)
    result = msgfmt_check(path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert labels.labels_for(lang) == {key: entries[key].msgstr for key in labels.MESSAGES}


def test_a_language_without_a_catalog_speaks_english_and_a_variant_its_languages() -> None:
    assert not labels.has_labels("it") and labels.labels_for("it") == labels.MESSAGES
    assert labels.labels_for("pt_BR") == labels.labels_for("pt")


def test_a_translators_correction_of_a_shipped_catalog_reaches_the_books(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(labels.LOCALE, locale)
    po = locale / "es" / "LC_MESSAGES" / "pipeline.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Índice"', 'msgstr "Contenido"'), encoding="utf-8")
    monkeypatch.setattr(labels, "LOCALE", locale)
    labels.labels_for.cache_clear()
    try:
        assert labels.labels_for("es")["contents"] == "Contenido"
    finally:
        labels.labels_for.cache_clear()


def test_a_language_the_product_does_not_ship_gets_its_words_drafted_for_review(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import SEEDS, approve, invoke

    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    shutil.copy(SEEDS[0], root / "seeds")
    (root / "pipeline.toml").write_text('[project]\ntarget_languages = ["es", "gl"]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke("run", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    po = root / "i18n" / "labels" / "gl.po"
    assert "gl: the books' own words (notices, labels, the accessibility summary) are machine drafts in " \
           "i18n/labels/gl.po: 49 wait for review" in result.output, result.output
    assert not (root / "i18n" / "labels" / "es.po").exists(), "Spanish words ship with the product"
    assert msgfmt_check(po).returncode == 0, msgfmt_check(po).stderr
    catalog = load_po(po)
    assert {m.msgctxt for m in catalog.active()} == set(labels.MESSAGES)
    for msg in catalog.active():
        assert msg.fuzzy and msg.msgstr and _FIELD.findall(msg.msgstr) == _FIELD.findall(msg.msgid), msg
    assert labels.words_for("gl", root / "i18n")["by"] == next(m.msgstr for m in catalog.active() if m.msgctxt == "by")
    words = {m.msgctxt: m.msgstr for m in catalog.active()}
    book = root / "exports" / "gl" / SEEDS[0].stem / "OEBPS"
    assert words["notice_none"] in (book / "content.xhtml").read_text(encoding="utf-8"), "the books speak Galician"
    assert words["nav.landmarks"] in (book / "nav.xhtml").read_text(encoding="utf-8")
    assert words["collection"] in (root / "exports" / "gl" / "collection" / "OEBPS" / "title.xhtml").read_text(
        encoding="utf-8")
    page = (root / "exports" / "gl.html").read_text(encoding="utf-8")
    assert words["site.in_language"].split("{")[0].strip() in page, "the web edition speaks Galician too"
    approve(po, "By", "Por")
    again = invoke("run", "--engine", "pseudo")
    assert "gl: the books' own words" in again.output and ": 48 wait for review" in again.output
    assert next(m for m in load_po(po).active() if m.msgctxt == "by").msgstr == "Por", "an approval survives"
    assert labels.words_for("gl", root / "i18n")["by"] == "Por"


def test_a_project_word_that_would_break_its_sentence_is_not_used(tmp_path: Path) -> None:
    po = labels.project_catalog(tmp_path, "gl")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "translators"\nmsgid "Translated by {names}"\nmsgstr "Traducido por {nomes}"\n\n'
                  'msgctxt "contents"\nmsgid "Contents"\nmsgstr "Índice"\n', encoding="utf-8")
    words = labels.words_for("gl", tmp_path)
    assert words["translators"] == "Translated by {names}" and words["contents"] == "Índice"
