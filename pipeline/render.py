"""Rendering documents and their translations to EPUB 3 XHTML with Jinja2.

Every template is rendered with ``autoescape=True``; the only markup that
reaches the output unescaped is what ``inline`` builds from light markdown,
and markdown-it escapes all text it sees.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .body import Entry, Item, render_body, toc
from .cover import render_cover
from .document import Kind, Role
from .editions import ARTICLE_EDITIONS, EditionKind, Outdated, Unapproved
from .inline import Context, slug, to_plain, to_xhtml
from .labels import labels_for
from .labels import notice as notice_for
from .language import Language
from .metadata import combined, facts_from_record, facts_record, nav_labels, package_context, read_page
from .segment import Block, Document, strip_control

HEADER_ROLES = (Role.KICKER, Role.SECTION)
HIDDEN_ROLES = (Role.SOURCE, Role.DATE, Role.AUTHOR, Role.BYLINE)

KINDS = ARTICLE_EDITIONS
FALLBACKS = tuple(Unapproved)
OUTDATED = tuple(Outdated)
OUTDATED_MARK = "†"


@dataclass(frozen=True)
class Translation:
    """What a catalog says about one msgid."""

    text: str
    approved: bool
    outdated: bool = False  # approved by a reviewer before the source text changed: human text


@dataclass(frozen=True, kw_only=True)
class Book:
    """One rendered book, as the web edition lists it."""

    lang: str
    name: str  # folder and .epub stem inside exports/<lang>/
    kind: EditionKind
    title: str
    title_lang: str
    doc_id: str  # "" for a collection
    percent: float | None
    epub: bool
    start: str  # the first page, inside the expanded folder


@dataclass(frozen=True)
class Edition:
    """One article in one language and edition kind, with the choices that shape it.

    ``fallback`` says what a reader sees where a translation is not approved:
    the original paragraph, the machine draft (labelled) or nothing.
    """

    doc: Document
    lang: str
    source_lang: str
    translations: Mapping[str, Translation] = field(default_factory=dict)
    kind: EditionKind = EditionKind.TRANSLATION
    fallback: Unapproved = Unapproved.ORIGINAL
    outdated: Outdated = Outdated.KEEP
    contributors: tuple[str, ...] = ()
    modified: str = "2000-01-01T00:00:00Z"
    project: str = "pipeline"
    publisher: str = ""  # pipeline.toml [project] publisher; the project's name when empty
    approved_words: int = 0
    total_words: int = 0
    words: Mapping[str, str] = field(default_factory=dict)  # the project's own words for the language, if any
    site: str = ""  # the web edition's page of this language (an absolute http(s) address), when published

    def vocabulary(self) -> Mapping[str, str]:
        """The product's words in this edition's language: the project's drafts, else the shipped ones."""
        return self.words or labels_for(self.lang)

    @property
    def approved_percent(self) -> float | None:
        if self.kind == "original" or self.lang == self.source_lang:
            return None
        return 100.0 * self.approved_words / self.total_words if self.total_words else 100.0


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True, finalize=_xml_safe)
    env.globals["toc"] = toc
    return env


def _xml_safe(value: object) -> object:
    """Every value a template prints loses the characters XML cannot hold, escaped or not."""
    if isinstance(value, Markup):
        return Markup(strip_control(str(value)))
    if isinstance(value, str):
        return strip_control(value)
    return value


def inline(text: str, ctx: Context | None = None) -> Markup:
    """A unit's Markdown to escaped XHTML, links through the one link policy."""
    return to_xhtml(strip_control(text), ctx or Context())


def format_date(iso: str, lang: str) -> str:
    from babel.dates import format_date as babel_format

    try:
        return babel_format(dt.date.fromisoformat(iso), format="long", locale=lang)
    except (ValueError, LookupError):
        return iso


def _attrs(lang: str, page_lang: str, always: bool = False) -> Markup:
    """``lang``/``xml:lang`` (and ``dir``) where a block's language is not the page's."""
    out = ""
    if always or lang != page_lang:
        code = escape(Language(lang).tag)
        out += f' lang="{code}" xml:lang="{code}"'
    if Language(lang).rtl != Language(page_lang).rtl:
        out += ' dir="rtl"' if Language(lang).rtl else ' dir="ltr"'
    return Markup(out)


