"""An article exported from a CMS as HTML, turned into the CommonMark body the segmenter reads.

Parsed by lxml's HTML parser (never regular expressions): the main content is
the largest ``<article>``, else ``<main>``/``role=main``, else the body; site
navigation, scripts, styles, forms, footers and asides are dropped.  Metadata
comes from ``<title>``, ``<h1>``, the byline and ``<time>``, and ``<meta>``.
Every Markdown line remembers the HTML line it came from, so catalog
references point into the HTML file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import SourceError
from .links import scheme_of

_DROP = ("script", "style", "noscript", "nav", "form", "footer", "aside", "button", "iframe", "svg", "template",
         "input", "select", "textarea", "object", "embed", "canvas", "video", "audio", "menu", "dialog")
_BLOCKS = {"p", "div", "section", "article", "main", "header", "ul", "ol", "li", "blockquote", "pre", "table",
           "figure", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "address", "figcaption", "center"}
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*\[\]<])")
_LEADING = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|=+$|-+$)")
_META_KEYS = {"author": "author", "article:author": "author", "dc.creator": "author", "date": "date",
              "article:published_time": "date", "dc.date": "date", "og:url": "source_url", "og:title": "title"}


def _escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    return re.sub(r"(?<![\w\\])_|_(?!\w)", r"\\_", text)


class _Writer:
    """Markdown lines, each with the HTML source line it came from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origin: list[int] = []

    def block(self, text: str, line: int, prefix: str = "") -> None:
        if not text.strip():
            return
        if self.lines and self.lines[-1] != "" and not prefix:
            self.emit("", line)
        for index, part in enumerate(text.split("\n")):
            self.emit(prefix + part if index == 0 or not prefix else " " * len(prefix) + part, line)

    def emit(self, text: str, line: int) -> None:
        self.lines.append(text)
        self.origin.append(line)

    def gap(self, line: int) -> None:
        if self.lines and self.lines[-1] != "":
            self.emit("", line)


def inline(element: Any) -> str:
    """An element's content as one line of inline Markdown."""
    out = [_escape(_SPACE.sub(" ", element.text or ""))]
    for child in element:
        out.append(_inline_child(child))
        out.append(_escape(_SPACE.sub(" ", child.tail or "")))
    return "".join(out)


def _inline_child(child: Any) -> str:
    tag = child.tag if isinstance(child.tag, str) else ""
    if tag in _DROP or not tag:
        return ""
    if tag == "br":
        return "\\\n"
    inner = inline(child).strip()
    if tag in ("strong", "b") and inner:
        return f"**{inner}**"
    if tag in ("em", "i", "cite") and inner:
        return f"*{inner}*"
    if tag in ("code", "kbd", "samp"):
        code = _SPACE.sub(" ", child.text_content()).strip().replace("`", "")
        return f"`{code}`" if code else ""
    if tag == "a" and child.get("href") and inner:
        href = child.get("href").strip().replace(" ", "%20")
        if scheme_of(href) not in ("", "http", "https", "mailto"):
            return inner  # javascript:, data: and their disguises never become a link
        if re.fullmatch(r"[^\s()<>\\]+", href):
            return f"[{inner}]({href})"
        return f"[{inner}](<{href}>)" if "<" not in href and ">" not in href else inner
    if tag == "img":
        return _image(child)
    return inline(child)


def _image(img: Any, caption: str = "") -> str:
    src = (img.get("src") or "").strip().replace(" ", "%20")
    alt = _escape(_SPACE.sub(" ", img.get("alt") or "").strip())
    title = _SPACE.sub(" ", caption or img.get("title") or "").strip().replace('"', "'")
    if not src or "<" in src or ">" in src or scheme_of(src) not in ("", "http", "https"):
        return alt  # javascript:, data: and the like: the image is its alt text
    return f'![{alt}](<{src}> "{title}")' if title else f"![{alt}](<{src}>)"


def _line(element: Any) -> int:
    return int(element.sourceline or 1)


def _paragraph(text: str) -> str:
    text = "\n".join(part.strip() for part in text.strip().split("\n"))
    return "\\" + text if _LEADING.match(text) else text


