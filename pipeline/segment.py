"""Turning an article into typed blocks and metadata.

Pure functions over ``SourceText``: no I/O.  A plain-text article starts with a
run of loosely labelled header lines (source URL, kicker, title, dates, author,
copyright), read by the heuristics below; its body, like a Markdown article's,
is CommonMark read by ``blocks.parse_body``.  Only top-level paragraphs get the
plain-text rules (detected headings, datelines, the closing ``PS:`` appeal).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import replace

from .blocks import clean_line, parse_body
from .document import Block, Document, Kind, Metadata, Role
from .inline import to_plain
from .links import safe_base
from .sources import SourceFormat, SourceText

__all__ = ["Block", "Document", "Kind", "Metadata", "clean_line", "parse_date", "segment",
           "strip_control"]

KINDS = tuple(Kind)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_URL_LINE = re.compile(r"^<?(https?://[^\s<>]+)>?$")
_URL_LABEL = re.compile(r"^(?:www|url|link|source)\s*:?$", re.IGNORECASE)
_LABELLED_URL = re.compile(r"^(?:source|original|url|link|www)\s*:?\s*<?(https?://[^\s<>]+)>?$", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^(?:publication date|date of (?:first )?publication|published(?: on)?|date)\s*:?\s*(.*)$",
                         re.IGNORECASE)
_LANGUAGE_LABEL = re.compile(r"^(?:language|lang|idioma|langue|língua|lingua)\s*:\s*(\S.{0,40})$", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"^(?:author|authors|by|written by)\s*:?\s*(.*)$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|written by|par|por|von|di|door)\s+(.+?)\s*(?:\||,|·|\s[–—-])\s*(.+)$", re.IGNORECASE)
_DATE_BY = re.compile(r"^date\s+(\S+)\s+by\s+(.+?)(?:\s+[–—-]+\s+(.+))?$", re.IGNORECASE)
_SECTION = re.compile(r"^-\s.*\s-$")
_COPYRIGHT = re.compile(r"copyright|©|all rights\s+reserved", re.IGNORECASE)
_PS = re.compile(r"^(?:PS|P\.S\.)\s*:?$", re.IGNORECASE)
_TERMINAL = tuple(".!?:;,…\"”’)]*")
_ATX = re.compile(r"^#\s+(.*?)(?:\s+#+)?$")
_SETEXT = re.compile(r"^(?:=+|-+)$")
_BLOCK_SYNTAX = re.compile(r"^(?:#{2,6}\s|>|[-*+]\s|\d{1,9}[.)]\s|```|~~~|\||    |\t)")

_YEAR = re.compile(r"\d{4}")
_DATE_FORMATS = ("%A %d %B %Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                 "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%A, %d %B %Y", "%A, %B %d, %Y")


def parse_date(text: str) -> dt.date | None:
    """Read the date formats the seeds use (day first where ambiguous, as in the sources)."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip("."))
    if len(cleaned) > 40 or not _YEAR.search(cleaned):
        return None  # every format has a four-digit year; strptime is slow, skip the hopeless
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return _written_out(cleaned)


_WRITTEN = re.compile(r"^(?:[^\W\d_]+,?\s+)?(\d{1,2})(?:er|º|°|\.)?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})$")
_MONTH_LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "ca", "gl", "nl")


def _written_out(text: str) -> dt.date | None:
    """A date written out in a language of the articles: ``2 avril 2026``, ``14 de marzo de 2026``,
    ``sábado, 2 de maio de 2026``, ``2. April 2026`` (month names from Babel's CLDR data)."""
    match = _WRITTEN.match(text)
    if match is None:
        return None
    month = _month_numbers().get(match.group(2).casefold())
    if month is None:
        return None
    try:
        return dt.date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


@functools.cache
def _month_numbers() -> dict[str, int]:
    from babel.dates import get_month_names

    found: dict[str, int] = {}
    for lang in _MONTH_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=lang).items():
                    found.setdefault(name.casefold().rstrip("."), number)
    return found


def strip_control(text: str) -> str:
    """Remove characters that neither catalogs nor XHTML can hold."""
    return _CONTROL.sub("", text)


def _raw_blocks(text: str, first_line: int) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(text.split("\n")):
        cleaned = clean_line(line)
        if cleaned:
            if not current:
                start = first_line + offset
            current.append(cleaned)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _is_heading(text: str, lines: int) -> bool:
    if lines != 1 or "\n" in text:
        return False
    text = to_plain(text)
    words = text.split()
    return (0 < len(words) <= 18 and len(text) <= 120 and not text.endswith(_TERMINAL)
            and (text[0].isupper() or text[0].isdigit()) and parse_date(text) is None)