def _item(text: str, lang: str, page_lang: str, ctx: Context, css: str = "", label: Markup | str = "",
          always: bool = False) -> Item:
    text = strip_control(text)
    return Item(html=inline(text, ctx), attrs=_attrs(lang, page_lang, always), css=css, label=Markup(label),
                plain=text)


def _items(block: Block, edition: Edition, ctx: Context) -> tuple[Item, ...]:
    """What a reader sees for a block: one item, two for bilingual pairs, none when hidden."""
    src, page = edition.source_lang, edition.lang
    if not block.translatable:
        return (_item(block.text, src, page, ctx),) if block.text else ()
    if edition.kind == "original" or edition.lang == edition.source_lang:
        return (_item(block.text, src, page, ctx),)
    found = edition.translations.get(block.text)
    label = Markup('<span class="draft-label">{}</span> ').format(edition.vocabulary()["draft"])
    target = None
    if found is not None and found.text and found.approved:
        target = _item(found.text, page, page, ctx, "target", always=edition.kind == "bilingual")
    elif found is not None and found.text and found.outdated and edition.outdated == "keep":
        # A reviewer's translation of the previous version of this paragraph: a human's text,
        # never labelled machine translation; marked, and explained in the notice.
        mark = Markup('<span class="outdated-label" title="{0}">{1}</span> ').format(
            edition.vocabulary()["outdated"], OUTDATED_MARK)
        target = _item(found.text, page, page, ctx, "target outdated", mark, always=edition.kind == "bilingual")
    elif found is not None and found.text and found.outdated:
        target = None  # policy "original": the reviewer's old text is not shown, nor called a draft
    elif found is not None and found.text and edition.fallback == "draft":
        target = _item(found.text, page, page, ctx, "target draft", label, always=edition.kind == "bilingual")
    if edition.kind == "bilingual":
        source = _item(block.text, src, page, ctx, "source", always=True)
        return (source, target) if target else (source,)
    if target is not None:
        return (target,)
    if edition.fallback == "nothing":
        return ()
    return (_item(block.text, src, page, ctx, "untranslated"),)


def _title(doc: Document) -> Block:
    title = next((b for b in doc.blocks if b.kind == "title"), None)
    if title is None or (doc.metadata.title and title.text != doc.metadata.title and title.line == 0):
        title = Block(Kind.TITLE, doc.metadata.title or doc.doc_id, 0)
    if not has_words(to_plain(title.text)):
        return Block(Kind.TITLE, doc.doc_id, 0, translatable=False)  # a title of markup alone: the file's name
    return title


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _context(edition: Edition, prefix: str) -> Context:
    doc = edition.doc
    return Context(base=doc.metadata.source_url, prefix=prefix, notes=doc.notes, references=doc.references,
                   images={asset.src: asset.href for asset in doc.images})


def _heading_ids(edition: Edition, prefix: str) -> dict[str, str]:
    """The ids the shown headings get, by the slug an author's ``#link`` uses (first one wins)."""
    ids: dict[str, str] = {}
    shown = 0
    for block in edition.doc.blocks:
        if block.kind == "heading" and block.role not in HIDDEN_ROLES + HEADER_ROLES \
                and _items(block, edition, Context()):
            shown += 1
            ids.setdefault(slug(block.text), f"{prefix}h{shown}")
    return ids


