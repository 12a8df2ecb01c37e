"""Turning a loosely formatted article into typed blocks and metadata.

Pure functions over ``SourceText``: no I/O.  The header of a seed article is a
run of loosely labelled lines (source URL, kicker, title, dates, author,
copyright); the body is blank-line separated paragraphs, some hard-wrapped,
with headings and a closing ``PS:`` appeal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .sources import SourceText

KINDS = ("title", "metadata", "heading", "paragraph", "boilerplate")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]+")
_URL_LINE = re.compile(r"^<?(https?://[^\s<>]+)>?$")
_URL_LABEL = re.compile(r"^(?:www|url|link|source)\s*:?$", re.I)
_DATE_LABEL = re.compile(r"^(?:publication date|date of (?:first )?publication|published(?: on)?|date)\s*:?\s*(.*)$", re.I)
_AUTHOR_LABEL = re.compile(r"^(?:author|authors|by|written by)\s*:?\s*(.*)$", re.I)
_DATE_BY = re.compile(r"^date\s+(\S+)\s+by\s+(.+?)(?:\s+[–—-]+\s+(.+))?$", re.I)
_SECTION = re.compile(r"^-\s.*\s-$")
_COPYRIGHT = re.compile(r"copyright|©|all rights\s+reserved", re.I)
_PS = re.compile(r"^(?:PS|P\.S\.)\s*:?$", re.I)
_TERMINAL = tuple(".!?:;,…\"”’)]*")
_MARKUP = re.compile(r"\*\*|__|\[([^\]]*)\]\([^)]*\)")

_YEAR = re.compile(r"\d{4}")
_DATE_FORMATS = ("%A %d %B %Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                 "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%A, %d %B %Y", "%A, %B %d, %Y")


@dataclass(frozen=True)
class Block:
    """One typed unit of a document; ``line`` is its first line in the source file."""

    kind: str
    text: str
    line: int
    translatable: bool = True
    role: str = ""  # finer meaning: kicker, section, source, date, author, dateline, copyright, appeal


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    source_url: str = ""
    date: str = ""  # ISO 8601 when the written date could be read, else empty
    date_text: str = ""  # the date as written in the source
    author: str = ""


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str  # path relative to the project root, as used in catalog references
    metadata: Metadata
    blocks: tuple[Block, ...]

    def translatable(self) -> list[Block]:
        return [b for b in self.blocks if b.translatable]


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
    return None


def strip_control(text: str) -> str:
    """Remove characters that neither catalogs nor XHTML can hold."""
    return _CONTROL.sub("", text)


def clean_line(line: str) -> str:
    """Drop control characters and collapse runs of spaces and tabs (double spaces are typos)."""
    return _SPACES.sub(" ", strip_control(line)).strip()


def plain(text: str) -> str:
    """Text without light markdown, for classification and metadata."""
    return _MARKUP.sub(lambda m: m.group(1) or "", text).strip()


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


def _is_heading(lines: list[str]) -> bool:
    if len(lines) != 1:
        return False
    text = plain(lines[0])
    words = text.split()
    return (0 < len(words) <= 18 and len(text) <= 120 and not text.endswith(_TERMINAL)
            and (text[0].isupper() or text[0].isdigit()) and parse_date(text) is None)


class _Segmenter:
    """A small state machine: header lines until the body starts, then paragraphs."""

    def __init__(self, src: SourceText) -> None:
        self.src = src
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.pending: str | None = None  # "date" or "author" after a bare label line
        self.in_body = False
        self.in_appeal = False

    def add(self, kind: str, text: str, line: int, translatable: bool = True, role: str = "") -> None:
        self.blocks.append(Block(kind, text, line, translatable, role))

    def set_date(self, text: str) -> bool:
        parsed = parse_date(text)
        if parsed is None:
            return False
        self.meta.setdefault("date", parsed.isoformat())
        self.meta.setdefault("date_text", text)
        return True

    def header_line(self, text: str, line: int) -> bool:
        """Classify one header line; False when it is not header material."""
        if self.pending:
            label, self.pending = self.pending, None
            if label == "date" and self.set_date(text):
                self.add("metadata", text, line, False, "date")
                return True
            if label == "author":
                self.meta.setdefault("author", text)
                self.add("metadata", text, line, False, "author")
                return True
        if match := _URL_LINE.match(text):
            self.meta.setdefault("source_url", match.group(1))
            self.add("metadata", match.group(1), line, False, "source")
            return True
        if _URL_LABEL.match(text):
            return True
        if match := _DATE_BY.match(text):
            self.set_date(match.group(1))
            self.meta.setdefault("author", match.group(2).strip())
            self.add("metadata", text, line, False, "byline")
            return True
        if match := _DATE_LABEL.match(text):
            value = match.group(1).strip()
            if not value:
                self.pending = "date"
                return True
            if self.set_date(value):
                self.add("metadata", value, line, False, "date")
                return True
            return False
        if match := _AUTHOR_LABEL.match(text):
            value = match.group(1).strip()
            if not value:
                self.pending = "author"
                return True
            if len(value.split()) <= 8:
                self.meta.setdefault("author", value)
                self.add("metadata", value, line, False, "author")
                return True
            return False
        if self.title is not None and plain(text) == plain(self.title):
            return True  # the title repeated by the content system
        if parse_date(text) is not None:
            self.set_date(text)
            self.add("metadata", text, line, False, "date")
            return True
        return False

    def header_block(self, line: int, lines: list[str]) -> bool:
        """Handle a block while still in the header; False once the body has started."""
        text = " ".join(lines)
        if all(self.header_line(part, line + i) for i, part in enumerate(lines)):
            return True
        if _COPYRIGHT.search(plain(text)):
            self.add("boilerplate", text, line, True, "copyright")
            return True
        if self.title is None:
            if (len(lines) == 1 and " - " in text and len(text) <= 80
                    and not text.endswith(_TERMINAL)):
                self.add("metadata", text, line, True, "kicker")
                return True
            if len(text) <= 250:
                self.title = text
                self.add("title", text, line)
                return True
            return False
        if len(lines) == 1 and _SECTION.match(text):
            self.add("metadata", text, line, True, "section")
            return True
        return False

    def body_block(self, line: int, lines: list[str]) -> None:
        text = " ".join(lines)
        if self.in_appeal:
            self.add("boilerplate", text, line, True, "appeal")
        elif _PS.match(text):
            self.in_appeal = True
            self.add("boilerplate", text, line, True, "appeal")
        elif _COPYRIGHT.search(plain(text)) and len(text) <= 200:
            self.add("boilerplate", text, line, True, "copyright")
        elif parse_date(text) is not None:
            self.add("metadata", text, line, False, "dateline")
        elif _is_heading(lines):
            self.add("heading", text, line)
        else:
            self.add("paragraph", text, line)

    def run(self) -> Document:
        for line, lines in _raw_blocks(self.src.text, self.src.first_line):
            if not self.in_body and self.header_block(line, lines):
                continue
            self.in_body = True
            self.body_block(line, lines)
        meta = Metadata(
            title=plain(self.title) if self.title else "",
            source_url=self.meta.get("source_url", ""),
            date=self.meta.get("date", ""),
            date_text=self.meta.get("date_text", ""),
            author=self.meta.get("author", ""),
        )
        return Document(self.src.doc_id, self.src.display, _apply_overrides(meta, self.src.overrides),
                        tuple(self.blocks))


def _apply_overrides(meta: Metadata, overrides: dict[str, str] | object) -> Metadata:
    values = dict(overrides)  # type: ignore[call-overload]
    if "date" in values:
        parsed = parse_date(values["date"])
        values["date_text"] = values["date"]
        values["date"] = parsed.isoformat() if parsed else ""
    return replace(meta, **values)


def segment(src: SourceText) -> Document:
    """Split a source document into typed blocks and detect its metadata."""
    return _Segmenter(src).run()
