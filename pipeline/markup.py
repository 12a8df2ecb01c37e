"""A unit's inline Markdown as tokens that map back onto its characters.

``tokenize`` reads a unit with the segmenter's own CommonMark parser
(``blocks.source_parser``) and lines the parser's tokens up with the text, so
each token knows its characters: translatable text, the opening and closing of
bold, emphasis and links, and pieces that must come out verbatim (inline code,
images, footnote references, line breaks, autolinks, bare URLs and e-mail
addresses, glossary terms with their fixed translation).  Joining the tokens
gives the unit back unchanged, so the engines, the QA checks and the repairs
read a unit exactly as the renderer will.

What engines see of a unit (tags, pieces) is ``engines.tagged``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .glossary import Glossary

URL = r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.\w{2,}"
# Plain text the parser leaves alone but an engine must not touch: URLs, addresses, and Python format
# fields ({percent} in the product's own words), which a translated or dropped brace would break.
_BARE = re.compile(rf"{URL}|{EMAIL}|\{{[A-Za-z_]\w*\}}")
_BREAK = re.compile(r" *\\?\n[ \t]*")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*"  # CommonMark's URI and e-mail autolinks
                       r"|[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*)>")
_EMPHASIS = {"strong_open": ("open", "b"), "strong_close": ("close", "b"), "em_open": ("open", "i"),
             "em_close": ("close", "i")}
MARKS = {"b": "**", "i": "*"}


@dataclass(frozen=True)
class Token:
    """``text`` is translated; ``open``/``close`` carry markup; ``keep`` comes out as ``value``.

    ``value`` is always the token's characters as typed, from offset ``start``
    of the unit.  An opening link also knows its target and the characters that
    close it (``](target "title")``).
    """

    kind: str
    value: str = ""
    mark: str = ""  # b, i or a for open/close
    target: str = ""  # a link's target
    marker: str = ""  # the author's delimiter for b and i: ** or __, * or _
    start: int = 0
    closing: str = ""  # an opening link's closing characters


class _Misaligned(Exception):
    """The parser's tokens do not cover the text as typed (never seen; the unit is then one text)."""


def tokenize(text: str, glossary: Glossary | None = None) -> list[Token]:
    """The tokens of one unit; joining them back gives the unit unchanged (without a glossary)."""
    tokens = _read(text)
    terms = glossary.pattern() if glossary else None
    if terms is None or glossary is None:
        return list(tokens)
    out: list[Token] = []
    for token in tokens:
        out += _terms(token, text, terms, glossary) if token.kind == "text" else [token]
    return out


def spans(text: str) -> dict[str, list[tuple[int, int, int, int]]]:
    """Each bold, emphasis and link span of a unit: (start, inner start, inner end, end) offsets."""
    found: dict[str, list[tuple[int, int, int, int]]] = {"bold": [], "emphasis": [], "link": []}
    names = {"b": "bold", "i": "emphasis", "a": "link"}
    opened: list[Token] = []
    for token in _read(text):
        if token.kind == "open":
            opened.append(token)
        elif token.kind == "close" and opened:
            first = opened.pop()
            found[names[first.mark]].append((first.start, first.start + len(first.value), token.start,
                                             token.start + len(token.value)))
    return {kind: sorted(items) for kind, items in found.items()}


@functools.lru_cache(maxsize=4096)
def _read(text: str) -> tuple[Token, ...]:
    from .blocks import source_parser

    parsed = source_parser().parseInline(text, {})
    try:
        tokens = _aligned(text, list(parsed[0].children or []) if parsed else [])
    except _Misaligned:
        return (Token("text", text),)
    return tuple(piece for token in tokens for piece in (_bare(token) if token.kind == "text" else [token]))


def _aligned(text: str, children: list[Any]) -> list[Token]:
    """The parser's tokens with the characters each one covers, walking the text once."""
    out: list[Token] = []
    links: list[int] = []
    pos, index = 0, 0
    while index < len(children):
        child = children[index]
        index += 1
        if child.type in ("text", "text_special"):
            piece = child.content if child.type == "text" else child.markup
            _expect(text, pos, piece)
            if out and out[-1].kind == "text":
                out[-1] = replace(out[-1], value=out[-1].value + piece)
            elif piece:
                out.append(Token("text", piece, start=pos))
            pos += len(piece)
            continue
        if child.type in _EMPHASIS:
            kind, mark = _EMPHASIS[child.type]
            _expect(text, pos, child.markup)
            out.append(Token(kind, child.markup, mark=mark, marker=child.markup, start=pos))
            pos += len(child.markup)
        elif child.type == "link_open" and child.markup != "autolink":
            _expect(text, pos, "[")
            links.append(len(out))
            out.append(Token("open", "[", mark="a", start=pos))
            pos += 1
        elif child.type == "link_close":
            end, target = _link_tail(text, pos)
            opener = links.pop() if links else _fail()
            out[opener] = replace(out[opener], target=target, closing=text[pos:end])
            out.append(Token("close", text[pos:end], mark="a", target=target, start=pos))
            pos = end
        else:
            end = _verbatim_end(text, pos, child)
            if child.type == "link_open":  # an autolink: its text and closing are inside the span
                while index < len(children) and children[index].type != "link_close":
                    index += 1
                index += 1
            out.append(Token("keep", text[pos:end], start=pos))
            pos = end
    if pos != len(text) or links:
        raise _Misaligned
    return out


