"""Articles in any of the publication's languages: each is published in its own and drafted into the others.

The mixed project: an English seed, a Spanish Markdown article that declares
``lang: es``, a French plain-text article that declares nothing (identified),
and a Brazilian HTML page (``<html lang="pt-BR">``, the publication's ``pt``).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import GOOD_SEED, LANGUAGE_CASES, invoke, mixed_project, msgfmt_check

from pipeline.po import header_field

HERE = LANGUAGE_CASES
DOCS = {"solidaridad": "es", "greve": "fr", "reforma": "pt", GOOD_SEED.stem: "en"}
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = mixed_project(tmp_path / "mixed")
    monkeypatch.chdir(root)
    result = invoke("run", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    return root


def test_each_template_records_the_articles_own_language(mixed: Path) -> None:
    for doc, lang in DOCS.items():
        pot = (mixed / "i18n" / "templates" / f"{doc}.pot").read_bytes()
        assert header_field(pot, "X-Source-Language") == lang, doc


def test_each_article_gets_a_catalog_in_every_publication_language_but_its_own(mixed: Path) -> None:
    for doc, own in DOCS.items():
        for lang in ("en", "es", "pt", "fr"):
            po = mixed / "i18n" / lang / f"{doc}.po"
            assert po.exists() == (lang != own), f"{doc} in {lang}"
            if lang != own:
                data = po.read_bytes()
                assert header_field(data, "Language") == lang and header_field(data, "X-Source-Language") == own
                assert msgfmt_check(po).returncode == 0, msgfmt_check(po).stderr


def _book(mixed: Path, lang: str, name: str) -> tuple[ElementTree.Element, str]:
    folder = mixed / "exports" / lang / name / "OEBPS"
    return ElementTree.parse(folder / "content.opf").getroot(), (folder / "content.xhtml").read_text("utf-8")


def test_originals_are_published_under_their_own_language(mixed: Path) -> None:
    for doc, own in DOCS.items():
        opf, page = _book(mixed, own, doc)
        assert [e.text for e in opf.iter(f"{DC}language")] == [own], doc
        assert f'xml:lang="{own}"' in page and "machine" not in page.lower(), doc
        assert not (mixed / "exports" / own / f"{doc}.bilingual").exists(), "no bilingual edition into itself"


def test_translations_name_both_languages_while_the_original_shows_through(mixed: Path) -> None:
    opf, page = _book(mixed, "en", "solidaridad")
    # Nothing is approved yet, so the Spanish shows through: both languages, the main one (Spanish) first.
    assert [e.text for e in opf.iter(f"{DC}language")] == ["es", "en"]
    assert 'lang="es"' in page and "Los trabajadores del puerto" in page
    _, bilingual = _book(mixed, "fr", "solidaridad.bilingual")
    assert 'lang="es"' in bilingual and 'lang="fr"' in bilingual


def test_a_languages_collection_holds_the_articles_written_in_it_and_those_translated_into_it(mixed: Path) -> None:
    nav = (mixed / "exports" / "es" / "collection" / "OEBPS" / "nav.xhtml").read_text("utf-8")
    assert nav.count("<li") >= 4, nav
    for title in ("La solidaridad no tiene fronteras", "La grève des cheminots continue",
                  "A reforma agrária volta ao debate"):
        assert title in nav, title
    index = (mixed / "exports" / "index.html").read_text("utf-8")
    for lang in ("en", "es", "pt", "fr"):
        assert f'href="{lang}/solidaridad' in index or lang == "es", lang
    assert 'href="es/solidaridad/' in index


def test_status_says_each_articles_language_and_how_it_was_decided(mixed: Path) -> None:
    result = invoke("status")
    line = next(x for x in result.output.splitlines() if x.startswith("articles in:"))
    assert "es 1 (declared)" in line and "pt 1 (declared)" in line, line
    assert "fr 1 (identified, " in line and "en 1 (identified, " in line, line
    data = json.loads(invoke("status", "--json").output)
    decided = {a["document"]: (a["language"], a["decided"]) for a in data["articles"]}
    assert decided["greve"] == ("fr", "identified") and decided["solidaridad"] == ("es", "declared")
    assert all(a["confidence"] > 0.9 for a in data["articles"] if a["decided"] == "identified")


def test_english_in_target_languages_changes_nothing_for_english_articles(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = mixed_project(tmp_path / "p", targets='["en", "es"]')
    monkeypatch.chdir(root)
    assert invoke("run", "--engine", "pseudo").exit_code == 0
    assert not (root / "i18n" / "en" / f"{GOOD_SEED.stem}.po").exists()
    assert (root / "i18n" / "en" / "greve.po").exists() and (root / "i18n" / "es" / "greve.po").exists()
    assert not (root / "i18n" / "pt").exists(), "pt is not a publication language here"


@pytest.mark.parametrize("name, text, extra, expected, how", [
    pytest.param("declared.md", "---\nlang: fr\n---\n\n# Titre\n\nUn court texte.\n", "", "fr", "declared",
                 id="front-matter"),
    pytest.param("label.txt", "Un titre\n\nLanguage: Spanish\n\nUn texto muy corto.\n", "", "es", "declared",
                 id="header-line-with-a-language-name"),
    pytest.param("note.fr.txt", "Titre\n\nBref.\n", '[source_languages]\n"*.fr.txt" = "fr"\n', "fr", "rule",
                 id="pipeline-toml-rule"),
    pytest.param("short.txt", "Title\n\nOK then.\n", "", "en", "default", id="too-short-to-tell"),
])
def test_how_a_language_is_decided(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str,
                                   extra: str, expected: str, how: str) -> None:
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / name).write_text(text, encoding="utf-8")
    (root / "pipeline.toml").write_text(f'[project]\ntarget_languages = ["es", "fr"]\n{extra}', encoding="utf-8")
    monkeypatch.chdir(root)
    assert invoke("segment").exit_code == 0
    stem = name.split(".")[0] if name != "note.fr.txt" else "note.fr"
    assert header_field((root / "i18n" / "templates" / f"{stem}.pot").read_bytes(), "X-Source-Language") == expected
    articles = json.loads(invoke("status", "--json").output)["articles"]
    assert [(a["language"], a["decided"]) for a in articles] == [(expected, how)]
    if how == "default":
        assert "too short or unclear to tell" in invoke("status").output


def test_a_declaration_the_text_contradicts_is_kept_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    body = (HERE / "greve.txt").read_text(encoding="utf-8")
    (root / "seeds" / "wrong.md").write_text("---\nlang: en\n---\n\n" + body, encoding="utf-8")
    (root / "pipeline.toml").write_text('[project]\ntarget_languages = ["es", "fr"]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke("segment")
    assert result.exit_code == 0
    assert "seeds/wrong.md: declared as en, but its text reads as fr" in result.output, result.output
    assert header_field((root / "i18n" / "templates" / "wrong.pot").read_bytes(), "X-Source-Language") == "en"


@pytest.mark.slow
def test_apertium_drafts_each_pair_into_the_right_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real apertium for every pair of the mixed project (through Spanish where there is no direct
    mode): the drafts of each catalog read as the catalog's language, never as the article's."""
    from pipeline.doclang import identify
    from pipeline.language import Language
    from pipeline.po import load_po

    root = mixed_project(tmp_path / "mixed")
    monkeypatch.chdir(root)
    result = invoke("run", "--engine", "apertium")
    assert result.exit_code == 0, result.output
    everything = tuple(Language(code) for code in ("en", "es", "pt", "fr"))
    wrong = {}
    for doc, own in DOCS.items():
        for lang in ("en", "es", "pt", "fr"):
            if lang == own:
                continue
            catalog = load_po(root / "i18n" / lang / f"{doc}.po")
            drafts = " ".join(m.msgstr for m in catalog.active() if m.msgstr and m.fuzzy)
            found = identify(drafts, everything)
            if found is None or found[0] != lang:
                wrong[f"{doc} -> {lang}"] = found
    assert wrong == {}, wrong
    assert "translate fr: " in result.output and "apertium" in result.output