class _Segmenter:
    """A small state machine: header lines until the body starts, then the parsed body."""

    def __init__(self, src: SourceText) -> None:
        self.src = src
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.pending: str | None = None  # "date" or "author" after a bare label line
        self.in_appeal = False
        self.text_rules = src.fmt is SourceFormat.TEXT

    def add(self, kind: Kind, text: str, line: int, translatable: bool = True, role: Role = Role.NONE) -> None:
        self.blocks.append(Block(kind, text, line, translatable, role))

    def set_date(self, text: str) -> bool:
        parsed = parse_date(text)
        if parsed is None:
            return False
        self.meta.setdefault("date", parsed.isoformat())
        self.meta.setdefault("date_text", text)
        return True

    def byline(self, text: str, line: int) -> bool:
        """``By X | 14 March 2026``, ``By X, 11 April 2026``, ``Source: <URL>``: metadata, not text."""
        if match := _LABELLED_URL.match(text):
            self.meta.setdefault("source_url", match.group(1))
            self.add(Kind.METADATA, match.group(1), line, False, Role.SOURCE)
            return True
        if (match := _BYLINE.match(text)) and len(match.group(1).split()) <= 8 and self.set_date(match.group(2)):
            self.meta.setdefault("author", match.group(1).strip())
            self.add(Kind.METADATA, text, line, False, Role.BYLINE)
            return True
        return False

    def header_line(self, text: str, line: int, following: str = "") -> bool:
        """Classify one header line; False when it is not header material."""
        if self.pending:
            label, self.pending = self.pending, None
            if label == "date" and self.set_date(text):
                self.add(Kind.METADATA, text, line, False, Role.DATE)
                return True
            if label == "author":
                self.meta.setdefault("author", text)
                self.add(Kind.METADATA, text, line, False, Role.AUTHOR)
                return True
        if match := _LANGUAGE_LABEL.match(text):
            self.meta.setdefault("lang", match.group(1).strip())
            return True  # the article's language: metadata, never shown
        if match := _URL_LINE.match(text):
            self.meta.setdefault("source_url", match.group(1))
            self.add(Kind.METADATA, match.group(1), line, False, Role.SOURCE)
            return True
        if _URL_LABEL.match(text):
            return bool(_URL_LINE.match(following))  # a label only with its URL on the next line
        if self.byline(text, line):
            return True
        if match := _DATE_BY.match(text):
            self.set_date(match.group(1))
            self.meta.setdefault("author", match.group(2).strip())
            self.add(Kind.METADATA, text, line, False, Role.BYLINE)
            return True
        if match := _DATE_LABEL.match(text):
            value = match.group(1).strip()
            if not value:
                self.pending = "date"
                return True
            if self.set_date(value):
                self.add(Kind.METADATA, value, line, False, Role.DATE)
                return True
            return False
        if match := _AUTHOR_LABEL.match(text):
            value = match.group(1).strip()
            if not value:
                self.pending = "author"
                return True
            if len(value.split()) <= 8:
                self.meta.setdefault("author", value)
                self.add(Kind.METADATA, value, line, False, Role.AUTHOR)
                return True
            return False
        if self.title is not None and to_plain(text) == to_plain(self.title):
            return True  # the title repeated by the content system
        if parse_date(text) is not None:
            self.set_date(text)
            self.add(Kind.METADATA, text, line, False, Role.DATE)
            return True
        return False

    def header_block(self, line: int, lines: list[str]) -> bool:
        """Handle a block while still in the header; False once the body has started."""
        if _BLOCK_SYNTAX.match(lines[0]) and not (len(lines) == 1 and _SECTION.match(lines[0])):
            return False
        if self.title is None and len(lines) == 2 and _SETEXT.match(lines[1]):
            lines = lines[:1]
        text = " ".join(lines)
        if all(self.header_line(part, line + i, lines[i + 1] if i + 1 < len(lines) else "")
               for i, part in enumerate(lines)):
            return True
        if _COPYRIGHT.search(to_plain(text)):
            self.add(Kind.BOILERPLATE, text, line, True, Role.COPYRIGHT)
            return True
        if self.title is None:
            if (len(lines) == 1 and " - " in text and len(text) <= 80
                    and not text.endswith(_TERMINAL) and not text.startswith("#")):
                self.add(Kind.METADATA, text, line, True, Role.KICKER)
                return True
            if len(text) <= 250:
                atx = _ATX.match(text)
                self.title = atx.group(1) if atx else text
                self.add(Kind.TITLE, self.title, line)
                return True
            return False
        if len(lines) == 1 and _SECTION.match(text):
            self.add(Kind.METADATA, text, line, True, Role.SECTION)
            return True
        return False

    def classify(self, text: str, line: int, lines: int) -> tuple[Kind, bool, Role]:
        """A top-level body paragraph: the plain-text rules, then bylines; else a paragraph."""
        if self.text_rules:
            if self.in_appeal:
                return Kind.BOILERPLATE, True, Role.APPEAL
            if _PS.match(text):
                self.in_appeal = True
                return Kind.BOILERPLATE, True, Role.APPEAL
        if _COPYRIGHT.search(to_plain(text)) and len(text) <= 200:
            return Kind.BOILERPLATE, True, Role.COPYRIGHT
        if parse_date(text) is not None:
            return Kind.METADATA, False, Role.DATELINE
        if "\n" not in text and self.byline(text, line):
            self.blocks.pop()  # byline() recorded it; the body walker records it in order
            return Kind.METADATA, False, Role.BYLINE if not _LABELLED_URL.match(text) else Role.SOURCE
        if self.text_rules and _is_heading(text, lines):
            return Kind.HEADING, True, Role.NONE
        return Kind.PARAGRAPH, True, Role.NONE

    def body_start(self) -> int:
        """Read the header (plain-text sources only); the file line where the body starts."""
        if not self.text_rules:
            return self.src.first_line
        for line, lines in _raw_blocks(self.src.text, self.src.first_line):
            if not self.header_block(line, lines):
                return line
        return self.src.first_line + self.src.text.count("\n") + 1

    def run(self) -> Document:
        start = self.body_start()
        body = "\n".join(self.src.text.split("\n")[start - self.src.first_line:])
        parsed, env = parse_body(strip_control(body), start, self.classify)
        blocks = self.blocks + [_mapped(b, self.src.line_map) for b in parsed]
        if not self.text_rules:
            blocks = _first_heading_is_title(blocks)
            title = self.src.overrides.get("title", "")
            if title and not any(b.kind == Kind.TITLE for b in blocks):
                blocks.insert(0, Block(Kind.TITLE, clean_line(title), self.src.title_line or self.src.first_line))
            self.title = next((b.text for b in blocks if b.kind == Kind.TITLE), None)
        blocks = [replace(b, translatable=False) if b.kind == Kind.TITLE and not _has_words(b.text) else b
                  for b in blocks]
        if self.title is not None and not _has_words(self.title):
            self.title = None  # a title of markup alone: the book falls back to the file's name
        meta = Metadata(
            title=to_plain(self.title) if self.title else "",
            source_url=self.meta.get("source_url", ""),
            date=self.meta.get("date", ""),
            date_text=self.meta.get("date_text", ""),
            author=self.meta.get("author", ""),
            lang=self.meta.get("lang", ""),
        )
        references = tuple((label, ref.get("href", ""), ref.get("title", ""))
                           for label, ref in sorted(env.get("references", {}).items()))
        notes = tuple(note["label"] for _, note in sorted(env.get("footnotes", {}).get("list", {}).items())
                      if "label" in note)
        return Document(self.src.doc_id, self.src.display, _apply_overrides(meta, self.src.overrides),
                        tuple(blocks), references=references, notes=notes, images=self.src.assets)


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in to_plain(text))


