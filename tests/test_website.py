"""The web edition as readers use it, without a browser: a landing page with every language by its own
name, a page per language in its own words with a switcher, a page per article with each edition, its
.epub and the article in the other languages, unreviewed translations shown as such; and the covers.

The module fixture is the seeds drafted by the pseudo engine, every other entry of two articles
approved (helpers.review), then exported: three articles are at 0% approved in every language, two
partly approved.  Screenshots in a real browser: tests/test_browser.py.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from helpers import DOCS, OPF, REVIEWED, SEEDS, TARGETS, EpubChecker, invoke, review

from pipeline.cover import clean, render_cover, title_lines, wrap
from pipeline.labels import group
from pipeline.language import Language
from pipeline.render import Book, Edition, render_book
from pipeline.segment import segment
from pipeline.sources import SourceText
from pipeline.website import render_site

LANGS = ("en", *TARGETS)
UNREVIEWED = tuple(d for d in DOCS if d not in REVIEWED)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(drafted_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``exports/`` of the seeds with two articles partly reviewed (a copy of the session's project)."""
    root = tmp_path_factory.mktemp("website") / "project"
    shutil.copytree(drafted_template, root, symlinks=True)
    review(root)
    assert invoke("--config", str(root / "pipeline.toml"), "export").exit_code == 0
    return root / "exports"


def _books(exports: Path) -> list[Path]:
    return sorted(p for p in exports.glob("*/*") if p.is_dir() and (p / "mimetype").is_file())


def _pages(exports: Path) -> list[Path]:
    return sorted(exports.glob("*.html"))


def _tree(page: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.read_bytes())


def _hrefs(page: Path) -> list[str]:
    return [a.get("href") for a in _tree(page).iter("a", "link") if a.get("href")]


def _target(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlsplit(href).path)).resolve()


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_the_site_has_a_landing_page_a_page_per_language_and_per_article(site: Path) -> None:
    expected = {"index.html", *(f"{lang}.html" for lang in LANGS), *(f"{lang}.{doc}.html" for lang in LANGS for doc in DOCS)}
    assert {p.relative_to(site).as_posix() for p in _pages(site)} == expected
    assert set(_pages(site)) == set(site.rglob("*.html"))  # the language folders hold books only (.xhtml pages)


def test_every_link_resolves_and_every_book_and_epub_is_reachable(site: Path) -> None:
    linked: set[Path] = set()
    for page in _pages(site):
        for href in _hrefs(page):
            assert not urlsplit(href).scheme, (page, href)  # only the site's own files: no live scheme at all
            target = _target(page, href)
            assert target.is_file(), (page, href)
            linked.add(target)
    for book in _books(site):
        assert any(book.resolve() in t.parents and t.name.endswith(".xhtml") for t in linked), book
        assert (book.parent / f"{book.name}.epub").resolve() in linked, book


def test_every_page_has_one_main_landmark_its_language_direction_and_a_title(site: Path) -> None:
    for page in _pages(site):
        tree = _tree(page)
        lang = page.name.split(".")[0].replace("index", "en")
        assert tree.get("lang") == Language(lang).tag and tree.get("dir") == "ltr", page
        assert len(tree.findall(".//main")) == 1 and len(tree.findall(".//h1")) == 1, page
        assert tree.findtext(".//title").strip(), page
        body = tree.find("body")
        assert all(child.tag in ("header", "main") for child in body), page  # everything in a landmark


def test_the_landing_page_offers_every_language_by_its_own_name(site: Path) -> None:
    tree = _tree(site / "index.html")
    choices = tree.find_class("choices")[0].findall(".//a")
    assert [(a.get("href"), a.get("lang"), a.get("hreflang"), a.text) for a in choices] == [
        (f"{lang}.html", lang, lang, Language(lang).name(lang)) for lang in LANGS]
    assert [_text(a) for a in choices] == ["English", "español", "português", "français"]
    # every book is listed too, each language's part in its own language and its own words
    sections = tree.findall(".//main/details")
    assert [s.get("lang") for s in sections] == list(LANGS)
    spanish = sections[1]
    assert _text(spanish.find("summary")) == "español" and "Aún sin revisar" in _text(spanish)
    assert "Not yet reviewed" not in _text(spanish)


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_page_has_a_switcher_to_the_others(site: Path, lang: str) -> None:
    page = site / f"{lang}.html"
    tree = _tree(page)
    nav = tree.find(".//header/nav")
    assert nav.get("aria-label") == group(lang, "site.")["languages"]
    links = nav.findall(".//a")
    assert [a.get("lang") for a in links] == list(LANGS)
    for a, other in zip(links, LANGS):
        assert a.get("hreflang") == other and _text(a) == Language(other).name(other)
        assert _target(page, a.get("href")) == (site / f"{other}.html").resolve()
        assert (a.get("aria-current") == "page") == (other == lang)
    alternates = {link.get("hreflang") for link in tree.iter("link") if link.get("rel") == "alternate"}
    assert alternates == set(LANGS) - {lang}