def _convert(element: Any, out: _Writer, prefix: str = "") -> None:
    """One block-level element (and what it holds) as Markdown."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or tag in _DROP:
        return
    line = _line(element)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        out.block(f"{'#' * int(tag[1])} {inline(element).strip()}".rstrip(), line, prefix)
    elif tag in ("ul", "ol"):
        _list(element, out, prefix)
    elif tag == "blockquote":
        inner = _Writer()
        _children(element, inner)
        out.gap(line)
        for text, origin in zip(inner.lines, inner.origin, strict=True):
            out.emit(f"{prefix}> {text}".rstrip(), origin)
    elif tag == "pre":
        code = element.text_content().rstrip("\n")
        fence = "~~~" if "```" in code else "```"
        out.block(f"{fence}\n{code}\n{fence}", line, prefix)
    elif tag == "table":
        _table(element, out, prefix)
    elif tag == "figure":
        _figure(element, out, prefix)
    elif tag == "hr":
        out.block("---", line, prefix)
    elif tag == "img":
        out.block(_image(element), line, prefix)
    elif _has_blocks(element):
        _children(element, out, prefix)
    else:
        out.block(_paragraph(inline(element)), line, prefix)


def _has_blocks(element: Any) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _BLOCKS for child in element)


def _children(element: Any, out: _Writer, prefix: str = "") -> None:
    """Block children in order; loose text and inline runs between them become paragraphs."""
    run: list[str] = [_escape(_SPACE.sub(" ", element.text or ""))]
    line = _line(element)
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS or child.tag == "img" and child.getparent() is element:
            out.block(_paragraph("".join(run)), line, prefix)
            _convert(child, out, prefix)
            run, line = [], _line(child)
        else:
            run.append(_inline_child(child))
        run.append(_escape(_SPACE.sub(" ", child.tail or "")))
    out.block(_paragraph("".join(run)), line, prefix)


def _list(element: Any, out: _Writer, prefix: str) -> None:
    ordered = element.tag == "ol"
    start = int(element.get("start")) if ordered and (element.get("start") or "").isdigit() else 1
    out.gap(_line(element))
    for number, item in enumerate((c for c in element if c.tag == "li"), start=start):
        marker = f"{number}. " if ordered else "- "
        inner = _Writer()
        _children(item, inner)
        lines = [(t, o) for t, o in zip(inner.lines, inner.origin, strict=True)]
        while lines and not lines[0][0]:
            lines.pop(0)
        for index, (text, origin) in enumerate(lines or [("", _line(item))]):
            lead = marker if index == 0 else " " * len(marker)
            out.emit(f"{prefix}{lead}{text}".rstrip() if text or index == 0 else "", origin)
    out.gap(_line(element))


def _cell(cell: Any) -> str:
    return inline(cell).replace("\\\n", " ").replace("|", "\\|").strip()


def _table(table: Any, out: _Writer, prefix: str) -> None:
    rows = [row for row in table.iter("tr")]
    if not rows:
        return
    grid = [[_cell(c) for c in row if c.tag in ("td", "th")] for row in rows]
    width = max(len(r) for r in grid) or 1
    grid = [r + [""] * (width - len(r)) for r in grid]
    out.gap(_line(table))
    out.emit(prefix + "| " + " | ".join(grid[0]) + " |", _line(rows[0]))
    out.emit(prefix + "|" + "---|" * width, _line(rows[0]))
    for row, cells in zip(rows[1:], grid[1:], strict=True):
        out.emit(prefix + "| " + " | ".join(cells) + " |", _line(row))
    out.gap(_line(table))


def _figure(figure: Any, out: _Writer, prefix: str) -> None:
    """``<figure>``: its image with the ``<figcaption>`` as the caption."""
    img = next(figure.iter("img"), None)
    caption_el = next(figure.iter("figcaption"), None)
    caption = _SPACE.sub(" ", caption_el.text_content()).strip() if caption_el is not None else ""
    if img is not None:
        out.block(_image(img, caption), _line(figure), prefix)
    elif caption:
        out.block(_paragraph(_escape(caption)), _line(figure), prefix)


def _main(root: Any) -> Any:
    articles = root.findall(".//article")
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    for path in (".//main", ".//*[@role='main']", ".//*[@id='content']"):
        found = root.find(path)
        if found is not None:
            return found
    body = root.find(".//body")
    return body if body is not None else root


def _declared_language(root: Any) -> str:
    """``<html lang>`` (or ``xml:lang``), else ``content-language``, else the page's ``og:locale``."""
    found = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not found:
        for meta in root.iter("meta"):
            key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").strip().lower()
            if key in ("content-language", "language", "dc.language", "og:locale") and meta.get("content"):
                found = meta.get("content").split(",")[0]
                break
    return (found or "").strip()


def _metadata(root: Any, main: Any) -> tuple[dict[str, str], int]:
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = _SPACE.sub(" ", meta.get("content") or "").strip()
        if key in _META_KEYS and content:
            values.setdefault(_META_KEYS[key], content[:10] if _META_KEYS[key] == "date" else content)
    declared = _declared_language(root)
    if declared:
        values["lang"] = declared
    canonical = next((link.get("href") for link in root.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")), None)
    if canonical:
        values["source_url"] = canonical.strip()
    for element in list(main.iter()):
        if not isinstance(element.tag, str):
            continue
        classes = f"{element.get('class') or ''} {element.get('rel') or ''}".lower()
        if element.tag == "time" and element.get("datetime") and "date" not in values:
            values["date"] = element.get("datetime").strip()[:10]
        if "author" in classes.split() or "byline" in classes or "author" in classes.split("-"):
            name = _SPACE.sub(" ", element.text_content()).strip()
            name = re.sub(r"^(?:by|par|por)\s+", "", name, flags=re.IGNORECASE)
            if name and "author" not in values and len(name.split()) <= 8:
                values["author"] = name
            if element.getparent() is not None and element.tag != "time":
                element.drop_tree()
    title_line = 0
    title = root.find(".//title")
    if title is not None and title.text and title.text.strip():
        values.setdefault("title", _SPACE.sub(" ", title.text).strip())
        title_line = _line(title)
    return values, title_line


def convert(text: str, path: Path) -> tuple[str, tuple[int, ...], dict[str, str], int]:
    """The article's Markdown body, its line map, the metadata the page states, the title's line."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise SourceError(f"not readable as HTML: {exc}", path, 1, hint="export the article again") from None
    for element in list(root.iter(*_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    main = _main(root)
    values, title_line = _metadata(root, main)
    if main.find(".//h1") is not None:
        values.pop("title", None)
        title_line = 0
    out = _Writer()
    _children(main, out)
    markdown = "\n".join(out.lines)
    if not markdown.strip() and "title" not in values:
        raise SourceError("no article text in this HTML page", path, 1,
                          hint="export the article itself, with its <article> or <main> content")
    return markdown + "\n", tuple(out.origin), values, title_line