def _mapped(block: Block, line_map: tuple[int, ...]) -> Block:
    """A block of a converted source (HTML) points at the line of the original file."""
    if not line_map or not 0 < block.line <= len(line_map):
        return block
    return replace(block, line=line_map[block.line - 1])


def _first_heading_is_title(blocks: list[Block]) -> list[Block]:
    """A Markdown or HTML article's ``#`` heading is its title when nothing but metadata precedes it."""
    for index, block in enumerate(blocks):
        if block.kind == Kind.TITLE:
            return blocks
        if block.kind == Kind.HEADING and block.level == 1 and not block.path:
            return blocks[:index] + [replace(block, kind=Kind.TITLE, level=0)] + blocks[index + 1:]
        if block.kind != Kind.METADATA:
            return blocks  # text before it: the heading stays where the author put it
    return blocks


def _apply_overrides(meta: Metadata, overrides: Mapping[str, str]) -> Metadata:
    values = dict(overrides)
    if "date" in values:
        parsed = parse_date(values["date"])
        values["date_text"] = values["date"]
        values["date"] = parsed.isoformat() if parsed else ""
    meta = replace(meta, **values)
    return replace(meta, source_url=safe_base(meta.source_url))


def segment(src: SourceText) -> Document:
    """Split a source document into typed blocks and detect its metadata."""
    return _Segmenter(src).run()