@pytest.mark.parametrize("line, author, date", [
    pytest.param("Par Jeanne Martin | 2 avril 2026", "Jeanne Martin", "2026-04-02", id="french"),
    pytest.param("Por María López, 14 de marzo de 2026", "María López", "2026-03-14", id="spanish"),
    pytest.param("Por João Silva | sábado, 2 de maio de 2026", "João Silva", "2026-05-02", id="portuguese"),
    pytest.param("Von Anna Weber | 2. April 2026", "Anna Weber", "2026-04-02", id="german"),
])
def test_bylines_and_dates_in_the_articles_languages_become_metadata(line: str, author: str, date: str) -> None:
    from pipeline.segment import segment
    from pipeline.sources import SourceText

    doc = segment(SourceText(doc_id="a", display="seeds/a.txt", text=f"Un titre\n\n{line}\n\nUn paragraphe.\n"))
    assert (doc.metadata.author, doc.metadata.date) == (author, date)
    assert [b.text for b in doc.translatable()] == ["Un titre", "Un paragraphe."]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "fr", "pt", "de", "it"])
def test_the_identifier_reads_real_translators_prose(lang: str) -> None:
    """Article-sized samples (four sentences of a real translation, from the catalogs Debian installs
    under /usr/share/locale) are identified as their language, also outside the publication's."""
    import random
    import re
    import subprocess

    from pipeline.doclang import identify
    from pipeline.language import Language

    prose: list[str] = []
    for name in ("apt", "dpkg", "coreutils", "bash", "findutils", "adduser"):
        mo = Path("/usr/share/locale") / lang / "LC_MESSAGES" / f"{name}.mo"
        if mo.is_file():
            out = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
            prose += [s.replace("\\n", " ") for s in re.findall(r'^msgstr "(.*)"$', out, re.M)
                      if len(s.split()) >= 6 and "%" not in s]
    if len(prose) < 100:
        pytest.skip(f"too few {lang} catalogs installed under /usr/share/locale")
    random.Random(3).shuffle(prose)
    samples = [" ".join(prose[i:i + 4]) for i in range(0, 400, 4)]
    publication = tuple(Language(code) for code in ("en", "es", "pt", "fr"))
    wrong = [(s[:80], identify(s, publication)) for s in samples
             if (found := identify(s, publication)) is None or found[0].base != lang]
    assert len(wrong) <= len(samples) // 50, wrong[:5]  # at least 98% right (measured: 100%)


