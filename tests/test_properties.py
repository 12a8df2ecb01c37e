"""Property-based tests: generated documents and catalogs, checked against invariants.

Segmentation is deterministic and loses no word; a catalog written and read
back has the same entries; GNU msgcat leaves our output byte for byte as it is;
every rendered page is well-formed XHTML that holds every approved translation.
The example counts are fixed (``EXAMPLES``) and quoted in docs/testing.md.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.po import Catalog, Message, dumps, loads_po
from pipeline.render import Edition, Translation, render_book
from pipeline.segment import segment
from pipeline.sources import SourceText

EXAMPLES = {"segment": 300, "roundtrip": 300, "msgcat": 150, "export": 150}
_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

HOSTILE = ("<script>x()</script>", "{{ 7*7 }}", "{% raw %}", "a & b", "]]>", "\"quoted\"", "'single'",
           "<img src=x onerror=y>")
# Letters and digits from every script, so words survive any amount of markup around them.
word = st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=10)


@st.composite
def inline_text(draw: st.DrawFn, hostile: bool = False) -> str:
    """A run of words, some wrapped in bold, emphasis or a link, maybe with hostile syntax."""
    parts = []
    for w in draw(st.lists(word, min_size=1, max_size=12)):
        style = draw(st.sampled_from(["", "", "", "bold", "em", "link"]))
        if style == "bold":
            w = f"**{w}**"
        elif style == "em":
            w = f"*{w}*"
        elif style == "link":
            w = f"[{w}](https://example.org/{draw(st.integers(0, 99))})"
        parts.append(w)
    if hostile:
        parts.insert(draw(st.integers(0, len(parts))),
                     draw(st.sampled_from(HOSTILE)))
    return " ".join(parts)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A title, then paragraphs and headings; paragraphs may be hard-wrapped."""
    blocks = [" ".join(draw(st.lists(word, min_size=1, max_size=8)))]
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()) and draw(st.booleans()):
            blocks.append("## " + " ".join(draw(st.lists(word, min_size=1, max_size=6))))
            continue
        sentences = [draw(inline_text()) + draw(st.sampled_from([".", "!", "?", ""]))
                     for _ in range(draw(st.integers(1, 4)))]
        text = " ".join(sentences)
        if draw(st.booleans()):  # hard-wrapped, as e-mail and plain-text exports are
            text = re.sub(r" (?=\S)", lambda m: "\n" if draw(st.integers(0, 5)) == 0 else " ", text)
        blocks.append(text)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (newline * 2).join(blocks).replace("\n", newline) + newline


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _source(text: str) -> SourceText:
    return SourceText(doc_id="doc", display="seeds/doc.txt", text=text.replace("\r\n", "\n"))


@settings(max_examples=EXAMPLES["segment"], **_SETTINGS)
@given(documents())
def test_segmentation_is_deterministic_and_loses_no_word(text: str) -> None:
    first, second = segment(_source(text)), segment(_source(text))
    assert first == second
    meta = first.metadata
    kept = " ".join([b.text for b in first.blocks] + [meta.title, meta.author, meta.date_text, meta.source_url])
    found = set(_words(kept))
    # an ordered list's number is structure (the list's start), not a word of the item
    words = re.sub(r"(?m)^(?:[ >*+-]*\d{1,9}[.)](?=\s|$))+", "", re.sub(r"\]\([^)]*\)", "]", text))
    missing = [w for w in _words(words) if w not in found]
    assert not missing, (missing, text, first.blocks)
    assert all(b.text == b.text.strip() and "\n\n" not in b.text for b in first.blocks)


# ------------------------------------------------------------------ catalogs

# Anything a reviewer could type, including quotes, backslashes, tabs and line breaks.
po_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
                  | st.sampled_from(["\n", "\t", '"', "\\", " "]), min_size=1, max_size=200)
# A comment cannot end with a backslash: gettext joins the next line to it (tests/test_po_continuation.py).
comment = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60).map(
    lambda text: text.strip().rstrip("\\").strip())
