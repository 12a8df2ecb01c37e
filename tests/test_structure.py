"""The document model end to end: Markdown and HTML sources, old catalogs, links, packaged images."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from pipeline.catalog import template, update
from pipeline.document import Frame, Kind
from pipeline.links import safe_base, safe_href
from pipeline.po import Catalog, Message, write_po
from pipeline.render import Edition, Translation, render_book
from pipeline.segment import segment
from pipeline.sources import read_source

HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Workers win | Example Press</title>
<meta name="author" content="Ana Pérez">
<meta property="article:published_time" content="2026-03-14T10:00:00Z">
<link rel="canonical" href="https://example.org/news/workers-win">
<script>var secret = "do not translate";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a></nav>
<main><article>
<h1>Workers win <em>inspection</em></h1>
<p class="byline">By Ana Pérez · <time datetime="2026-03-14">14 March 2026</time></p>
<p>The strike ended with <a href="/spip.php?article9214">an agreement</a> and a <a href="javascript:alert(1)">trap</a>.</p>
<h2>Background</h2>
<ul><li>an independent inspection;</li><li>no disciplinary action<ul><li>nested</li></ul></li></ul>
<table><tr><th>Demand</th><th>Status</th></tr><tr><td>Inspection</td><td>won</td></tr></table>
<figure><img src="https://example.org/picket.jpg" alt="A picket line"><figcaption>Strikers at the gate</figcaption></figure>
<form><input name="q" value="search me"></form><footer>Share this article</footer>
</article></main><footer>Site footer text</footer></body></html>
"""


def _pot(path: Path) -> str:
    doc = segment(read_source(path, path.name))
    buffer = io.BytesIO()
    write_po(template(doc, "P", "en", "2026-01-01 00:00+0000"), buffer)
    return buffer.getvalue().decode("utf-8")


def test_html_article_keeps_content_drops_the_site_and_reads_metadata(tmp_path: Path) -> None:
    src = tmp_path / "story.html"
    src.write_text(HTML, encoding="utf-8")
    doc = segment(read_source(src, "seeds/story.html"))
    meta = doc.metadata
    assert (meta.title, meta.author, meta.date, meta.source_url) == (
        "Workers win inspection", "Ana Pérez", "2026-03-14", "https://example.org/news/workers-win")
    texts = [b.text for b in doc.translatable()]
    assert texts[0] == "Workers win *inspection*"
    assert "an independent inspection;" in texts and "nested" in texts and "Strikers at the gate" in texts
    for dropped in ("Home", "do not translate", "color", "search me", "Share this", "Site footer"):
        assert not any(dropped in t for t in texts), dropped
    assert not any("javascript" in t for t in texts)  # an unsafe link becomes its text at conversion
    kinds = {b.text: b.label for b in doc.blocks}
    assert kinds["Background"] == "heading 2" and kinds["Demand"] == "table header"
    assert kinds["A picket line"] == "image alt" and kinds["Inspection"] == "table cell"
    assert next(b for b in doc.blocks if b.text == "Background").line == 12  # the HTML file's line
    nested = next(b for b in doc.blocks if b.text == "nested")
    assert [c.frame for c in nested.path] == [Frame.BULLETS, Frame.ITEM, Frame.BULLETS, Frame.ITEM]


def test_markdown_front_matter_is_yaml_and_unknown_keys_are_ignored(tmp_path: Path) -> None:
    src = tmp_path / "note.md"
    src.write_text("---\ntitle: From the front matter\nauthor: [Ana, Luis]\ndate: 2026-04-11\ntags: [x]\n"
                   "---\n\nFirst paragraph with `code`.\n\n1. one\n2. two\n", encoding="utf-8")
    doc = segment(read_source(src, "note.md"))
    assert (doc.metadata.title, doc.metadata.author, doc.metadata.date) == (
        "From the front matter", "Ana, Luis", "2026-04-11")
    assert [(b.label, b.text, b.line) for b in doc.translatable()] == [
        ("title", "From the front matter", 2), ("paragraph", "First paragraph with `code`.", 8),
        ("list item", "one", 10), ("list item", "two", 11)]


def test_catalog_of_the_previous_segmenter_merges_without_demoting_approvals(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Title\n\nBy Ana | 14 March 2026\n\nIntro paragraph here.\n\n## Background\n\n"
                   "> A quoted line.\n\n3. third point\n", encoding="utf-8")
    pot = template(segment(read_source(src, "a.txt")), "P", "en", "2026-01-01 00:00+0000")
    assert [m.msgid for m in pot.messages] == ["Title", "Intro paragraph here.", "Background", "A quoted line.",
                                                "third point"]
    old = Catalog(header=(("Language", "es"),), messages=(
        Message(msgid="Title", msgstr="Título"),
        Message(msgid="## Background", msgstr="## Antecedentes"),
        Message(msgid="> A quoted line.", msgstr="> Una línea citada."),
        Message(msgid="3. third point", msgstr="3. tercer punto", flags=("fuzzy",)),
    ))
    merged = {m.msgid: m for m in update(old, pot).messages}
    assert (merged["Background"].msgstr, merged["Background"].fuzzy) == ("Antecedentes", False)
    assert (merged["A quoted line."].msgstr, merged["A quoted line."].fuzzy) == ("Una línea citada.", False)
    assert (merged["third point"].msgstr, merged["third point"].fuzzy) == ("tercer punto", True)
    assert not any(m.obsolete for m in merged.values())


