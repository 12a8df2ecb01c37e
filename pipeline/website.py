"""The web edition: a landing page, a page per language and a page per article, beside the books.

Readers arrive knowing their language, not the project's layout, so the landing
page (``exports/index.html``) offers every language by its own name, and each
language gets its own page (``exports/<lang>.html``) in its own words, with a
switcher to the others.  Each article gets a page per language
(``exports/<lang>.<doc>.html``) with every edition, its ``.epub`` and the same
article in the other languages.  A translation says how much of it volunteers
approved; one nobody reviewed says so and keeps its original title, marked with
that title's language.

The pages sit in ``exports/`` itself, beside the language folders that hold
the books: a language code never holds a ``.``, so no page can meet a book's
folder or ``.epub``, and ``exports/<lang>/`` holds books only.  Everything is
computed from the ``Book`` records of what is on disk
(``publication.published``), so no page links to a gone book; rendering is pure
(page path to bytes) and deterministic, and writing it is the caller's.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .editions import EditionKind
from .labels import group, has_labels, labels_for, project_catalog, words_for
from .language import Language
from .render import Book
from .segment import strip_control

INDEX = "index.html"
KIND_ORDER = (EditionKind.ORIGINAL, EditionKind.TRANSLATION, EditionKind.BILINGUAL)

@dataclass(frozen=True)
class Words:
    """The interface words of one page or section, and the language they are really in."""

    lang: str  # the language of the page or section
    ui: str  # the language the words are in: ``lang``, or English where the site has no words for it
    site: Mapping[str, str]
    book: Mapping[str, str]  # the books' own labels (labels.labels_for), in the same language

    @property
    def attrs(self) -> Markup:
        """``lang`` (and ``dir``) for an element of interface words, where they are not the page's language."""
        return _lang_attrs(self.ui, self.lang)

    def name(self, code: str) -> str:
        """A language's name in these words' language (``inglés`` on a Spanish page)."""
        return Language(code).name(self.ui)

    def kind(self, kind: str) -> str:
        return self.book["source"] if kind == EditionKind.ORIGINAL else self.site.get(str(kind), str(kind))


def words(lang: str, i18n_dir: Path | None = None) -> Words:
    """The site's words for a page in ``lang`` (the product's catalogs, ``site.`` messages): its own
    where the product ships them, else the project's drafts of them (``i18n/labels/<lang>.po``),
    else English, marked lang="en" where it shows."""
    if has_labels(lang):
        return Words(lang=lang, ui=lang, site=group(lang, "site."), book=labels_for(lang))
    if i18n_dir is not None and project_catalog(i18n_dir, lang).is_file():
        drafted = words_for(lang, i18n_dir)
        return Words(lang=lang, ui=lang, site=group(lang, "site.", drafted), book=drafted)
    return Words(lang=lang, ui="en", site=group("en", "site."), book=labels_for("en"))


def _lang_attrs(lang: str, context: str) -> Markup:
    if Language(lang).tag == Language(context).tag:
        return Markup("")
    out = Markup(' lang="{0}"').format(Language(lang).tag)
    if Language(lang).rtl != Language(context).rtl:
        out += Markup(' dir="rtl"') if Language(lang).rtl else Markup(' dir="ltr"')
    return out


def language_page(lang: str) -> str:
    return f"{lang}.html"


def article_page(lang: str, doc_id: str) -> str:
    return f"{lang}.{doc_id}.html"


def href(target: str, page: str) -> str:
    """A link from ``page`` to ``target``, both paths inside exports/, relative and percent-encoded."""
    if "/" not in page and posixpath.normpath(target) == target and not target.startswith(("/", "..")):
        return quote(target)  # every web page sits in exports/ itself: the path as it is
    return quote(posixpath.relpath(target, posixpath.dirname(page) or "."))


