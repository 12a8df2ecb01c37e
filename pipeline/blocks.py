"""The body of an article, parsed once by markdown-it into typed blocks.

CommonMark plus tables and footnotes.  A block's text is the author's own
inline Markdown (soft line breaks become spaces, hard ones a newline), so a
catalog entry reads as the author wrote it and every later stage parses it
with the same parser.  Raw HTML is not enabled: it stays literal text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .document import Block, Container, Frame, Kind, Role

_SPACES = re.compile(r"[ \t]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTION = re.compile(r"^(?:—|―|--|–|~)\s*(\S.*)$")
_ALIGN = re.compile(r"text-align:(left|right|center)")
_IMAGE_ONLY = re.compile(r"^!\[")
_LEGACY = re.compile(r"^(#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+(\S.*?)(?:[ \t]+#+)?$")

# A top-level paragraph's kind, translatability and role, decided by the source's own rules.
Classifier = Callable[[str, int, int], tuple[Kind, bool, Role]]


@functools.cache
def parser() -> Any:
    """The one CommonMark parser every stage uses (tables, footnotes, typographic replacements)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "replacements"])
    md.disable("entity")  # an author's "&amp;" is shown as typed, as the plain-text articles always were
    return md.use(footnote_plugin)


@functools.cache
def source_parser() -> Any:
    """The same parser reading a unit exactly as typed, for tokens that map back onto its characters.

    Typographic replacements and the joining of escapes into text are left out
    (``markup`` needs each token's own characters), and a footnote reference is
    one even where its note lives in another unit.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    md.disable(["entity", "text_join"])
    return md.use(footnote_plugin, always_match_refs=True)


@functools.cache
def _block_parser() -> Any:
    """The same parser without its inline pass: segmenting needs only each unit's source text."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "replacements"])
    md.disable(["entity", "inline"])
    return md.use(footnote_plugin)


def clean_line(line: str) -> str:
    """Drop control characters and collapse runs of spaces and tabs (double spaces are typos)."""
    return _SPACES.sub(" ", _CONTROL.sub("", line)).strip()


def unit_text(content: str) -> str:
    """An inline token's source as one unit: soft breaks become spaces, hard breaks ``\\n``."""
    out: list[str] = []
    lines = content.split("\n")
    for index, raw in enumerate(lines):
        hard = index < len(lines) - 1 and (raw.endswith("  ") or _odd_backslashes(raw))
        line = clean_line(raw[:-1] if hard and _odd_backslashes(raw) else raw)
        if not line:
            continue
        if out:
            out.append(" " if out[-1] != "\n" else "")
        out.append(line)
        if hard:
            out.append("\n")
    while out and out[-1] in ("\n", " ", ""):
        out.pop()
    return "".join(out)


def legacy_unit(msgid: str) -> tuple[str, str] | None:
    """A one-line msgid of the earlier segmenter that kept a block marker: the marker and the unit."""
    match = _LEGACY.match(msgid) if "\n" not in msgid else None
    if match is None:
        return None
    marker = match.group(1)
    return (marker if not marker[0].isdigit() else "1.", match.group(2).strip())


def _odd_backslashes(line: str) -> bool:
    stripped = line.rstrip("\\")
    return (len(line) - len(stripped)) % 2 == 1