def _article(edition: Edition, prefix: str) -> dict[str, object]:
    """The template context of one article; every id starts with ``prefix``."""
    doc, lang = edition.doc, edition.lang
    if doc.partial:  # a summary reached a page: the export failed to read the article in full first
        raise RuntimeError(f"{doc.doc_id}: only a summary of this article was read")
    ctx = _context(edition, prefix)
    ctx.anchors = _heading_ids(edition, prefix)
    title_block = _title(doc)
    title_items = _items(title_block, edition, ctx) or (_item(title_block.text, edition.source_lang, lang, ctx,
                                                              "untranslated"),)
    kickers: list[dict[str, object]] = []
    entries: list[Entry] = []
    headings: list[dict[str, object]] = []
    for block in doc.blocks:
        if block.kind == "title" or block.role in HIDDEN_ROLES:
            continue
        if block.role == Role.DATELINE:
            iso = _iso_of(block.text)
            text = format_date(iso, lang) if iso else block.text
            entries.append(Entry(block=block, items=(Item(html=Markup(escape(text)), attrs=Markup(""), css="",
                                                          label=Markup("")),), date_iso=iso))
            continue
        items = _items(block, edition, ctx)
        if block.role in HEADER_ROLES:
            if items:
                kickers.append({"kind": block.kind, "items": items})
            continue
        anchor = ""
        if block.kind == "heading" and items:
            anchor = f"{prefix}h{len(headings) + 1}"
            level = min(max(block.level or 2, 2), 6)
            headings.append({"anchor": anchor, "text": _plain(items[-1].plain), "level": level})
        if items or not block.translatable or block.kind in ("table header", "table cell"):
            entries.append(Entry(block=block, items=items, anchor=anchor,
                                 paired=edition.kind == "bilingual" and block.translatable))
    meta = doc.metadata
    percent = edition.approved_percent
    notice = "" if percent is None else notice_for(lang, percent, edition.vocabulary())
    shown = [*title_items, *(item for entry in entries for item in entry.items)]
    if any("outdated" in item.css for item in shown):
        notice += f" {OUTDATED_MARK} {edition.vocabulary()['outdated']}"  # visible on e-ink and without CSS too
    main_title = title_items[-1]
    return {
        "prefix": prefix, "title": main_title, "title_source": title_items[0] if len(title_items) > 1 else None,
        "plain_title": _plain(main_title.plain) or doc.doc_id, "kickers": kickers,
        "body_html": render_body(entries, ctx), "headings": headings,
        "author": meta.author, "date": format_date(meta.date, lang) if meta.date else meta.date_text,
        "date_iso": meta.date, "source_url": meta.source_url, "notice": notice,
        "translators": credit_line(edition.contributors, edition.vocabulary()),
        "site": edition.site, "site_label": edition.vocabulary()["site.everything"],
    }


def credit_line(names: Sequence[str], words: Mapping[str, str]) -> str:
    """"Translated by Ana, Rui" in the book's language; empty when nobody is credited."""
    return words["translators"].format(names=", ".join(names)) if names else ""


def _plain(text: object) -> str:
    return to_plain(strip_control(str(text)))


def book_title(edition: Edition) -> tuple[str, str]:
    """The title a reader of this edition sees, as plain text, and its language."""
    title = _title(edition.doc)
    found = edition.translations.get(title.text)
    if edition.kind != "original" and found is not None and found.text and found.approved \
            and has_words(_plain(found.text)):
        return _plain(found.text), edition.lang
    return _plain(title.text) or edition.doc.doc_id, edition.source_lang


def approved_share(editions: Sequence[Edition]) -> float | None:
    """Approved percentage of the source words of a book's translated articles; None for originals only
    (a language's collection also holds the articles written in it)."""
    translated = [e for e in editions if e.approved_percent is not None]
    if not translated:
        return None
    total = sum(e.total_words for e in translated)
    return 100.0 * sum(e.approved_words for e in translated) / total if total else 100.0


def book_name(doc_id: str, kind: EditionKind, lang: str, source_lang: str) -> str:
    """``<doc>`` for the language's own edition, ``<doc>.<kind>`` for the others."""
    own = EditionKind.ORIGINAL if lang == source_lang else EditionKind.TRANSLATION
    return doc_id if kind == own else f"{doc_id}.{kind}"


def render_book(edition: Edition) -> dict[str, bytes]:
    """Every file of the expanded EPUB container of one article, by path inside the container."""
    return render_collection((edition,), collection_title="")


@dataclass(frozen=True, kw_only=True)
class Chapter:
    """A collection's chapter as an earlier export rendered it: its page, and the little the contents
    and the title page need of it (JSON-safe), so an unchanged chapter is not rendered again."""

    page: bytes
    outline: Mapping[str, object]


def outline(article: Mapping[str, object]) -> dict[str, object]:
    """What the contents and the title page read of an article."""
    title = article["title"]
    assert isinstance(title, Item)
    return {"prefix": article["prefix"], "title_attrs": str(title.attrs), "plain_title": article["plain_title"],
            "headings": article["headings"], "author": article["author"]}


def _outlined(found: Mapping[str, object]) -> dict[str, object]:
    return {**found, "title": {"attrs": Markup(str(found["title_attrs"]))}}