@pytest.mark.parametrize("lang, heading, unreviewed", [
    ("es", "Artículos en español", "Aún sin revisar"), ("pt", "Artigos em português", "Ainda não revistas"),
    ("fr", "Articles en français", "Pas encore relues")])
def test_interface_words_are_the_pages_own(site: Path, lang: str, heading: str, unreviewed: str) -> None:
    tree = _tree(site / f"{lang}.html")
    assert _text(tree.find(".//h1")) == heading
    headings = [_text(h) for h in tree.iter("h2")]
    assert unreviewed in headings and group(lang, "site.")["translations"] in headings
    english = {text for key, text in group("en", "site.").items() if "{" not in text and text != group(lang, "site.")[key]}
    assert not [text for text in english if text in _text(tree.find(".//main"))]


@pytest.mark.parametrize("lang", TARGETS)
def test_unreviewed_articles_are_listed_apart_under_their_original_title(site: Path, lang: str) -> None:
    tree = _tree(site / f"{lang}.html")
    groups = {ul.get("class").split()[-1]: ul for ul in tree.find_class("books")}
    titles = {a.get("href"): a for a in groups["unreviewed"].find_class("title")}
    assert set(titles) == {f"{lang}.{doc}.html" for doc in UNREVIEWED}
    assert all(a.get("lang") == "en" for a in titles.values())  # the English title, marked as English
    assert {a.get("href") for a in groups["translations"].find_class("title")} == {f"{lang}.{d}.html" for d in REVIEWED}


@pytest.mark.parametrize("lang", TARGETS)
def test_an_article_at_zero_percent_says_it_is_not_yet_reviewed(site: Path, lang: str) -> None:
    tree = _tree(site / f"{lang}.{UNREVIEWED[0]}.html")
    h1 = tree.find(".//h1")
    source_title = _text(_tree(site / f"en.{UNREVIEWED[0]}.html").find(".//h1"))
    assert h1.get("lang") == "en" and _text(h1) == source_title
    assert _text(tree.find_class("about")[0]) == " ".join(group(lang, "site.")["about_none"].split())
    assert tree.find_class("about")[0].get("class") == "about unreviewed"
    assert "%" not in _text(tree.find(".//main"))


def test_a_partly_reviewed_article_shows_its_approved_share(site: Path) -> None:
    import json

    record = json.loads((site / ".published.json").read_text("utf-8"))
    percent = next(b["percent"] for b in record["books"] if b["lang"] == "es" and b["name"] == REVIEWED[0])
    assert 0 < percent < 100
    tree = _tree(site / f"es.{REVIEWED[0]}.html")
    share = max(1, min(99, round(percent)))
    assert _text(tree.find_class("about")[0]) == (f"Los voluntarios han revisado y aprobado el {share}%: el resto de esta "
                                                      "traducción espera revisión.")
    row = next(li for li in _tree(site / "es.html").iter("li")
               if li.find("a") is not None and li.find("a").get("href") == f"es.{REVIEWED[0]}.html")
    assert f"{share}% aprobada" in _text(row)


@pytest.mark.parametrize("lang", LANGS)
def test_an_article_page_links_each_edition_its_epubs_and_the_other_languages(site: Path, lang: str) -> None:
    doc = REVIEWED[0]
    page = site / f"{lang}.{doc}.html"
    tree = _tree(page)
    editions = {_target(page, a.get("href")) for a in tree.find_class("links")[0].findall("a")}
    own = [p for p in (site / lang).glob(f"{doc}*") if p.is_dir()]
    assert own and editions == ({(p / "OEBPS" / "content.xhtml").resolve() for p in own}
                                | {(p.parent / f"{p.name}.epub").resolve() for p in own})
    others = tree.find_class("others")[0].findall(".//a")
    assert [(a.get("hreflang"), _target(page, a.get("href"))) for a in others] == [
        (other, (site / f"{other}.{doc}.html").resolve()) for other in LANGS if other != lang]
    # the switcher goes to the same article in each language
    switcher = tree.find(".//header/nav").findall(".//a")
    assert [_target(page, a.get("href")).name for a in switcher] == [f"{other}.{doc}.html" for other in LANGS]


def test_the_original_says_it_is_the_original(site: Path) -> None:
    tree = _tree(site / f"en.{DOCS[0]}.html")
    assert _text(tree.find_class("about")[0]) == "This is the article as it was written, in English."
    assert "Written in English" in [_text(h) for h in _tree(site / "en.html").iter("h2")]