@pytest.mark.parametrize("url, base, expected", [
    ("https://example.org/a?b=1", "", "https://example.org/a?b=1"),
    ("mailto:info@example.org", "", "mailto:info@example.org"),
    ("/spip.php?article9214", "https://iv.org/x/y", "https://iv.org/spip.php?article9214"),
    ("//cdn.example.org/x.pdf", "https://iv.org/", "https://cdn.example.org/x.pdf"),
    ("appeal.html", "https://iv.org/news/a", "https://iv.org/news/appeal.html"),
    ("/spip.php?article9214", "", None),
    ("//cdn.example.org/x.pdf", "", None),
    ("appeal.html", "javascript:alert(1)", None),
    ("javascript:alert(1)", "https://iv.org/", None),
    ("JaVaScRiPt:alert(1)", "https://iv.org/", None),
    ("java\tscript:alert(1)", "https://iv.org/", None),
    ("javascript&#58;alert(1)", "https://iv.org/", None),
    ("javascript%3Aalert(1)", "https://iv.org/", None),
    ("&#x6A;avascript:alert(1)", "https://iv.org/", None),
    ("data:text/html;base64,PHNjcmlwdD4=", "https://iv.org/", None),
    ("vbscript:msgbox(1)", "https://iv.org/", None),
    ("file:///etc/passwd", "https://iv.org/", None),
    ("\u200bjavascript:alert(1)", "https://iv.org/", None),
    ("https:", "", None),
    ("#", "", None),
    ("#nowhere", "", None),
])
def test_one_link_policy(url: str, base: str, expected: str | None) -> None:
    assert safe_href(url, base) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/relative", "vbscript:x",
                                 "https://ok.example/\u202ex", "  JAVASCRIPT:alert(1)"])
def test_source_url_metadata_is_never_a_live_unsafe_link(tmp_path: Path, url: str) -> None:
    assert safe_base(url) == ""
    src = tmp_path / "a.txt"
    src.write_text(f"---\nsource_url: {url}\n---\nTitle\n\nBody text [x](javascript:alert(1)).\n",
                   encoding="utf-8")
    (tmp_path / "a.meta.toml").write_text(f"url = {json.dumps(url.strip())}\n", encoding="utf-8")
    doc = segment(read_source(src, "a.txt"))
    assert doc.metadata.source_url == ""
    files = render_book(Edition(doc, "en", "en", kind="original"))
    for name, data in files.items():
        text = data.decode("utf-8", "replace").lower()
        assert 'href="javascript' not in text and 'href="data:' not in text and 'href="vbscript' not in text, name


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_local_image_is_packaged_and_declared_remote_one_is_a_link(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(_png())
    (tmp_path / "fake.png").write_bytes(b"<svg onload=alert(1)>")
    src = tmp_path / "a.md"
    src.write_text("# Title\n\n![A picket](pic.png \"At the gate\")\n\n![Fake](fake.png)\n\n"
                   "![Remote](https://example.org/r.jpg)\n\n![Outside](../../etc/passwd)\n", encoding="utf-8")
    doc = segment(read_source(src, "a.md"))
    assert [a.src for a in doc.images] == ["pic.png"]
    translations = {b.text: Translation(f"ES {b.text}", True) for b in doc.translatable()}
    files = render_book(Edition(doc, "es", "en", translations, kind="translation"))
    page = files["OEBPS/content.xhtml"].decode("utf-8")
    assert '<img src="images/a-1.png" alt="ES A picket"/>' in page
    assert "<figcaption>" in page and "ES At the gate" in page
    assert '<a class="image-link" href="https://example.org/r.jpg">ES Remote</a>' in page
    assert files["OEBPS/images/a-1.png"] == _png()
    assert 'href="images/a-1.png" media-type="image/png"' in files["OEBPS/content.opf"].decode("utf-8")
    assert not any("fake" in name or "passwd" in name for name in files)


def test_title_of_markup_alone_falls_back_to_the_file_name(tmp_path: Path) -> None:
    src = tmp_path / "only-stars.txt"
    src.write_text("**\n\nA paragraph of the article.\n", encoding="utf-8")
    doc = segment(read_source(src, "only-stars.txt"))
    files = render_book(Edition(doc, "en", "en", kind="original"))
    assert "<dc:title>only-stars</dc:title>" in files["OEBPS/content.opf"].decode("utf-8")
    assert "<title>only-stars</title>" in files["OEBPS/content.xhtml"].decode("utf-8")


def test_kinds_are_an_enum_whose_values_are_the_catalog_types() -> None:
    assert Kind.LIST_ITEM == "list item" and f"{Kind.TABLE_HEADER}" == "table header"


def test_markup_in_a_title_never_reaches_the_nav_or_the_package_metadata(tmp_path: Path) -> None:
    src = tmp_path / "linked.txt"
    src.write_text("Hands off [Venezuela](https://example.org/v) and **Cuba**!\n\n## A `coded` _section_\n\n"
                   "Body text.\n", encoding="utf-8")
    doc = segment(read_source(src, "linked.txt"))
    files = render_book(Edition(doc, "en", "en", kind="original"))
    nav = files["OEBPS/nav.xhtml"].decode("utf-8")
    opf = files["OEBPS/content.opf"].decode("utf-8")
    assert ">Hands off Venezuela and Cuba!</a>" in nav and ">A coded section</a>" in nav
    assert "<dc:title>Hands off Venezuela and Cuba!</dc:title>" in opf
    assert "**" not in nav + opf and "](" not in nav + opf