def render_collection(editions: tuple[Edition, ...], collection_title: str,
                      known: Sequence[Chapter | None] = ()) -> dict[str, bytes]:
    """One book: a single article, or (with a title) a collection with a title page."""
    return render_parts(editions, collection_title, known)[0]


def render_parts(editions: tuple[Edition, ...], collection_title: str,
                 known: Sequence[Chapter | None] = ()) -> tuple[dict[str, bytes], list[dict[str, object]]]:
    """A book's files and each chapter's outline; a chapter ``known`` from an earlier export is reused."""
    env = _environment()
    first = editions[0]
    lang, kind = first.lang, first.kind
    labels = first.vocabulary()
    code = Language(lang).tag
    collection = bool(collection_title)
    reused = [known[n] if collection and n < len(known) else None for n in range(len(editions))]
    articles = [_outlined(old.outline) if old else _article(e, f"a{n}-" if collection else "")
                for n, (e, old) in enumerate(zip(editions, reused), start=1)]
    page = {"lang": code, "dir": "rtl" if Language(lang).rtl else "ltr", "labels": labels,
            "bilingual": kind == "bilingual"}
    files: dict[str, bytes] = {"mimetype": b"application/epub+zip",
                               "META-INF/container.xml": env.get_template("container.xml").render().encode()}
    chapters = []
    publisher = first.publisher or first.project
    nav = {"names": nav_labels(lang, first.vocabulary()), "publisher": publisher}
    title_page = {"file": "title.xhtml", "title": collection_title} if collection else None
    for n, (article, old) in enumerate(zip(articles, reused), start=1):
        name = f"a{n}.xhtml" if collection else "content.xhtml"
        files[f"OEBPS/{name}"] = old.page if old else env.get_template("content.xhtml").render(
            **page, article=article).encode("utf-8")
        chapters.append({"file": name, "id": f"c{n}", "article": article})
    if collection:
        files["OEBPS/title.xhtml"] = env.get_template("title.xhtml").render(
            **page, **nav, title=collection_title, chapters=chapters,
            translators=credit_line(list(dict.fromkeys(c for e in editions for c in e.contributors)),
                                    first.vocabulary()),
        ).encode("utf-8")
    files["OEBPS/nav.xhtml"] = env.get_template("nav.xhtml").render(
        **page, **nav, chapters=chapters, title_page=title_page).encode("utf-8")
    files["OEBPS/style.css"] = env.get_template("style.css").render().encode("utf-8")
    images = _package_images(editions, files)

    percent = approved_share(editions)
    facts = [(old and facts_from_record(old.outline.get("facts"))) or read_page(files[f"OEBPS/{c['file']}"])
             for c, old in zip(chapters, reused)]  # a known chapter's are kept with its outline
    title_facts = [read_page(files["OEBPS/title.xhtml"])] if collection else []
    opf = {
        **page, **package_context(
            editions, title=collection_title or str(articles[0]["plain_title"]), collection=collection,
            facts=combined(title_facts + facts), publisher=publisher,
            description="" if percent is None else notice_for(lang, percent, first.vocabulary()),
            percent=percent),
        "title_page": collection, "chapters": chapters,
    }
    files["OEBPS/content.opf"] = env.get_template("content.opf").render(**opf, images=images).encode("utf-8")
    cover_title, cover_lang = (collection_title, lang) if collection else book_title(first)
    files["OEBPS/images/cover.svg"] = render_cover(editions, cover_title, cover_lang, opf)
    return files, [{**(old.outline if old else outline(article)), "facts": facts_record(found)}
                   for article, old, found in zip(articles, reused, facts)]


def _package_images(editions: Sequence[Edition], files: dict[str, bytes]) -> list[dict[str, str]]:
    """The articles' local images as files of the book, and their manifest entries."""
    images: list[dict[str, str]] = []
    for edition in editions:
        for asset in edition.doc.images:
            if f"OEBPS/{asset.href}" not in files:
                files[f"OEBPS/{asset.href}"] = asset.data
                images.append({"id": f"img{len(images) + 1}", "href": asset.href, "media_type": asset.media_type})
    return images


def _iso_of(text: str) -> str:
    from .segment import parse_date

    parsed = parse_date(text)
    return parsed.isoformat() if parsed else ""
