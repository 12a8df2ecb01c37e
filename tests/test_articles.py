"""Real articles end to end: a plain-text, a Markdown and an HTML article with lists, quotes,
tables, footnotes, images and code go through segment, translate (apertium and argos), a
reviewer's approval and export with nothing lost and nothing leaking."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, EpubChecker, invoke
from lxml import etree

from pipeline.inline import to_plain
from pipeline.po import dumps, load_po

ARTICLES = Path(__file__).parent / "golden" / "articles"
DOCS = ("structured-html", "structured-markdown", "structured-text")
_LEAKS = re.compile(r"\*\*|\]\(|\[\^|^#{1,6} |^> |<img alt=\"p\d+\"|javascript", re.MULTILINE)


def _approve_all(path: Path) -> dict[str, str]:
    """What a reviewer does in Poedit for every entry: accept the draft (clear fuzzy), save."""
    catalog = load_po(path)
    messages = tuple(m.with_flag("fuzzy", False) for m in catalog.messages)
    path.write_text(dumps(replace(catalog, messages=messages)), encoding="utf-8")
    return {m.msgid: m.msgstr for m in messages if not m.obsolete}


def _book_text(page: Path) -> str:
    root = etree.parse(str(page)).getroot()
    body = root.find(".//{http://www.w3.org/1999/xhtml}article")
    assert body is not None
    for br in body.iter("{http://www.w3.org/1999/xhtml}br"):
        br.tail = " " + (br.tail or "")
    for img in body.iter("{http://www.w3.org/1999/xhtml}img"):  # a packaged image shows its alt text
        img.tail = f" {img.get('alt')} {img.tail or ''}"
    return " ".join("".join(body.itertext()).split())


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, epubcheck: EpubChecker) -> None:
    shutil.copytree(ARTICLES, tmp_path / "seeds")
    (tmp_path / "pipeline.toml").write_text(
        (ROOT / "pipeline.toml").read_text(encoding="utf-8").replace('["es", "pt", "fr"]', '["es"]'),
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "--engine", engine)
    assert result.exit_code == 0, result.output
    for doc in DOCS:
        approved = _approve_all(tmp_path / "i18n" / "es" / f"{doc}.po")
        assert approved and all(approved.values()), f"{doc}: an entry without a draft"
    result = invoke("export", "--epub")
    assert result.exit_code == 0, result.output
    for doc in DOCS:
        catalog = {m.msgid: m.msgstr for m in load_po(tmp_path / "i18n" / "es" / f"{doc}.po").messages}
        text = _book_text(tmp_path / "exports" / "es" / doc / "OEBPS" / "content.xhtml")
        for msgid, msgstr in catalog.items():  # nothing lost: every approved unit is in the book
            wanted = " ".join(re.sub(r"\[\^[^\]\s]+\]", "", to_plain(msgstr)).split())
            assert wanted in text, (doc, msgid, wanted)
        assert not _LEAKS.search(text), (doc, _LEAKS.search(text))
        page = (tmp_path / "exports" / "es" / doc / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
        assert "<ul>" in page and "<table>" in page and "<blockquote>" in page, doc
        if doc != "structured-html":
            assert 'epub:type="footnote"' in page and "<img src=\"images/" in page, doc
        assert "<pre><code" in page, doc
    books = sorted((tmp_path / "exports").glob("*/*.epub"))
    assert len(books) == 3 * len(DOCS) + 3  # original, translation, bilingual; three collections
    assert {b.name: m for b, m in epubcheck.check(books).items() if m} == {}


@pytest.mark.slow
def test_articles_through_apertium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   epubcheck: EpubChecker) -> None:
    _run(tmp_path, monkeypatch, "apertium", epubcheck)


@pytest.mark.slow
def test_articles_through_argos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argos_installed: Path,
                                epubcheck: EpubChecker) -> None:
    _run(tmp_path, monkeypatch, "argos", epubcheck)