@dataclass(frozen=True)
class Site:
    """What the pages are made of: the books by language, then by article."""

    project: str
    source_lang: str
    languages: tuple[str, ...]
    books: Mapping[str, Mapping[str, tuple[Book, ...]]]  # lang -> doc id ("" for collections) -> books
    i18n_dir: Path | None = None  # where the project keeps its drafts of the product's words

    def primary(self, lang: str, doc_id: str) -> Book:
        """The book that speaks for an article in a language: its own edition, else the bilingual one."""
        return self.books[lang][doc_id][0]


def site_of(project: str, source_lang: str, books: Sequence[Book], i18n_dir: Path | None = None) -> Site:
    """Group the books; every language with a book has a page."""
    grouped: dict[str, dict[str, list[Book]]] = {}
    for book in books:
        grouped.setdefault(book.lang, {}).setdefault(book.doc_id, []).append(book)

    def rank(book: Book) -> tuple[int, str]:
        return (KIND_ORDER.index(book.kind) if book.kind in KIND_ORDER else len(KIND_ORDER), book.name)

    ordered = {lang: {doc: tuple(sorted(found, key=rank)) for doc, found in docs.items()}
               for lang, docs in grouped.items()}
    return Site(project=project, source_lang=source_lang, languages=tuple(ordered), books=ordered,
                i18n_dir=i18n_dir)


def status(book: Book, w: Words) -> dict[str, object]:
    """What a reader is told of an edition's review, by the same rule as the books' notice."""
    if book.kind == EditionKind.ORIGINAL:
        return {"css": "original", "text": w.book["source"], "percent": None}
    if book.percent is None:
        return {"css": "", "text": "", "percent": None}
    if round(book.percent) <= 0:
        return {"css": "unreviewed", "text": w.site["status_none"], "percent": 0}
    if book.percent >= 100:
        return {"css": "approved", "text": w.site["status_all"], "percent": 100}
    share = max(1, min(99, round(book.percent)))
    return {"css": "partial", "text": w.site["status_share"].format(percent=share), "percent": share}


def _title(book: Book, w: Words) -> dict[str, object]:
    """A book's title as readers see it, marked with its own language; an untranslated one says so."""
    translated = book.title_lang == book.lang or book.kind == EditionKind.ORIGINAL
    hint = "" if translated else w.site["original_title"].format(language=w.name(book.title_lang))
    return {"text": book.title, "attrs": _lang_attrs(book.title_lang, w.lang), "hint": hint}


def _links(books: Sequence[Book], page: str, w: Words) -> list[dict[str, object]]:
    """Each edition's first page and, where it exists, its ``.epub``."""
    links: list[dict[str, object]] = []
    for book in books:
        folder = f"{book.lang}/{book.name}"
        links.append({"href": href(f"{folder}/{book.start}", page), "text": w.kind(book.kind), "epub": False})
        if book.epub:
            links.append({"href": href(f"{folder}.epub", page), "epub": True,
                          "text": w.site["epub"].format(edition=w.kind(book.kind))})
    return links


def _row(site: Site, lang: str, doc_id: str, page: str, w: Words) -> dict[str, object]:
    """One article (or collection) in a list: its title, review status and editions."""
    main = site.primary(lang, doc_id)
    target = article_page(lang, doc_id) if doc_id else f"{lang}/{main.name}/{main.start}"
    return {"title": _title(main, w), "href": href(target, page), "status": status(main, w),
            "links": _links(site.books[lang][doc_id], page, w), "collection": not doc_id}


def _group(doc_id: str, state: Mapping[str, object]) -> str:
    if not doc_id:
        return "collections"
    return {"original": "originals", "unreviewed": "unreviewed"}.get(str(state["css"]), "translations")


