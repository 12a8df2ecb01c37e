"""Inline markup, names and terms kept out of the engines' reach.

A paragraph is cut into tokens: translatable text, the opening and closing of
``**bold**``, ``*em*`` and ``[link text](target)``, and pieces that must come
out verbatim (inline code, URLs, e-mail addresses, glossary terms with their
fixed translation).  Engines that carry tags (apertium in HTML mode) get the
whole paragraph with tags and empty placeholder elements, so they keep the
sentence's context; engines that do not (argos) get only the translatable
pieces.  Either way link targets never reach an engine, and what comes back is
checked: a lost or doubled placeholder is repaired where possible and reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .glossary import Glossary

_URL = r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.\w{2,}"
_SYNTAX = (rf"(?P<code>`[^`\n]+`)|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))|(?P<note>\[\^[^\]\s]+\])"
           rf"|(?P<auto><(?:https?://|mailto:)[^\s<>]+>)"
           rf"|(?P<link>\[(?P<ltext>[^\]\n]+)\]\((?P<target>[^)\s]*)\))"
           rf"|(?P<bold>\*\*(?P<btext>.+?)\*\*)|(?P<em>(?<![*\w])\*(?P<etext>[^*\s](?:[^*\n]*[^*\s])?)\*(?![*\w]))"
           rf"|(?P<ubold>(?<![_\w])__(?P<ubtext>[^_\s](?:[^\n]*?[^_\s])?)__(?![_\w]))"
           rf"|(?P<uem>(?<![_\w])_(?P<uetext>[^_\s](?:[^_\n]*[^_\s])?)_(?![_\w]))"
           rf"|(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<br>\n)")
_MARKS = {"b": ("**", "**"), "i": ("*", "*"), "a": ("[", "]")}
_EMPHASIS = (("bold", "btext", "b", "**"), ("em", "etext", "i", "*"), ("ubold", "ubtext", "b", "__"),
             ("uem", "uetext", "i", "_"))
_TAGS = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>")}


@dataclass(frozen=True)
class Token:
    """``text`` is translated; ``open``/``close`` carry markup; ``keep`` comes out as ``value``."""

    kind: str
    value: str = ""
    mark: str = ""  # b, i or a for open/close
    target: str = ""  # a link's target
    marker: str = ""  # the author's delimiter for b and i: ** or __, * or _


def tokenize(text: str, glossary: Glossary | None = None, links: bool = True) -> list[Token]:
    """The tokens of one paragraph; joining them back gives the paragraph unchanged (no glossary)."""
    terms = glossary.pattern() if glossary else None
    syntax = re.compile(_SYNTAX)
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = syntax.search(text, pos)
        while match and match.group("link") and not links:
            match = syntax.search(text, match.start() + 1)
        end = match.start() if match else len(text)
        tokens += _plain(text[pos:end], terms, glossary)
        if not match:
            break
        if any(match.group(name) for name in ("code", "url", "email", "image", "note", "auto", "br")):
            tokens.append(Token("keep", match.group(0)))  # footnote references and images: verbatim
        elif match.group("link"):
            tokens.append(Token("open", mark="a", target=match.group("target")))
            tokens += tokenize(match.group("ltext"), glossary, links=False)
            tokens.append(Token("close", mark="a", target=match.group("target")))
        else:
            mark, inner, marker = next((m, match.group(text), d) for name, text, m, d in _EMPHASIS
                                       if match.group(name))
            tokens.append(Token("open", mark=mark, marker=marker))
            tokens += tokenize(inner, glossary, links)
            tokens.append(Token("close", mark=mark, marker=marker))
        pos = match.end()
    return tokens


def _plain(text: str, terms: re.Pattern[str] | None, glossary: Glossary | None) -> list[Token]:
    if not text:
        return []
    if terms is None or glossary is None:
        return [Token("text", text)]
    out, pos = [], 0
    for match in terms.finditer(text):
        if match.start() > pos:
            out.append(Token("text", text[pos:match.start()]))
        out.append(Token("keep", glossary.fixed(match.group(0), at_start=match.start() == 0)))
        pos = match.end()
    if pos < len(text):
        out.append(Token("text", text[pos:]))
    return out


def _mark(token: Token) -> str:
    if token.marker:
        return token.marker
    opening, closing = _MARKS[token.mark]
    if token.kind == "open":
        return opening
    return f"{closing}({token.target})" if token.mark == "a" else closing


def join(tokens: Sequence[Token], texts: Mapping[int, str] | None = None) -> str:
    """Markdown again, with translations of text tokens by index where given."""
    out = []
    for index, token in enumerate(tokens):
        if token.kind == "text":
            out.append(texts.get(index, token.value) if texts else token.value)
        elif token.kind == "keep":
            out.append(token.value)
        else:
            out.append(_mark(token))
    return "".join(out)


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
    markers = {m: [t.marker or _MARKS[m][0] for t in tokens if t.kind == "open" and t.mark == m] for m in "bi"}
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
                glued = bool(re.fullmatch(f"{_URL}|{_EMAIL}", tokens[index].value))
            else:
                out.append("[")
                link_stack.append(tokens[index])
        elif tag == "</a>":
            opener = link_stack.pop() if link_stack else None
            if opener is not None and opener.mark == "a":
                out.append(f"]({opener.target})")
        elif tag in ("<b>", "<i>"):
            mark = tag[1]
            marker = markers[mark].pop(0) if markers[mark] else _MARKS[mark][0]
            opened[mark].append(marker)
            seen_tags[mark] += 1
            out.append(marker)
        elif tag in ("</b>", "</i>"):
            mark = tag[2]
            out.append(opened[mark].pop() if opened[mark] else _MARKS[mark][0])
    out.append(text(output[pos:]))
    _close_and_count(out, problems, tokens, seen, link_stack, seen_tags)
    return "".join(out), problems


def _close_and_count(out: list[str], problems: list[str], tokens: Sequence[Token], seen: set[int],
                     link_stack: list[Token], seen_tags: dict[str, int]) -> None:
    """Close the links the engine left open, put back what it dropped, and say what was repaired."""
    for opener in reversed(link_stack):
        if opener.mark == "a":
            out.append(f"]({opener.target})")
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
        marker = _MARKS[mark][0]
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
            found[index] = _EDGES.match(token.value).group(2)  # type: ignore[union-attr]
    return found


def with_spacing(original: str, translated: str) -> str:
    """A text token again: its own spaces and punctuation around the translated core."""
    lead, _, trail = _EDGES.match(original).groups()  # type: ignore[union-attr]
    return lead + translated.strip() + trail