def test_pages_are_recorded_and_the_pages_of_a_gone_article_or_language_leave(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(site.parent, root, symlinks=True)
    exports = root / "exports"
    mine = exports / "es.notes.html"
    mine.write_text("someone's own file", encoding="utf-8")
    (root / "seeds" / f"{DOCS[0]}.txt").unlink()
    assert invoke("--config", str(root / "pipeline.toml"), "export", "-l", "es", "--min-approved", "50").exit_code == 0
    assert not list(exports.glob(f"*.{DOCS[0]}.html")) and list(exports.glob("es.*")) == [mine]
    assert mine.read_text(encoding="utf-8") == "someone's own file"  # never recorded, so never removed
    mine.unlink()
    for page in _pages(exports):
        for href in _hrefs(page):
            assert _target(page, href).is_file(), (page, href)
            assert DOCS[0] not in href and not href.startswith(("es/", "es.")), (page, href)


def _book(lang: str, doc: str, kind: str, *, title: str = "A title", title_lang: str = "en",
          percent: float | None = 0.0, epub: bool = True) -> Book:
    name = doc if kind in ("original", "translation") else f"{doc}.{kind}"
    return Book(lang=lang, name=name, kind=kind, title=title, title_lang=title_lang, doc_id=doc,  # type: ignore[arg-type]
                percent=percent, epub=epub, start="OEBPS/content.xhtml")


def test_right_to_left_and_languages_without_site_words() -> None:
    books = [_book("en", "a", "original", percent=None), _book("ar", "a", "translation", percent=40.0),
             _book("it", "a", "translation")]
    pages = render_site("P", "en", books)
    arabic = lxml.html.fromstring(pages["ar.html"])
    assert arabic.get("lang") == "ar" and arabic.get("dir") == "rtl"
    assert _text(arabic.find(".//h1")) == "مقالات باللغة العربية" and "40٪ معتمدة" in _text(arabic)
    title = arabic.find_class("title")[0]
    assert title.get("lang") == "en" and title.get("dir") == "ltr"  # an English title inside a right-to-left page
    italian = lxml.html.fromstring(pages["it.html"])
    assert italian.get("lang") == "it"
    h1 = italian.find(".//h1")
    assert _text(h1) == "Articles in Italian" and h1.get("lang") == "en"  # English words, said to be English
    assert all(el.get("lang") == "en" for el in italian.find_class("status"))


def test_no_page_name_can_meet_a_book_or_a_language_folder() -> None:
    books = [_book("en", "index.html", "original", percent=None), _book("en", "html", "original", percent=None),
             _book("sr@latin", "html", "translation")]
    pages = render_site("P", "en", books)
    assert sorted(pages) == ["en.html", "en.html.html", "en.index.html.html", "index.html", "sr@latin.html",
                             "sr@latin.html.html"]
    assert all("/" not in name for name in pages)  # exports/<lang>/ holds books only
    landing = lxml.html.fromstring(pages["index.html"])
    assert [a.get("href") for a in landing.find_class("choices")[0].iter("a")] == ["en.html", "sr%40latin.html"]


def test_the_site_escapes_what_it_prints_and_is_deterministic() -> None:
    hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)> & \x00\x1b\ud800 {{ 7*7 }}'
    books = [_book("en", "a", "original", title=hostile, percent=None), _book("es", "a", "translation",
                                                                              title=hostile, percent=12.5)]
    pages = render_site(hostile, "en", books)
    assert pages == render_site(hostile, "en", books)
    for name, data in pages.items():
        text = data.decode("utf-8")
        assert "<script" not in text and "<img" not in text and "{{ 7*7 }}" in text, name
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), name
        assert "&lt;script&gt;" in text, name


# ---------------------------------------------------------------- covers


def test_every_book_declares_its_cover_and_the_cover_is_there(site: Path) -> None:
    for book in _books(site):
        opf = ET.parse(book / "OEBPS" / "content.opf").getroot()
        covers = [i for i in opf.iter(f"{OPF}item") if "cover-image" in (i.get("properties") or "").split()]
        assert len(covers) == 1 and covers[0].get("media-type") == "image/svg+xml", book
        cover = book / "OEBPS" / covers[0].get("href")
        svg = ET.parse(cover).getroot()
        assert svg.tag == f"{SVG}svg" and svg.get("viewBox") == "0 0 600 900", book
        title = opf.findtext(".//{http://purl.org/dc/elements/1.1/}title")
        assert svg.findtext(f"{SVG}title").startswith(title.split(":")[0]), book
        assert not list(svg.iter(f"{SVG}image"))  # no image, no font file: nothing outside the SVG
        assert "@font-face" not in cover.read_text("utf-8") and "href" not in cover.read_text("utf-8")