@dataclass
class _Walk:
    first_line: int
    classify: Classifier
    blocks: list[Block]
    stack: list[Container]
    cell: tuple[Kind, str] = (Kind.TABLE_CELL, "")  # kind and alignment of the table cell being read

    def line(self, token: Any) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    def add(self, kind: Kind, text: str, line: int, **extra: Any) -> None:
        translatable = extra.pop("translatable", bool(text.strip()))
        self.blocks.append(Block(kind, text, line, translatable, path=tuple(self.stack), **extra))

    def inline(self, token: Any, line: int, heading: int) -> None:
        text = unit_text(token.content)
        inner = self.stack[-1].frame if self.stack else None
        if heading:
            self.add(Kind.HEADING, text, line, level=heading)
        elif inner in (Frame.ROW,):
            kind, align = self.cell
            self.add(kind, text, line, align=align)
        elif _IMAGE_ONLY.match(text) and (image := _single_image(token.content)) is not None:
            self.figure(image, text, line)
        elif inner is Frame.ITEM:
            self.add(Kind.LIST_ITEM, text, line)
        elif inner is Frame.QUOTE:
            self.quote(token.content, text, line)
        elif inner is Frame.FOOTNOTE:
            self.add(Kind.FOOTNOTE, text, line)
        elif not self.stack:
            kind, translatable, role = self.classify(text, line, _line_count(token))
            self.add(kind, text, line, translatable=translatable and bool(text), role=role)
        else:
            self.add(Kind.PARAGRAPH, text, line)

    def figure(self, image: Any, text: str, line: int) -> None:
        """An image alone in its paragraph: a figure whose alt text and title are translated."""
        src = str(image.attrGet("src") or "")
        self.stack.append(Container(Frame.FIGURE, len(self.blocks), label=src))
        self.add(Kind.IMAGE_ALT, _alt_source(text), line, info=src)
        title = str(image.attrGet("title") or "")
        if title:
            self.add(Kind.CAPTION, clean_line(title), line)
        self.stack.pop()

    def quote(self, content: str, text: str, line: int) -> None:
        """A quoted paragraph whose last line starts with a dash: the quote, then its attribution."""
        lines = content.rstrip("\n").split("\n")
        match = _ATTRIBUTION.match(clean_line(lines[-1])) if len(lines) > 1 else None
        if match is None:
            self.add(Kind.QUOTE, text, line)
            return
        self.add(Kind.QUOTE, unit_text("\n".join(lines[:-1])), line)
        self.add(Kind.ATTRIBUTION, match.group(1), line + len(lines) - 1)


def _line_count(token: Any) -> int:
    return int(token.map[1] - token.map[0]) if token.map else 1


def _single_image(content: str) -> Any:
    """The image token when a paragraph is one image and nothing else, else None."""
    tokens = parser().parseInline(content, {})
    children = [c for c in (tokens[0].children or []) if not (c.type == "text" and not c.content.strip())]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _alt_source(text: str) -> str:
    """The alt text of ``![alt](src)`` as the author wrote it (brackets balanced)."""
    depth = 0
    for index, char in enumerate(text[1:], start=1):
        if char == "[" and text[index - 1] != "\\":
            depth += 1
        elif char == "]" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[2:index].strip()
    return text


_OPENERS = {"blockquote_open": Frame.QUOTE, "bullet_list_open": Frame.BULLETS,
            "ordered_list_open": Frame.NUMBERS, "list_item_open": Frame.ITEM, "table_open": Frame.TABLE,
            "thead_open": Frame.HEAD, "tbody_open": Frame.BODY, "tr_open": Frame.ROW, "footnote_open": Frame.FOOTNOTE}
_CLOSERS = {"blockquote_close", "bullet_list_close", "ordered_list_close", "list_item_close", "table_close",
            "thead_close", "tbody_close", "tr_close", "footnote_close"}


def parse_body(text: str, first_line: int, classify: Classifier, env: dict[str, Any] | None = None
               ) -> tuple[list[Block], dict[str, Any]]:
    """Typed blocks of a Markdown body whose first line is file line ``first_line``."""
    env = {} if env is None else env
    # footnotes are numbered by their references, which only the inline pass finds
    tokens = (parser() if "[^" in text else _block_parser()).parse(text, env)
    walk = _Walk(first_line, classify, [], [])
    heading, line = 0, first_line
    for index, token in enumerate(tokens):
        kind = token.type
        if token.map:
            line = walk.line(token)
        if kind in _OPENERS:
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            label = str(token.meta.get("label", "")) if kind == "footnote_open" else ""
            walk.stack.append(Container(_OPENERS[kind], index, start=start, label=label))
        elif kind in _CLOSERS:
            walk.stack.pop()
        elif kind in ("th_open", "td_open"):
            match = _ALIGN.search(str(token.attrGet("style") or ""))
            walk.cell = (Kind.TABLE_HEADER if kind == "th_open" else Kind.TABLE_CELL, match.group(1) if match else "")
        elif kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind == "inline":
            walk.inline(token, line, heading)
        elif kind in ("fence", "code_block"):
            walk.add(Kind.CODE, _CONTROL.sub("", token.content.rstrip("\n")), line, translatable=False,
                     info=clean_line(token.info))
        elif kind == "hr":
            walk.add(Kind.RULE, "", line, translatable=False)
    return walk.blocks, env
