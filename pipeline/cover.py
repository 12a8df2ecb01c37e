"""A generated cover for every book: an SVG with its title, author and language.

Reading systems and shelves (Calibre, phones' libraries) show a blank or a
random page where a book has no cover, so every book gets one, drawn from what
its package document says.  The cover needs no font file and no image: SVG
text in the reader's own serif face, wrapped here (SVG does not wrap), and a
colour per language, so a shelf shows at a glance which books share one.  The
same book always gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from .language import Language

if TYPE_CHECKING:
    from .render import Edition

WIDTH, HEIGHT = 600, 900
TEXT_WIDTH = 480  # the title block, inside a margin of 60 on either side
TITLE_HEIGHT = 430
# Dark grounds that white text reads on at WCAG AAA contrast (7:1 and more).
PALETTE = ("#7a1f1f", "#1d3f6e", "#25553a", "#5a2a6e", "#6b3b12", "#234e52", "#4a4a4a", "#6e1f4b")
SIZES = (60, 52, 46, 40, 34, 30, 26)  # title font sizes, largest first
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean(text: object) -> str:
    """Text an SVG can hold and a reader would want: no control, surrogate or bidi override
    characters (an unclosed override would turn the rest of the line around), one space between words."""
    value = _BIDI_CONTROLS.sub("", _SPACES.sub(" ", str(text)))
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cs") and ch not in "\ufffe\uffff")
    return kept.strip()


def _width(text: str) -> float:
    """Width in ems, on the wide side of a bold serif: wide (CJK) characters one em, capitals 0.78,
    spaces 0.3, combining and format characters nothing, the rest 0.62."""
    total = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 1.0
        else:
            total += 0.3 if ch == " " else 0.78 if ch.isupper() else 0.62
    return total


def wrap(text: str, limit: float) -> list[str]:
    """Lines no wider than ``limit`` ems: breaks between words, inside a word only when it alone is wider."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(candidate) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # a word wider than a line (or text without spaces) is cut between characters
            if line and _width(line + ch) > limit:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines


def title_lines(title: str) -> tuple[int, list[str]]:
    """The largest font size at which the whole title fits its block; at the smallest, cut with an ellipsis."""
    for size in SIZES:
        lines = wrap(title, TEXT_WIDTH / size)
        if len(lines) * size * 1.2 <= TITLE_HEIGHT:
            return size, lines
    size = SIZES[-1]
    return size, cut(wrap(title, TEXT_WIDTH / size), int(TITLE_HEIGHT // (size * 1.2)), TEXT_WIDTH / size)


def cut(lines: list[str], keep: int, limit: float) -> list[str]:
    """At most ``keep`` lines; where some are left out, the last one shown ends with an ellipsis."""
    if len(lines) <= keep:
        return lines
    last = lines[keep - 1]
    while last and _width(last + " …") > limit:
        last = last[:-1]
    return [*lines[:keep - 1], last.rstrip() + " …"]


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True, finalize=_finalize)


def _finalize(value: object) -> object:
    """Every printed value is cleaned, so no control character can reach the SVG whatever a template prints."""
    return clean(value) if isinstance(value, str) else value


def _strings(value: object) -> list[str]:
    return [clean(v) for v in value if clean(v)] if isinstance(value, (list, tuple)) else []


def render_cover(editions: Sequence[Edition], title: str, title_lang: str, package: Mapping[str, object]) -> bytes:
    """The book's cover: its title (in ``title_lang``), its authors, the language(s) it is in, its publisher."""
    first = editions[0]
    lang = Language(first.lang)
    shown = [lang] + ([Language(e.source_lang) for e in editions] if first.kind == "bilingual" else [])
    languages = [{"name": clean(code.name(code)), "tag": code.tag} for code in dict.fromkeys(shown)]
    size, lines = title_lines(clean(title) or clean(first.doc.doc_id))
    byline = ", ".join(_strings(package.get("creators")))
    authors = cut(wrap(byline, TEXT_WIDTH / 26), 3, TEXT_WIDTH / 26)
    colour = PALETTE[int(hashlib.sha256(lang.tag.encode()).hexdigest(), 16) % len(PALETTE)]
    svg = _environment().get_template("cover.svg").render(
        width=WIDTH, height=HEIGHT, tag=lang.tag, rtl=lang.rtl, colour=colour,
        title_tag=Language(title_lang).tag, title_rtl=Language(title_lang).rtl,
        size=size, lines=lines, top=150 + (TITLE_HEIGHT - len(lines) * size * 1.2) / 2 + size,
        authors=authors, languages=languages, publisher=clean(package.get("publisher", "")),
        label=" — ".join(x for x in (clean(title), byline) if x))
    return svg.encode("utf-8")
