"""One inline reader for rendering: a unit's Markdown to XHTML or to plain text.

Built on the tokens of the same parser the segmenter uses (``blocks.parser``),
so emphasis, code, links, images and footnote references mean the same thing
in the catalog and in the book.  Every URL goes through ``links.safe_href``;
text is escaped; nothing the author wrote reaches the page as markup.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml as escape
from markupsafe import Markup

from .blocks import parser
from .links import safe_href

_TAGS = {"strong_open": "<strong>", "strong_close": "</strong>", "em_open": "<em>", "em_close": "</em>",
         "s_open": "<s>", "s_close": "</s>"}


@dataclass
class Context:
    """What a unit's rendering needs from its document and book (ids already used, packaged images)."""

    base: str = ""  # the article's source URL: relative links are made absolute against it
    prefix: str = ""  # id prefix of the article inside a collection
    notes: tuple[str, ...] = ()  # footnote labels in order: their number is the index + 1
    references: tuple[tuple[str, str, str], ...] = ()
    images: Mapping[str, str] = field(default_factory=dict)  # source path -> path inside the book
    anchors: Mapping[str, str] = field(default_factory=dict)  # an author's #slug -> the heading's id
    used_ids: set[str] = field(default_factory=set)

    def env(self) -> dict[str, Any]:
        refs = {f":{label}": index for index, label in enumerate(self.notes)}
        return {"references": {label: {"href": href, "title": title} for label, href, title in self.references},
                "footnotes": {"refs": refs, "list": {i: {"label": label, "count": 0}
                                                     for i, label in enumerate(self.notes)}}}

    def note_id(self, label: str) -> str:
        return f"{self.prefix}fn-{self.notes.index(label) + 1}"

    def ref_id(self, label: str) -> str:
        return f"{self.prefix}fnref-{self.notes.index(label) + 1}"


def _children(text: str, ctx: Context) -> list[Any]:
    source = text.replace("\n", "  \n")  # a unit's newline is the author's hard line break
    tokens = parser().parseInline(source, copy.deepcopy(ctx.env()))
    return list(tokens[0].children or []) if tokens else []


def to_xhtml(text: str, ctx: Context) -> Markup:
    """A unit's Markdown as escaped XHTML."""
    return Markup(_render(_children(text, ctx), ctx))


@functools.lru_cache(maxsize=8192)
def to_plain(text: str) -> str:
    """A unit's Markdown as the text a reader sees, without any markup (remembered: titles are asked
    for by every book and page that lists them)."""
    return "".join(_plain(_children(text, Context()))).strip()


def _plain(tokens: list[Any]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            out += _plain(list(token.children or []))
    return out


def _render(tokens: list[Any], ctx: Context) -> str:
    out: list[str] = []
    links: list[bool] = []  # for each open link: did it become a live <a>?
    for token in tokens:
        kind = token.type
        if kind == "text":
            out.append(str(escape(token.content)))
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "code_inline":
            out.append(f"<code>{escape(token.content)}</code>")
        elif kind in _TAGS:
            out.append(_TAGS[kind])
        elif kind == "link_open":
            href = safe_href(_in_book(str(token.attrGet("href") or ""), ctx), ctx.base,
                             frozenset(ctx.anchors.values()))
            links.append(href is not None)
            title = str(token.attrGet("title") or "")
            extra = f' title="{escape(title)}"' if title else ""
            out.append(f'<a href="{escape(href)}"{extra}>' if href is not None else '<span class="link">')
        elif kind == "link_close":
            out.append("</a>" if (links.pop() if links else False) else "</span>")
        elif kind == "image":
            out.append(image(token, ctx))
        elif kind == "footnote_ref":
            out.append(_noteref(str(token.meta.get("label", "")), ctx))
        else:
            out.append(str(escape(token.content)))
    return "".join(out)


def slug(text: str) -> str:
    """A heading's anchor as authors write it (``[see](#what-was-won)``): GitHub's rule."""
    kept = "".join(ch for ch in to_plain(text).lower() if ch.isalnum() or ch in " -_")
    return kept.strip().replace(" ", "-")


def _in_book(href: str, ctx: Context) -> str:
    """``#slug`` of a heading of this article points at the id the book gives it."""
    if not href.startswith("#"):
        return href
    target = ctx.anchors.get(unquote(href[1:]))
    return f"#{target}" if target else href


def image(token: Any, ctx: Context) -> str:
    """A packaged image as ``img``; a remote one as its alt text linked to it; any other as its alt text."""
    src = str(token.attrGet("src") or "")
    alt = "".join(_plain(list(token.children or []))).strip()
    title = str(token.attrGet("title") or "")
    packaged = ctx.images.get(src)
    if packaged:
        extra = f' title="{escape(title)}"' if title else ""
        return f'<img src="{escape(packaged)}" alt="{escape(alt)}"{extra}/>'
    href = safe_href(src, ctx.base)
    label = escape(alt or title or src)
    if href is not None and href.startswith(("http://", "https://")):
        return f'<a class="image-link" href="{escape(href)}">{label}</a>'
    return f'<span class="image-alt">{label}</span>'


def _noteref(label: str, ctx: Context) -> str:
    if label not in ctx.notes:
        return str(escape(f"[^{label}]"))
    ref = ctx.ref_id(label)
    ident = "" if ref in ctx.used_ids else f' id="{ref}"'
    ctx.used_ids.add(ref)
    number = ctx.notes.index(label) + 1
    return (f'<sup><a{ident} epub:type="noteref" role="doc-noteref" href="#{ctx.note_id(label)}">'
            f"{number}</a></sup>")
