"""What engines see of a unit's tokens, and how their answers become Markdown again.

Engines that carry tags (apertium in HTML mode, LibreTranslate, argos through
its alignment) get the whole paragraph with tags and empty placeholder
elements, so they keep the sentence's context; engines that see plain text get
only the translatable pieces.  Either way link targets never reach an engine,
and what comes back is checked: a lost or doubled placeholder is repaired where
possible and reported, and a draft must read as its source does (``shape``).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

from ..markup import EMAIL, MARKS, URL, Token

_TAGS = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>")}


# ------------------------------------------------------------- engines that carry tags


def to_tagged(tokens: Sequence[Token]) -> str:
    """HTML for apertium: tags for markup, an empty element per verbatim piece or link."""
    out = []
    for index, token in enumerate(tokens):
        if token.kind == "text":
            out.append(html.escape(token.value, quote=False))
        elif token.kind == "keep":
            out.append(f'<img alt="p{index}"/>')
        elif token.mark == "a":
            out.append(f'<a href="#p{index}">' if token.kind == "open" else "</a>")
        else:
            out.append(_TAGS[token.mark][token.kind == "close"])
    return "".join(out)


_CLOSERS = ".,;:!?)]}\"'»”’"
_TAG = re.compile(r'<img alt="p(\d+)"\s*/?>|<a href="#p(\d+)">|</a>|</?[bi]>|<[^>]*>')


def from_tagged(output: str, tokens: Sequence[Token]) -> tuple[str, list[str]]:
    """Markdown from an engine's tagged output, and what had to be repaired."""
    problems: list[str] = []
    seen: set[int] = set()
    out: list[str] = []
    link_stack: list[Token] = []
    markers = {m: [t.marker or MARKS[m] for t in tokens if t.kind == "open" and t.mark == m] for m in "bi"}
    opened: dict[str, list[str]] = {"b": [], "i": []}
    seen_tags = {"b": 0, "i": 0}
    pos = 0
    glued = False  # a URL or address was just put back: a word right after it would join it

    def text(piece: str) -> str:
        piece = html.unescape(piece)
        return " " + piece if glued and piece and not piece[0].isspace() and piece[0] not in _CLOSERS else piece

    for match in _TAG.finditer(output):
        out.append(text(output[pos:match.start()]))
        glued = False
        pos = match.end()
        tag = match.group(0)
        if match.group(1) is not None or match.group(2) is not None:
            index = int(match.group(1) if match.group(1) is not None else match.group(2))
            if index in seen or index >= len(tokens):
                problems.append(f"the engine doubled {_describe(tokens, index)}; the copy was dropped")
                if match.group(2) is not None:
                    link_stack.append(Token("close", mark="x"))
                continue
            seen.add(index)
            if match.group(1) is not None:
                out.append(tokens[index].value)
                glued = bool(re.fullmatch(f"{URL}|{EMAIL}", tokens[index].value))
            else:
                out.append("[")
                link_stack.append(tokens[index])
        elif tag == "</a>":
            opener = link_stack.pop() if link_stack else None
            if opener is not None and opener.mark == "a":
                out.append(opener.closing)
        elif tag in ("<b>", "<i>"):
            mark = tag[1]
            marker = markers[mark].pop(0) if markers[mark] else MARKS[mark]
            opened[mark].append(marker)
            seen_tags[mark] += 1
            out.append(marker)
        elif tag in ("</b>", "</i>"):
            mark = tag[2]
            out.append(opened[mark].pop() if opened[mark] else MARKS[mark])
    out.append(text(output[pos:]))
    _close_and_count(out, problems, tokens, seen, link_stack, seen_tags)
    return "".join(out), problems


def _close_and_count(out: list[str], problems: list[str], tokens: Sequence[Token], seen: set[int],
                     link_stack: list[Token], seen_tags: dict[str, int]) -> None:
    """Close the links the engine left open, put back what it dropped, and say what was repaired."""
    for opener in reversed(link_stack):
        if opener.mark == "a":
            out.append(opener.closing)
    for index, token in enumerate(tokens):
        if index in seen:
            continue
        if token.kind == "keep":
            out.append(" " + token.value)
            problems.append(f"the engine dropped {_describe(tokens, index)}; it was added at the end")
        elif token.kind == "open" and token.mark == "a":
            problems.append(f"the engine dropped {_describe(tokens, index)}")
    for mark in ("b", "i"):
        wanted = sum(1 for t in tokens if t.kind == "open" and t.mark == mark)
        marker = MARKS[mark]
        got = seen_tags[mark]
        if got != wanted:
            problems.append(f"{marker}…{marker} markup: {wanted} in the source, {got} in the draft")


def _describe(tokens: Sequence[Token], index: int) -> str:
    token = tokens[index] if index < len(tokens) else None
    if token is None:
        return "an unknown placeholder"
    if token.kind == "keep":
        return f"the placeholder for {token.value!r}"
    return f"the link to {token.target!r}"


# ------------------------------------------------------------- engines that see plain text


_EDGES = re.compile(r"^([\W_]*)(.*?)([\W_]*)$", re.DOTALL)


def pieces(tokens: Sequence[Token]) -> dict[int, str]:
    """What to translate of each text token worth it (one with a letter), by token index.

    Spaces and punctuation at either end stay out: they border markup, and an
    engine that drops them would glue a word to a link or a URL.
    """
    found = {}
    for index, token in enumerate(tokens):
        if token.kind == "text" and re.search(r"[^\W\d_]", token.value):
            found[index] = core(token.value)
    return found


_LITERAL = re.compile(r"(?<!\\)(?:[*`]|(?<![^\W_])_|_(?![^\W_]))")


def literal(text: str) -> str:
    """An engine's plain text as Markdown that reads as that text: ``*``, backquotes and a ``_`` at a
    word's edge escaped, so a star the model wrote never becomes emphasis (``snake_case`` stays)."""
    return _LITERAL.sub(lambda m: "\\" + m.group(0), text)


_SHAPE = {"strong_open", "em_open", "link_open", "code_inline", "image", "hardbreak", "softbreak", "footnote_ref"}


def shape(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """How CommonMark reads a unit: its blocks, and how many spans, breaks and inline pieces of each kind.

    A draft with a different shape than its source lost markup that its tags
    alone do not show (a break at a span's edge undoes the span, a line
    starting ``- `` becomes a list).
    """
    from ..blocks import source_parser

    tokens = source_parser().parse(text, {})
    blocks = tuple(t.type for t in tokens if t.nesting == 1)
    inline = Counter(c.type for t in tokens if t.children for c in t.children if c.type in _SHAPE)
    return blocks, tuple(sorted(inline.items()))


def core(text: str) -> str:
    """What an engine should translate of ``text``: without the spaces and punctuation at its ends."""
    return _EDGES.match(text).group(2)  # type: ignore[union-attr]


def with_spacing(original: str, translated: str) -> str:
    """A text token again: its own spaces and punctuation around the translated core."""
    lead, _, trail = _EDGES.match(original).groups()  # type: ignore[union-attr]
    return lead + translated.strip() + trail