def test_a_text_the_identifier_has_read_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source that flips between two versions (a correction undone) costs the model once per version."""
    from pipeline import doclang

    root = mixed_project(tmp_path / "p")
    monkeypatch.chdir(root)
    source = root / "seeds" / "greve.txt"
    original = source.read_text(encoding="utf-8")
    corrected = original.replace("trois semaines", "quatre semaines")
    for text in (corrected, original):
        source.write_text(text, encoding="utf-8")
        assert invoke("segment").exit_code == 0

    def unread(*args: object) -> None:
        raise AssertionError("the identifier read a text it had read before")

    monkeypatch.setattr(doclang, "identify", unread)
    for text in (corrected, original, corrected):
        source.write_text(text, encoding="utf-8")
        assert invoke("segment").exit_code == 0
    assert header_field((root / "i18n" / "templates" / "greve.pot").read_bytes(), "X-Source-Language") == "fr"


def test_translate_says_which_pairs_have_no_glossary_and_nothing_of_the_source_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = mixed_project(tmp_path / "p", targets='["es", "gl"]')
    (root / "glossary").mkdir()
    (root / "glossary" / "es.csv").write_text("term,translation\nILPS,ILPS\n", encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke("run", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert "gl: no glossary (glossary/gl.csv)" in result.output
    assert not any(line.startswith("es: no glossary") for line in result.output.splitlines())
    assert "fr->es: no glossary (glossary/fr-es.csv)" in result.output, "a French article's pair"
    assert "translate en: " in result.output, "the Spanish, French and Brazilian articles go into English"
