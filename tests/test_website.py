"""Covers: every book has a generated SVG cover with its title, author and language, declared in
its package document, deterministic, and holding any text as literal text.

The module fixture is the seeds drafted by the pseudo engine, every other entry of two articles
approved (helpers.review), then exported.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import OPF, REVIEWED, invoke, review

from pipeline.cover import clean, render_cover, title_lines, wrap
from pipeline.render import Edition, render_book
from pipeline.segment import segment
from pipeline.sources import SourceText

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
