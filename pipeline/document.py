"""The document model every stage shares: typed blocks inside nested containers.

A document is a flat sequence of blocks in reading order, each with the chain of
containers (blockquote, list, list item, table, row, footnote, figure) it sits in.
Flat, because a catalog is one entry per unit; with the containers, because a
book must rebuild the lists, quotes and tables around those units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a block is; the value is what ``#. type:`` says in a catalog."""

    TITLE = "title"
    METADATA = "metadata"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BOILERPLATE = "boilerplate"
    LIST_ITEM = "list item"
    QUOTE = "blockquote"
    ATTRIBUTION = "attribution"
    TABLE_HEADER = "table header"
    TABLE_CELL = "table cell"
    FOOTNOTE = "footnote"
    IMAGE_ALT = "image alt"
    IMAGE_TITLE = "image title"
    CAPTION = "caption"
    CODE = "code"
    RULE = "thematic break"


class Role(StrEnum):
    """A block's finer meaning, decided by the header and byline rules; it decides where a book shows it."""

    NONE = ""
    KICKER = "kicker"  # a line above the title ("Venezuela - Analysis")
    SECTION = "section"  # the site's section name under the title
    SOURCE = "source"  # "Source: <URL>"
    DATE = "date"
    AUTHOR = "author"
    BYLINE = "byline"  # "By X | 14 March 2026"
    DATELINE = "dateline"  # a paragraph that is only a date
    COPYRIGHT = "copyright"
    APPEAL = "appeal"  # the closing "PS:" donation appeal and what follows it


class Frame(StrEnum):
    """The containers a block can sit in."""

    QUOTE = "blockquote"
    BULLETS = "ul"
    NUMBERS = "ol"
    ITEM = "li"
    TABLE = "table"
    HEAD = "thead"
    BODY = "tbody"
    ROW = "tr"
    FOOTNOTE = "footnote"
    FIGURE = "figure"


@dataclass(frozen=True)
class Container:
    """One enclosing container; ``key`` tells two neighbouring lists apart."""

    frame: Frame
    key: int
    start: int = 1  # an ordered list's first number
    label: str = ""  # a footnote's label, a figure's image source


@dataclass(frozen=True)
class Block:
    """One typed unit of a document; ``line`` is its first line in the source file."""

    kind: Kind
    text: str
    line: int
    translatable: bool = True
    role: Role = Role.NONE
    level: int = 0  # a heading's level when the author wrote one (0: detected, shown as h2)
    path: tuple[Container, ...] = ()
    align: str = ""  # a table cell's alignment
    info: str = ""  # a code block's language, an image's source

    @property
    def label(self) -> str:
        """The ``#. type:`` comment: the kind, with the heading level when the author gave one."""
        return f"{self.kind} {self.level}" if self.level else str(self.kind)


@dataclass(frozen=True, kw_only=True)
class Asset:
    """A local image packaged in the book: where the article points, where the book keeps it."""

    src: str
    href: str  # inside OEBPS/
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    source_url: str = ""
    date: str = ""  # ISO 8601 when the written date could be read, else empty
    date_text: str = ""  # the date as written in the source
    author: str = ""
    lang: str = ""  # the language the article declares, as written (``doclang`` decides)


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str  # path relative to the project root, as used in catalog references
    metadata: Metadata
    blocks: tuple[Block, ...]
    references: tuple[tuple[str, str, str], ...] = ()  # reference links: label, href, title
    notes: tuple[str, ...] = ()  # footnote labels, in order of definition
    images: tuple[Asset, ...] = ()  # local images the book carries
    # Only what a collection needs of an article whose chapter it reuses (its metadata and title):
    # an export's summary of an unchanged article (``stages/recall``); never rendered as a page.
    partial: bool = False

    def translatable(self) -> list[Block]:
        return [b for b in self.blocks if b.translatable]
