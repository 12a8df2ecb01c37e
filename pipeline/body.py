"""An article's body as XHTML: the blocks put back into their lists, quotes, tables and figures.

Blocks arrive flat, in reading order, each with its chain of containers; the
containers are opened and closed around them as the chain changes.  A unit has
one or two renderings (a bilingual pair); a pair sits inside the same list
item, table cell or caption, so pairing never breaks a list or a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from markdown_it.common.utils import escapeHtml as escape
from markupsafe import Markup

from .document import Block, Container, Frame, Kind, Role
from .inline import Context, to_plain
from .links import safe_href

_PARAGRAPHS: dict[str, str] = {Kind.PARAGRAPH: "paragraph", Kind.QUOTE: "quote", Kind.FOOTNOTE: "note",
               Kind.BOILERPLATE: "boilerplate", Kind.METADATA: "metadata", Kind.LIST_ITEM: "list-item",
               Kind.ATTRIBUTION: "attribution", Kind.IMAGE_ALT: "image", Kind.TITLE: "paragraph",
               Kind.HEADING: "heading"}
_CELLS = (Kind.TABLE_HEADER, Kind.TABLE_CELL)


@dataclass(frozen=True)
class Item:
    """One rendering of a unit: its XHTML, the attributes (language, class) and a label before it."""

    html: Markup
    attrs: Markup
    css: str
    label: Markup
    plain: str = ""


@dataclass(frozen=True)
class Entry:
    block: Block
    items: tuple[Item, ...]
    anchor: str = ""
    date_iso: str = ""  # a dateline's date
    paired: bool = False  # a bilingual edition: every unit sits in a pair, even one still alone


def _open(container: Container, ctx: Context) -> str:
    frame = container.frame
    if frame is Frame.NUMBERS:
        return f'<ol start="{container.start}">' if container.start != 1 else "<ol>"
    if frame is Frame.FOOTNOTE:
        return (f'<aside epub:type="footnote" role="doc-footnote" id="{ctx.note_id(container.label)}"'
                ' class="footnote">')
    if frame is Frame.BULLETS:
        return "<ul>"
    return f"<{frame.value}>"


def _close(container: Container, ctx: Context) -> str:
    frame = container.frame
    if frame is Frame.FOOTNOTE:
        number = ctx.notes.index(container.label) + 1
        ref = ctx.ref_id(container.label)
        back = (f'<p class="backlink"><a href="#{ref}" role="doc-backlink">↩ {number}</a></p>'
                if ref in ctx.used_ids else "")
        return back + "</aside>"
    return "</ol>" if frame is Frame.NUMBERS else "</ul>" if frame is Frame.BULLETS else f"</{frame.value}>"


def _item_html(item: Item) -> str:
    return f"{item.label}{item.html}"


def _units(entry: Entry, tag: str, css: str, before: str = "") -> str:
    """One element per rendering; a bilingual pair wrapped so both sit in the same place."""
    items = entry.items
    anchor = f' id="{entry.anchor}"' if entry.anchor else ""
    if len(items) == 1 and not entry.paired:
        item = items[0]
        return (f'<{tag}{anchor} class="{_classes(css, item.css)}"{item.attrs}>{before}{_item_html(item)}'
                f"</{tag}>")
    inner = "".join(f'<{tag} class="{_classes(css, i.css)}"{i.attrs}>{before}{_item_html(i)}</{tag}>'
                    for i in items)
    return f'<div class="pair {css}"{anchor}>{inner}</div>'


def _classes(*names: str) -> str:
    return " ".join(n for n in names if n)


def _cell(entry: Entry, in_head: bool) -> str:
    block = entry.block
    tag = "th" if block.kind == Kind.TABLE_HEADER else "td"
    scope = ' scope="col"' if tag == "th" and in_head else ' scope="row"' if tag == "th" else ""
    aligned = f"align-{block.align}" if block.align else ""
    align = f' class="{aligned}"' if aligned else ""
    if not entry.items:
        return f"<{tag}{scope}{align}></{tag}>"
    if len(entry.items) == 1 and not entry.paired:
        item = entry.items[0]
        css = _classes(item.css, aligned)
        classes = f' class="{css}"' if css else ""
        return f"<{tag}{scope}{classes}{item.attrs}>{_item_html(item)}</{tag}>"
    inner = "".join(f'<span class="cell {i.css}"{i.attrs}>{_item_html(i)}</span>' for i in entry.items)
    return f"<{tag}{scope}{align}>{inner}</{tag}>"


def _image(entry: Entry, ctx: Context) -> str:
    """A figure's image: packaged, an ``img`` with the shown alt text; remote, the alt text linked to it."""
    src = entry.block.info
    packaged = ctx.images.get(src)
    shown = entry.items[-1]
    if packaged:
        alt = escape(to_plain(shown.plain))
        picture = f'<img src="{escape(packaged)}" alt="{alt}"/>'
        if not entry.paired:
            return f'<div class="figure-image"{shown.attrs}>{picture}</div>'
        return f'<div class="figure-image">{picture}</div>' + _units(entry, "p", "image")
    href = safe_href(src, ctx.base)
    if href is None or not href.startswith(("http://", "https://")):
        return _units(entry, "p", "image")
    linked = tuple(replace(item, html=Markup(f'<a class="image-link" href="{escape(href)}">'
                                             f"{escape(to_plain(item.plain))}</a>")) for item in entry.items)
    return _units(replace(entry, items=linked), "p", "image")