reference = st.from_regex(r"seeds/[a-z0-9_]{1,12}\.txt:[1-9][0-9]{0,3}", fullmatch=True)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    msgids = draw(st.lists(po_text, min_size=1, max_size=12, unique=True))
    messages = []
    for index, msgid in enumerate(msgids):
        obsolete = index > 0 and draw(st.integers(0, 4)) == 0
        msgstr = draw(po_text) if obsolete else draw(st.one_of(st.just(""), po_text))
        if msgstr and not obsolete:  # msgfmt -c (and so the reader) wants msgid and msgstr to agree on these
            msgstr = ("\n" if msgid.startswith("\n") else "") + msgstr.strip("\n") + ("\n" if msgid.endswith("\n") else "")
            msgstr = msgstr if msgstr.strip("\n") else ""
        fuzzy = bool(msgstr) and draw(st.booleans())  # gettext drops fuzzy from untranslated entries
        messages.append(Message(
            msgid=msgid,
            msgstr=msgstr,
            flags=("fuzzy",) if fuzzy else (),
            translator_comments=tuple(draw(st.lists(comment.filter(bool), max_size=2))),
            extracted_comments=() if obsolete else tuple(draw(st.lists(comment.filter(bool), max_size=2))),
            references=() if obsolete else tuple(draw(st.lists(reference, max_size=3, unique=True))),
            previous_msgid=draw(po_text) if fuzzy and draw(st.booleans()) else None,
            obsolete=obsolete,
        ))
    active = [m for m in messages if not m.obsolete]
    obsolete = [m for m in messages if m.obsolete]
    header = (("Project-Id-Version", "test"), ("Language", "es"), ("MIME-Version", "1.0"),
              ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
              ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
    return Catalog(header=header, header_comments=("A test catalog",), messages=tuple(active + obsolete))


@settings(max_examples=EXAMPLES["roundtrip"], **_SETTINGS)
@given(catalogs())
def test_catalog_write_then_read_gives_the_same_entries(catalog: Catalog) -> None:
    written = dumps(catalog)
    again = loads_po(written.encode("utf-8"), "generated.po")
    assert again == catalog
    assert dumps(again) == written


@settings(max_examples=EXAMPLES["msgcat"], **_SETTINGS)
@given(catalogs())
def test_msgcat_round_trip_is_byte_identical(catalog: Catalog) -> None:
    written = dumps(catalog).encode("utf-8")
    with tempfile.NamedTemporaryFile(suffix=".po") as handle:
        handle.write(written)
        handle.flush()
        result = subprocess.run(["msgcat", "--width=79", handle.name], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == written


# ------------------------------------------------------------------ export


@st.composite
def translated_documents(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    text = draw(documents())
    doc = segment(_source(text))
    approved = {b.text: draw(inline_text(hostile=True)) for b in doc.translatable() if draw(st.booleans())}
    return text, approved


def _visible(translation: str) -> tuple[list[str], list[str]]:
    """The words a reader must see, in order, and the hostile pieces that must show literally."""
    words = _words(re.sub(r"\]\([^)]*\)", "]", translation))
    return words, [h for h in HOSTILE if h in translation]


@settings(max_examples=EXAMPLES["export"], **_SETTINGS)
@given(translated_documents(), st.sampled_from(["translation", "bilingual"]))
def test_export_is_well_formed_and_holds_every_approved_translation(
        case: tuple[str, dict[str, str]], kind: str) -> None:
    text, approved = case
    doc = segment(_source(text))
    edition = Edition(doc=doc, lang="es", source_lang="en", kind=kind,
                      translations={k: Translation(v, True) for k, v in approved.items()})
    files = render_book(edition)
    pages = {name: data for name, data in files.items() if name.endswith((".xhtml", ".opf", ".xml"))}
    seen = ""
    for name, data in pages.items():
        root = ElementTree.fromstring(data)  # raises on anything not well-formed
        if name.endswith("content.xhtml"):
            seen = " ".join(" ".join(root.itertext()).split())
    for translation in approved.values():
        words, literal = _visible(translation)
        assert re.search(r"\W+".join(map(re.escape, words)), seen), (translation, seen)
        assert all(piece in seen for piece in literal), (translation, seen)
    assert b"<script" not in files[next(n for n in files if n.endswith("content.xhtml"))]


def test_example_counts_are_in_the_docs() -> None:
    readme = (Path(__file__).resolve().parent.parent / "docs" / "testing.md").read_text(encoding="utf-8")
    for count in EXAMPLES.values():
        assert f"{count} generated" in readme