def _verbatim_end(text: str, pos: int, child: Any) -> int:
    """Where a piece that must stay verbatim (code, image, note, break, autolink) ends."""
    if child.type in ("softbreak", "hardbreak"):
        match = _BREAK.match(text, pos)
        return match.end() if match else _fail()
    if child.type == "code_inline":
        _expect(text, pos, child.markup)
        closing = re.compile(f"(?<!`){child.markup}(?!`)").search(text, pos + len(child.markup))
        return closing.end() if closing else _fail()
    if child.type == "image":
        _expect(text, pos, "![")
        return _link_tail(text, _label_end(text, pos + 1))[0]
    if child.type == "footnote_ref":
        if text.startswith("^[", pos):
            return _label_end(text, pos + 1) + 1
        label = f"[^{child.meta.get('label', '')}]"
        _expect(text, pos, label)
        return pos + len(label)
    if child.type == "link_open":
        _expect(text, pos, "<")
        return text.index(">", pos) + 1
    raise _Misaligned


def _link_tail(text: str, pos: int) -> tuple[int, str]:
    """The end of ``](target "title")`` (or of a reference's ``]``) at ``pos``, and the target."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    _expect(text, pos, "]")
    if not text.startswith("(", pos + 1):
        reference = re.compile(r"\[(?:\\.|[^\\\[\]])*\]").match(text, pos + 1)
        return (reference.end() if reference else pos + 1), ""
    at, limit = _skip_space(text, pos + 2), len(text)
    target = ""
    found = parseLinkDestination(text, at, limit)
    if found.ok:
        target = text[at:found.pos].removeprefix("<").removesuffix(">")
        after = found.pos
        at = _skip_space(text, after)
        title = parseLinkTitle(text, at, limit)
        if at < limit and at != after and title.ok:
            at = _skip_space(text, title.pos)
    _expect(text, at, ")")
    return at + 1, target


def _label_end(text: str, start: int) -> int:
    """The ``]`` closing the label opened at ``start``: brackets nest, escapes and code spans do not count."""
    depth, pos = 0, start
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "<" and (auto := _AUTOLINK.match(text, pos)):
            pos = auto.end()  # an autolink is one token: a bracket inside it closes nothing
            continue
        if char == "`":
            run = re.compile(r"`+").match(text, pos).group(0)  # type: ignore[union-attr]
            closing = re.compile(f"(?<!`){run}(?!`)").search(text, pos + len(run))
            pos = closing.end() if closing else pos + len(run)
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            return pos
        pos += 1
    raise _Misaligned


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _expect(text: str, pos: int, piece: str) -> None:
    if not text.startswith(piece, pos):
        raise _Misaligned


def _fail() -> Any:
    raise _Misaligned


def _bare(token: Token) -> list[Token]:
    """A text token with its bare URLs and e-mail addresses cut out as verbatim pieces."""
    return _cut(token, _BARE, lambda found, at: found)


def _terms(token: Token, text: str, terms: re.Pattern[str], glossary: Glossary) -> list[Token]:
    """A text token with each glossary term replaced by its fixed translation (capitalised first)."""
    return _cut(token, terms, lambda found, at: glossary.fixed(found, at_start=not re.search(r"\w", text[:at])))


def _cut(token: Token, pattern: re.Pattern[str], kept: Any) -> list[Token]:
    out, pos = [], 0
    for match in pattern.finditer(token.value):
        if match.start() > pos:
            out.append(Token("text", token.value[pos:match.start()], start=token.start + pos))
        out.append(Token("keep", kept(match.group(0), token.start + match.start()), start=token.start + match.start()))
        pos = match.end()
    if pos < len(token.value):
        out.append(Token("text", token.value[pos:], start=token.start + pos))
    return out


def join(tokens: Sequence[Token], texts: Mapping[int, str] | None = None) -> str:
    """Markdown again, with translations of text tokens by index where given."""
    return "".join(texts.get(index, token.value) if texts and token.kind == "text" else token.value
                   for index, token in enumerate(tokens))