def _block(entry: Entry, path: Sequence[Container], ctx: Context) -> str:
    block = entry.block
    kind = block.kind
    if kind == Kind.CODE:
        info = f' class="language-{escape(block.info.split()[0])}"' if block.info else ""
        return f"<pre><code{info}>{escape(block.text)}</code></pre>"
    if kind == Kind.RULE:
        return "<hr/>"
    if block.role == Role.DATELINE:
        return f'<p class="dateline"><time datetime="{entry.date_iso}">{entry.items[0].html}</time></p>' \
            if entry.date_iso else f'<p class="dateline">{entry.items[0].html}</p>'
    if kind in _CELLS:
        return _cell(entry, any(c.frame is Frame.HEAD for c in path))
    if not entry.items:
        return ""
    if kind == Kind.ATTRIBUTION:
        return _units(entry, "p", "attribution", "— ")
    if kind == Kind.HEADING:
        level = min(max(block.level or 2, 2), 6)
        return _units(entry, f"h{level}", "heading")
    if kind == Kind.CAPTION:
        return f"<figcaption>{_units(entry, 'p', 'caption')}</figcaption>"
    if kind == Kind.IMAGE_ALT:
        return _image(entry, ctx)
    return _units(entry, "p", _PARAGRAPHS.get(str(kind), "paragraph"))


def render_body(entries: Sequence[Entry], ctx: Context) -> Markup:
    """The body XHTML: containers opened and closed as each block's chain changes."""
    out: list[str] = []
    stack: list[Container] = []
    for entry in entries:
        path = entry.block.path
        common = 0
        while common < min(len(stack), len(path)) and stack[common] == path[common]:
            common += 1
        while len(stack) > common:
            out.append(_close(stack.pop(), ctx))
        for container in path[common:]:
            out.append(_open(container, ctx))
            stack.append(container)
        html = _block(entry, path, ctx)
        if html:
            out.append(html)
    while stack:
        out.append(_close(stack.pop(), ctx))
    return Markup("\n".join(out))


def toc(file: str, headings: Sequence[Mapping[str, object]]) -> Markup:
    """The article's headings as the nav's nested lists: a deeper level opens a list inside the item."""
    if not headings:
        return Markup("")
    out: list[str] = []
    levels: list[int] = []  # the level of each open list
    for heading in headings:
        level = int(str(heading.get("level", 2)))
        if not levels or level > levels[-1]:
            out.append("\n<ol>")
            levels.append(level)
        else:
            out.append("</li>")
            while len(levels) > 1 and level < levels[-1]:
                out.append("\n</ol></li>")
                levels.pop()
        out.append(f'\n<li><a href="{escape(file)}#{escape(str(heading["anchor"]))}">'
                   f'{escape(str(heading["text"]))}</a>')
    out.append("</li>" + "\n</ol></li>" * (len(levels) - 1) + "\n</ol>")
    return Markup("".join(out))