@dataclass
class Rows:
    """The rows of the landing and language pages (one per article and language, thousands), each
    rendered once: ``known`` from the last export (key -> HTML), ``used`` this one's.  A row's key is
    a digest of all it is made of: its books, its page's folder, its words and ``context`` (the
    caller's: the product's code, which holds the templates)."""

    context: str = ""
    known: Mapping[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    def row(self, site: Site, lang: str, doc_id: str, page: str, w: Words, ui: Markup, words_key: str) -> Markup:
        """The row's HTML; ``words_key``: a digest of ``w`` (computed once per list)."""
        key = hashlib.sha256(repr((self.context, site.project, lang, doc_id, site.books[lang][doc_id],
                                   posixpath.dirname(page), words_key, str(ui))).encode("utf-8")).hexdigest()
        html = self.used.get(key) or self.known.get(key)
        if html is None:
            html = str(_environment().get_template("site_lists.html").module.row(  # type: ignore[attr-defined]
                _row(site, lang, doc_id, page, w), ui))
        self.used[key] = html
        return Markup(html)


def groups(site: Site, lang: str, page: str, w: Words, ui: Markup, rows: Rows) -> list[dict[str, object]]:
    """A language's articles: collections, those written in it, translations, and those nobody reviewed yet
    (apart, so that no unreviewed machine draft is listed as a translation)."""
    found: dict[str, list[Markup]] = {"collections": [], "originals": [], "translations": [], "unreviewed": []}
    words_key = hashlib.sha256(repr(w).encode("utf-8")).hexdigest()
    for doc_id in site.books[lang]:
        found[_group(doc_id, status(site.primary(lang, doc_id), w))].append(
            rows.row(site, lang, doc_id, page, w, ui, words_key))
    return [{"key": key, "heading": w.site[key].format(language=w.name(lang)), "rows": rows,
             "note": w.site["unreviewed_note"] if key == "unreviewed" else ""}
            for key, rows in found.items() if rows]


def switcher(site: Site, page: str, doc_id: str = "") -> list[dict[str, object]]:
    """Every language by its own name; on an article's page, to the same article where it exists."""
    items = []
    for lang in site.languages:
        same = bool(doc_id) and doc_id in site.books[lang]  # the same article in that language
        target = article_page(lang, doc_id) if same else language_page(lang)
        items.append({"name": Language(lang).name(lang), "tag": Language(lang).tag, "href": href(target, page),
                      "current": target == page, "dir": "rtl" if Language(lang).rtl else "ltr",
                      "same": same or not doc_id})
    return items


def _page(site: Site, lang: str, page: str, w: Words, doc_id: str = "") -> dict[str, object]:
    """What every page has: its language, its words, the way home and the language switcher."""
    items = switcher(site, page, doc_id)
    alternates = [item for item in items if item["same"] and not item["current"]] if page != INDEX else []
    return {"project": site.project, "lang": Language(lang).tag, "dir": "rtl" if Language(lang).rtl else "ltr",
            "w": w.site, "ui": w.attrs, "home": href(INDEX, page), "switcher": items, "alternates": alternates,
            "languages_label": w.site["languages"]}


def render_landing(site: Site, rows: Rows | None = None) -> bytes:
    """``exports/index.html``: the languages by their own names, then every book under its language."""
    w = words(site.source_lang, site.i18n_dir)
    choices = [{**item, "local": w.name(lang) if w.name(lang) != item["name"] else ""}
               for lang, item in zip(site.languages, switcher(site, INDEX))]
    sections = []
    rows = rows or Rows()
    for lang in site.languages:
        inner = words(lang, site.i18n_dir)
        ui = _lang_attrs(inner.ui, lang)
        sections.append({"lang": Language(lang).tag, "dir": "rtl" if Language(lang).rtl else "ltr",
                         "name": Language(lang).name(lang), "href": href(language_page(lang), INDEX),
                         "ui": ui, "groups": groups(site, lang, INDEX, inner, ui, rows)})
    page = {**_page(site, site.source_lang, INDEX, w), "switcher": []}  # the choices are its switcher
    return _render("index.html", **page, choices=choices, sections=sections)


def render_language(site: Site, lang: str, rows: Rows | None = None) -> bytes:
    """``exports/<lang>.html``: the language's collections and articles, in its own words."""
    page = language_page(lang)
    w = words(lang, site.i18n_dir)
    return _render("language.html", **_page(site, lang, page, w),
                   groups=groups(site, lang, page, w, w.attrs, rows or Rows()),
                   heading=w.site["in_language"].format(language=w.name(lang)))


def render_article(site: Site, lang: str, doc_id: str) -> bytes:
    """``exports/<lang>.<doc>.html``: one article's editions in a language, and the article elsewhere."""
    page = article_page(lang, doc_id)
    w = words(lang, site.i18n_dir)
    main = site.primary(lang, doc_id)
    state = status(main, w)
    others = []
    for other in site.languages:
        if other != lang and doc_id in site.books[other]:
            book = site.primary(other, doc_id)
            others.append({"href": href(article_page(other, doc_id), page), "tag": Language(other).tag,
                           "dir": "rtl" if Language(other).rtl else "ltr", "name": Language(other).name(other),
                           "title": _title(book, w), "status": status(book, w)})
    return _render("article.html", **_page(site, lang, page, w, doc_id), title=_title(main, w), status=state,
                   about=_about(state, lang, w), editions=_links(site.books[lang][doc_id], page, w), others=others,
                   back={"href": href(language_page(lang), page),
                         "text": w.site["all_articles"].format(language=w.name(lang))})


def _about(state: Mapping[str, object], lang: str, w: Words) -> str:
    """The sentence under an article's title that says what readers have before them."""
    css = state["css"]
    if css == "original":
        return w.site["about_original"].format(language=w.name(lang))
    if css == "partial":
        return w.site["about_share"].format(percent=state["percent"])
    return {"unreviewed": w.site["about_none"], "approved": w.site["about_all"]}.get(str(css), "")


def render_site(project: str, source_lang: str, books: Sequence[Book], i18n_dir: Path | None = None,
                skip: Container[str] = (), rows: Rows | None = None) -> dict[str, bytes | None]:
    """Every page of the web edition, by its path inside exports/; None for an article page in ``skip``
    (the caller knows it is as it would be rendered: see ``article_keys``)."""
    site = site_of(project, source_lang, books, i18n_dir)
    rows = rows or Rows()  # the landing page's rows are those of the language pages
    pages: dict[str, bytes | None] = {INDEX: render_landing(site, rows)}
    for lang in site.languages:
        pages[language_page(lang)] = render_language(site, lang, rows)
        for doc_id in site.books[lang]:
            if doc_id:
                page = article_page(lang, doc_id)
                pages[page] = None if page in skip else render_article(site, lang, doc_id)
    return pages


def article_keys(site: Site, context: str) -> dict[str, str]:
    """A digest of everything each article page is made of, by page: the article's books in every
    language, the site's languages and ``context`` (the caller's: the product's code, the project's
    words as they are on disk), so a page whose digest is unchanged need not be rendered again."""
    base = repr((context, site.project, site.source_lang, site.languages))
    return {article_page(lang, doc_id): hashlib.sha256(repr((base, lang, doc_id, [
        (other, site.books[other].get(doc_id)) for other in site.languages])).encode("utf-8")).hexdigest()
        for lang in site.languages for doc_id in site.books[lang] if doc_id}


def render_index(project: str, source_lang: str, books: Sequence[Book]) -> bytes:
    """The landing page alone (``exports/index.html``)."""
    return render_landing(site_of(project, source_lang, books))


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True, finalize=_clean)


def _clean(value: object) -> object:
    """Every value a template prints loses the characters no web page should hold."""
    if isinstance(value, Markup):
        return Markup(strip_control(str(value)))
    return strip_control(value) if isinstance(value, str) else value


def _render(template: str, **context: object) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")
