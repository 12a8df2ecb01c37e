"""Rendering documents and their translations to EPUB 3 XHTML with Jinja2.

Every template is rendered with ``autoescape=True``; the only markup that
reaches the output unescaped is what ``inline`` builds from light markdown,
and markdown-it escapes all text it sees.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .config import bcp47
from .segment import Block, Document, strip_control

HEADER_ROLES = ("kicker", "section")
HIDDEN_ROLES = ("source", "date", "author", "byline")

LABELS: dict[str, dict[str, str]] = {
    "en": {"by": "By", "source": "Original", "contents": "Contents",
           "draft": "Unreviewed machine translation:",
           "notice": "Machine-drafted translation, reviewed by volunteers: {percent}% approved.",
           "a11y": "Text-only article with a table of contents and headings for navigation; "
                   "paragraphs not yet translated are marked with their own language."},
    "es": {"by": "Por", "source": "Original", "contents": "Índice",
           "draft": "Traducción automática sin revisar:",
           "notice": "Traducción preparada por máquina y revisada por voluntarios: {percent}% aprobada.",
           "a11y": "Artículo solo de texto con índice y encabezados para navegar; "
                   "los párrafos aún sin traducir llevan marcado su idioma."},
    "pt": {"by": "Por", "source": "Original", "contents": "Índice",
           "draft": "Tradução automática não revista:",
           "notice": "Tradução preparada por máquina e revista por voluntários: {percent}% aprovada.",
           "a11y": "Artigo só de texto com índice e títulos para navegação; "
                   "os parágrafos ainda por traduzir têm o seu idioma marcado."},
    "fr": {"by": "Par", "source": "Original", "contents": "Table des matières",
           "draft": "Traduction automatique non relue :",
           "notice": "Traduction préparée par machine et relue par des bénévoles : {percent} % approuvée.",
           "a11y": "Article textuel avec table des matières et intertitres pour la navigation ; "
                   "les paragraphes pas encore traduits sont marqués dans leur langue."},
}


def labels_for(lang: str) -> dict[str, str]:
    return LABELS.get(lang.split("_")[0], LABELS["en"])


@dataclass(frozen=True)
class Translation:
    """What a catalog says about one msgid."""

    text: str
    approved: bool


@dataclass(frozen=True)
class Edition:
    """One book to render: a document in a language, with the choices that shape it."""

    doc: Document
    lang: str
    source_lang: str
    translations: Mapping[str, Translation] = field(default_factory=dict)
    include_drafts: bool = False
    contributors: tuple[str, ...] = ()
    modified: str = "2000-01-01T00:00:00Z"
    project: str = "pipeline"
    approved_percent: float | None = None


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


@functools.cache
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"typographer": True, "html": False})
    md.enable(["emphasis", "link", "backticks", "escape", "replacements"])

    def render_link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        href = tokens[idx].attrGet("href") or ""
        if href in ("", "#"):
            tokens[idx].meta["span"] = True
            return '<span class="link">'
        return self.renderToken(tokens, idx, options, env)

    def render_link_close(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        level = tokens[idx].level
        for opener in reversed(tokens[:idx]):
            if opener.type == "link_open" and opener.level == level:
                return "</span>" if opener.meta.get("span") else "</a>"
        return "</a>"

    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("link_close", render_link_close)
    return md


def inline(text: str) -> Markup:
    """Light markdown (``**bold**``, ``*em*``, ``[text](url)``) to escaped XHTML."""
    return Markup(_markdown().renderInline(strip_control(text)))


def format_date(iso: str, lang: str) -> str:
    from babel.dates import format_date as babel_format

    try:
        return babel_format(dt.date.fromisoformat(iso), format="long", locale=lang)
    except (ValueError, LookupError):
        return iso


def _lang_attrs(lang: str | None) -> Markup:
    if not lang:
        return Markup("")
    code = escape(bcp47(lang))
    return Markup(f' lang="{code}" xml:lang="{code}"')


def _resolve(block: Block, edition: Edition) -> dict[str, object]:
    """The text a reader sees for a block, and how it is marked."""
    draft_label = Markup('<span class="draft-label">{}</span> ').format(labels_for(edition.lang)["draft"])
    text, lang, css, label = block.text, None, "", Markup("")
    if edition.lang != edition.source_lang:
        found = edition.translations.get(block.text)
        if found is not None and found.text and found.approved:
            text = found.text
        elif found is not None and found.text and edition.include_drafts:
            text, css, label = found.text, "draft", draft_label
        else:
            lang, css = edition.source_lang, "untranslated"
    text = strip_control(text)
    return {"text": text, "html": inline(text), "lang_attrs": _lang_attrs(lang), "css": css, "label": label}


def render_book(edition: Edition) -> dict[str, bytes]:
    """Every file of the expanded EPUB container, by path inside the container."""
    env = _environment()
    doc, lang = edition.doc, edition.lang
    labels = labels_for(lang)
    title_block = next((b for b in doc.blocks if b.kind == "title"),
                       Block("title", doc.metadata.title or doc.doc_id, 0))
    if doc.metadata.title and title_block.text != doc.metadata.title and title_block.line == 0:
        title_block = Block("title", doc.metadata.title, 0)
    title = _resolve(title_block, edition)
    kickers, body, headings = [], [], []
    for block in doc.blocks:
        if block.kind == "title" or block.role in HIDDEN_ROLES:
            continue
        if block.role == "dateline":
            iso = _iso_of(block.text)
            body.append({"kind": "dateline", "html": format_date(iso, lang) if iso else block.text,
                         "date_iso": iso})
            continue
        item = {"kind": block.kind, **_resolve(block, edition)}
        if block.role in HEADER_ROLES:
            kickers.append(item)
            continue
        if block.kind == "heading":
            item["anchor"] = f"h{len(headings) + 1}"
            headings.append({"anchor": item["anchor"], "text": item["text"]})
        body.append(item)

    meta = doc.metadata
    date = format_date(meta.date, lang) if meta.date else meta.date_text
    notice = ""
    if edition.approved_percent is not None:
        notice = labels["notice"].format(percent=round(edition.approved_percent))
    code = bcp47(lang)
    context = {
        "lang": code, "labels": labels, "title": title, "kickers": kickers, "body": body,
        "author": meta.author, "date": date, "date_iso": meta.date, "source_url": meta.source_url,
        "notice": notice,
    }
    plain_title = str(title["text"]).replace("**", "")
    identifier = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                              f"pipeline:{edition.project}/{doc.doc_id}/{lang}"))
    opf = {
        "lang": code, "identifier": identifier, "title": plain_title, "author": meta.author,
        "date_iso": meta.date, "source_url": meta.source_url, "contributors": edition.contributors,
        "description": notice, "modified": edition.modified, "labels": labels,
    }
    nav = {"lang": code, "labels": labels, "title": plain_title,
           "headings": [{"anchor": h["anchor"], "text": str(h["text"]).replace("**", "")} for h in headings]}
    return {
        "mimetype": b"application/epub+zip",
        "META-INF/container.xml": env.get_template("container.xml").render().encode("utf-8"),
        "OEBPS/content.opf": env.get_template("content.opf").render(**opf).encode("utf-8"),
        "OEBPS/nav.xhtml": env.get_template("nav.xhtml").render(**nav).encode("utf-8"),
        "OEBPS/content.xhtml": env.get_template("content.xhtml").render(**context).encode("utf-8"),
        "OEBPS/style.css": env.get_template("style.css").render().encode("utf-8"),
    }


def _iso_of(text: str) -> str:
    from .segment import parse_date

    parsed = parse_date(text)
    return parsed.isoformat() if parsed else ""
