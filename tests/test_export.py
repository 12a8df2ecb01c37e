"""Publishing against real validators: EPUBCheck on every book, a strict XML parser, escaping.

The module fixture runs the real pipeline on the seeds, approves part of the
drafts the way a reviewer would (every other entry of two articles in every
language, with a translator's name), then exports every edition, zipped and
expanded, and the web edition.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from helpers import DC, DOCS, OPF, TARGETS, XHTML, XML_LANG, EpubChecker, export_all, exported_project

from pipeline.bundle import epub_bytes
from pipeline.render import Edition, Translation, render_collection
from pipeline.segment import segment
from pipeline.sources import SourceText


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exported_project(tmp_path_factory, "exported")


def _books(root: Path) -> list[Path]:
    return sorted(p for p in (root / "exports").glob("*/*") if p.is_dir())


def test_every_edition_is_named_and_present(exported: Path) -> None:
    names = {p.relative_to(exported / "exports").as_posix() for p in (exported / "exports").glob("*/*")}
    expected = {f"en/{d}" for d in DOCS} | {"en/collection"}
    for lang in TARGETS:
        expected |= {f"{lang}/{d}{kind}" for d in DOCS for kind in ("", ".bilingual")}
        expected |= {f"{lang}/collection", f"{lang}/collection.bilingual"}
    assert names == expected | {f"{n}.epub" for n in expected}


@pytest.mark.slow
def test_every_book_passes_epubcheck_with_no_messages(exported: Path, epubcheck: EpubChecker) -> None:
    books = _books(exported)
    zipped = sorted((exported / "exports").glob("*/*.epub"))
    assert len(books) == len(zipped) == 42
    messages = epubcheck.check([*books, *zipped])
    assert {book: found for book, found in messages.items() if found} == {}


@pytest.mark.parametrize("lang", ["en", *TARGETS])
def test_xhtml_is_strict_ids_unique_nav_full_and_languages_marked(exported: Path, lang: str) -> None:
    for book in (b for b in _books(exported) if b.parent.name == lang):
        ids: list[str] = []
        bilingual = book.name.endswith(".bilingual")
        for page in sorted((book / "OEBPS").glob("*.xhtml")):
            root = ET.parse(page).getroot()  # strict XML parser: raises on anything malformed
            assert root.get("lang") == lang and root.get(XML_LANG) == lang, page
            ids += [e.get("id") for e in root.iter() if e.get("id")]
            for element in root.iter():
                if "untranslated" in (element.get("class") or ""):
                    assert element.get("lang") == "en" and element.get(XML_LANG) == "en", page
            if page.name == "nav.xhtml":
                entries = list(root.iter(f"{XHTML}a"))
                assert entries and all("".join(a.itertext()).strip() for a in entries), f"empty nav entry: {page}"
            if bilingual and page.name not in ("nav.xhtml", "title.xhtml"):
                pairs = [e for e in root.iter(f"{XHTML}div") if "pair" in (e.get("class") or "")]
                assert pairs
                for pair in pairs:
                    assert all(child.get("lang") and child.get(XML_LANG) == child.get("lang") for child in pair)
        assert len(ids) == len(set(ids)), f"{book}: an id appears twice"


def test_bilingual_pairs_carry_both_languages(exported: Path) -> None:
    page = exported / "exports" / "es" / "002_a52b92a0a50288ae.bilingual" / "OEBPS" / "content.xhtml"
    root = ET.parse(page).getroot()
    langs = [[c.get("lang") for c in pair] for pair in root.iter(f"{XHTML}div")
             if "pair" in (pair.get("class") or "")]
    assert ["en", "es"] in langs and ["en"] in langs  # approved pairs, and originals awaiting review


def _opf(exported: Path, lang: str, name: str) -> ET.Element:
    return ET.parse(exported / "exports" / lang / name / "OEBPS" / "content.opf").getroot()


def test_package_metadata_is_complete(exported: Path) -> None:
    opf = _opf(exported, "es", "002_a52b92a0a50288ae.bilingual")
    meta = opf.find(f"{OPF}metadata")
    text = {tag: [e.text for e in meta.iter(f"{DC}{tag}")] for tag in
            ("identifier", "title", "language", "creator", "date", "source", "contributor", "description")}
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", text["identifier"][0])
    assert text["title"] == ["Sócíál Móvémént: ¿Whát’s wróng wíth ÚS ággréssíón ágáínst Vénézúélá?"]
    assert text["language"] == ["es", "en"]
    assert text["creator"] == ["Social Movment"] and text["date"] == ["2026-01-03"]
    assert text["source"] == ["https://rev.org.ua/shho-ne-tak-z-napadom-na-venesuelu/"]
    assert text["contributor"] == ["Revisor ES"]  # the name from Last-Translator, never the address
    # The notice says what is true: reviewed in part (its share), not reviewed at all, or all reviewed.
    assert re.fullmatch(r"Traducción preparada por máquina y revisada por voluntarios: \d+% aprobada\."
                        r"|Traducción preparada por máquina, aún sin revisar: .*"
                        r"|Traducción revisada y aprobada por voluntarios\.", text["description"][0])
    props = {}
    for element in meta.iter(f"{OPF}meta"):
        props.setdefault(element.get("property"), []).append(element.text)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", props["dcterms:modified"][0])
    assert props["schema:accessMode"] == ["textual"] and props["schema:accessibilityHazard"] == ["none"]
    assert {"structuralNavigation", "tableOfContents"} <= set(props["schema:accessibilityFeature"])
    assert props["schema:accessibilitySummary"][0] and props["role"] == ["aut", "trl"]
    assert props["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    translation = _opf(exported, "es", "002_a52b92a0a50288ae").find(f"{OPF}metadata")
    # Partly approved: the paragraphs still in English make it a book in both languages.
    assert sorted(e.text for e in translation.iter(f"{DC}language")) == ["en", "es"]
    assert translation.find(f"{DC}identifier").text != text["identifier"][0]


def test_collection_has_title_page_and_translated_contents(exported: Path) -> None:
    opf = _opf(exported, "es", "collection")
    spine = [i.get("idref") for i in opf.iter(f"{OPF}itemref")]
    assert spine == ["title-page", "c1", "c2", "c3", "c4", "c5", "nav"]
    assert opf.find(f"{OPF}metadata/{DC}title").text == "Solidarity articles: Artículos reunidos"
    nav = ET.parse(exported / "exports" / "es" / "collection" / "OEBPS" / "nav.xhtml").getroot()
    titles = [a.text for a in nav.iter(f"{XHTML}a") if a.get("href").endswith("-title")]
    assert len(titles) == 5
    assert "Sócíál Móvémént: ¿Whát’s wróng wíth ÚS ággréssíón ágáínst Vénézúélá?" in titles
    assert nav.find(f".//{XHTML}h1").text == "Índice"


def test_original_shows_title_author_date_and_source(exported: Path) -> None:
    xhtml = (exported / "exports" / "en" / "002_a52b92a0a50288ae" / "OEBPS" / "content.xhtml").read_text()
    assert "<h1" in xhtml and "What’s wrong with US aggression against Venezuela?" in xhtml
    assert "By Social Movment" in xhtml
    assert '<time datetime="2026-01-03">January 3, 2026</time>' in xhtml
    assert '<a href="https://rev.org.ua/shho-ne-tak-z-napadom-na-venesuelu/">' in xhtml
    spanish = (exported / "exports" / "es" / "002_a52b92a0a50288ae" / "OEBPS" / "content.xhtml").read_text()
    assert '<time datetime="2026-01-03">3 de enero de 2026</time>' in spanish


def test_same_input_gives_byte_identical_books(exported: Path, tmp_path: Path) -> None:
    shutil.copytree(exported / "seeds", tmp_path / "seeds")
    shutil.copy(exported / "pipeline.toml", tmp_path / "pipeline.toml")
    export_all(tmp_path)
    for epub in sorted((exported / "exports").glob("*/*.epub")):
        again = tmp_path / "exports" / epub.relative_to(exported / "exports")
        assert again.read_bytes() == epub.read_bytes(), epub.name
    epub = exported / "exports" / "fr" / "001_848bedc52bb3e968.bilingual.epub"
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    assert epub_bytes(files) == epub.read_bytes()


HOSTILE = ('<script>alert(1)</script> "><img src=x onerror=alert(1)> & ]]> {{ 7*7 }} {% raw %}'
           ' \x00 \x0b \x1b \ud800 end')


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["translation", "bilingual", "original"])
def test_hostile_text_stays_literal_and_valid(tmp_path: Path, kind: str, epubcheck: EpubChecker) -> None:
    doc = segment(SourceText("evil", "seeds/evil.txt",
                             f"A title {HOSTILE}\n\nA paragraph {HOSTILE} with [a link](javascript:alert(1))."))
    translations = {b.text: Translation(f"Traducción {HOSTILE}", True) for b in doc.translatable()}
    editions = tuple(Edition(doc, "en" if kind == "original" else "es", "en", translations, kind=kind,
                             modified="2026-01-01T00:00:00Z", contributors=(f"Eve {HOSTILE}",))
                     for _ in range(2))
    files = render_collection(editions, f"Collection {HOSTILE}")
    for name, data in files.items():
        if name.endswith((".xhtml", ".opf")):
            text = data.decode("utf-8")
            ET.fromstring(text)
            assert "<script" not in text and "<img" not in text and "href=\"javascript:" not in text, name
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), name
    content = files["OEBPS/a1.xhtml"].decode()
    assert "&lt;script&gt;" in content and "{{ 7*7 }}" in content and "{% raw %}" in content
    folder = tmp_path / "evil"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    assert epubcheck.check([folder]) == {folder: []}