def test_a_cover_shows_title_author_and_language_and_is_deterministic(site: Path) -> None:
    cover = site / "es" / f"{REVIEWED[0]}.bilingual" / "OEBPS" / "images" / "cover.svg"
    svg = ET.parse(cover).getroot()
    texts = [" ".join("".join(t.itertext()).split()) for t in svg.iter(f"{SVG}text")]
    assert texts[0] == "español · English"
    opf = ET.parse(cover.parent.parent / "content.opf").getroot()
    assert texts[2] == opf.findtext(".//{http://purl.org/dc/elements/1.1/}creator") == "Social Movment"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert svg.get(xml_lang) == "es" and [t.get(xml_lang) for t in svg.iter(f"{SVG}tspan")][:2] == ["es", None]
    doc = segment(SourceText("d", "seeds/d.txt", "A title\n\nBy Ana\n\nA paragraph."))
    edition = Edition(doc, "fr", "en", modified="2026-01-01T00:00:00Z")
    assert render_book(edition)["OEBPS/images/cover.svg"] == render_book(edition)["OEBPS/images/cover.svg"]


def test_a_cover_holds_hostile_text_as_literal_text() -> None:
    hostile = 'A <script>x</script> & "q" \x00\x0b\x1b\x85\ud800\u202e reversed ]]> {{ 7*7 }}'
    doc = segment(SourceText("d", "seeds/d.txt", f"Title {hostile}\n\nBy Eve {hostile}\n\nA paragraph."))
    edition = Edition(doc, "ar", "en", kind="bilingual", modified="2026-01-01T00:00:00Z")
    data = render_book(edition)["OEBPS/images/cover.svg"].decode("utf-8")
    svg = ET.fromstring(data)  # well-formed XML
    assert "<script" not in data and "&lt;script&gt;" in data and "{{ 7*7 }}" in data
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", data)
    assert svg.get("direction") == "rtl"
    assert clean("a\tb\n\x00c\u2067") == "a b c"


def test_cover_titles_wrap_to_fit_and_long_ones_are_cut_visibly() -> None:
    size, lines = title_lines("Stop the imperialist aggression against Venezuela!")
    assert size >= 46 and len(lines) >= 2 and " ".join(lines) == "Stop the imperialist aggression against Venezuela!"
    size, lines = title_lines("word " * 200)
    assert size == 26 and lines[-1].endswith(" …") and len(lines) * size * 1.2 <= 430
    assert all(len(line) <= 10 for line in wrap("连续的中文标题没有空格也要换行" * 3, 10))
    assert len(wrap("a" * 100, 5)) > 1
    data = render_cover([replace(Edition(segment(SourceText("d", "d.txt", "T\n\nP.")), "ja", "en"))],
                        "日本語のとても長いタイトル" * 4, "ja", {"creators": ["著者"], "publisher": "P"})
    assert ET.fromstring(data).get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"


def _site_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_url: str) -> Path:
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    shutil.copy(SEEDS[0], root / "seeds")
    (root / "pipeline.toml").write_text(f'[project]\ntarget_languages = ["es", "sr@latin"]\n[export]\n'
                                        f'site_url = "{site_url}"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke("run", "--engine", "pseudo")
    assert result.exit_code == 0 or site_url.startswith("javascript"), result.output
    return root


def test_book_pages_link_back_to_the_published_web_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``[export] site_url`` each book page links to its language's page (absolute: EPUBCheck refuses a
    relative link out of a book); without it, books carry no such link."""
    root = _site_project(tmp_path, monkeypatch, "https://example.org/articles")
    doc = sorted((root / "seeds").glob("*.txt"))[0].stem
    for lang, page in (("es", "es.html"), ("sr@latin", "sr@latin.html"), ("en", "en.html")):
        xhtml = (root / "exports" / lang / doc / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
        assert f'<p class="site-link"><a href="https://example.org/articles/{page}">' in xhtml, lang
        assert (root / "exports" / page).is_file(), "the link names a page the web edition has"


def test_a_site_url_that_is_not_http_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    (root / "pipeline.toml").write_text('[export]\nsite_url = "javascript:alert(1)"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke("status")
    assert result.exit_code == 2 or result.exit_code == 1
    assert "pipeline.toml:2: [export] site_url must be an http(s) address: 'javascript:alert(1)'" in result.output


@pytest.mark.slow
def test_books_with_the_link_back_pass_epubcheck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 epubcheck: EpubChecker) -> None:
    root = _site_project(tmp_path, monkeypatch, "https://example.org/articles/")
    books = sorted(p.with_suffix("") for p in (root / "exports").glob("*/*.epub"))
    assert books and epubcheck.check(books) == {book: [] for book in books}
