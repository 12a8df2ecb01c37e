"""Approved translations to editions: what one book of one article shows, read from its catalog."""

from __future__ import annotations

from pathlib import Path

from . import catalog as cat
from .checks import failing
from .config import Config
from .credits import translators
from .editions import EditionKind
from .errors import CatalogError
from .labels import has_labels, project_catalog, words_for
from .language import Language
from .po import load_po, loads_po
from .render import (
    Edition,
    Translation,
)
from .segment import Document
from .workspace import Report, po_path, pot_path, read_catalog, utc


def _project_words(config: Config, lang: str) -> dict[str, str]:
    """The project's own drafts of the product's words, for a language the product does not ship;
    empty otherwise (the edition then speaks the shipped words, or English)."""
    if has_labels(lang) or not project_catalog(config.i18n_dir, lang).is_file():
        return {}
    return words_for(lang, config.i18n_dir)


def _site(config: Config, lang: str) -> str:
    """The web edition's page of ``lang`` where ``[export] site_url`` says where it is published: a
    book's way back (a relative link out of an EPUB is an error, an absolute one is not)."""
    from .website import language_page

    return f"{config.site_url}{language_page(lang)}" if config.site_url else ""


def _created(pot: Path) -> str:
    """A template's POT-Creation-Date, read from its header entry alone where it comes first (as the
    pipeline writes it); the whole template otherwise, so a broken one is reported as ever."""
    try:
        data = pot.read_bytes()
    except OSError:
        return load_po(pot).header_value("POT-Creation-Date")  # reports why it cannot be read
    head = data.split(b"\n\n", 1)[0] + b"\n"
    if head.startswith((b"#", b'msgid ""')) and b'msgid ""' in head:
        try:
            found = loads_po(head, pot).header_value("POT-Creation-Date")
            if found:
                return found
        except CatalogError:
            pass
    return loads_po(data, pot).header_value("POT-Creation-Date")


def original_edition(config: Config, doc: Document, lang: Language, report: Report) -> Edition:
    """An article as written, in ``lang``, the language it is written in."""
    pot = pot_path(config, doc.doc_id)
    modified = ""
    if pot.exists():
        try:
            modified = utc(_created(pot))
        except CatalogError as exc:
            report.errors.append(exc)
    return Edition(doc, lang, lang, kind=EditionKind.ORIGINAL, words=_project_words(config, lang),
                   site=_site(config, lang),
                   modified=modified or "2000-01-01T00:00:00Z", project=config.name,
                   publisher=config.publisher)


def translation_edition(config: Config, doc: Document, lang: str, source: Language, strict: bool,
                        report: Report) -> Edition | None:
    """An article's translation into ``lang`` (from ``source``, the language it is written in) from its
    catalog, or None (and why) when it has none."""
    path = po_path(config, lang, doc.doc_id)
    if not path.exists():
        report.errors.append(CatalogError("no catalog for this document", path,
                                          hint="run 'pipeline segment' first"))
        return None
    try:
        catalog, _ = read_catalog(path, lang)
    except CatalogError as exc:
        report.errors.append(exc)
        return None
    translations = {m.msgid: Translation(m.msgstr, not m.fuzzy, outdated=cat.was_approved(m))
                    for m in catalog.active()}
    if strict:
        for msg in catalog.active():
            failed = failing(msg.msgid, msg.msgstr) if cat.state(msg) == "approved" else []
            if failed:
                translations[msg.msgid] = Translation(msg.msgstr, False)
                report.errors.append(CatalogError(
                    f"not published (--strict): fails {', '.join(failed)}; the original is shown",
                    config.relative(path), msg.lineno, hint="see 'pipeline check'"))
    body = [m for m in catalog.active() if cat.is_body(m)]  # the same figure as status: body words only
    approved_words = sum(cat.word_count(m.msgid) for m in body if m.msgstr and translations[m.msgid].approved)
    total_words = sum(cat.word_count(m.msgid) for m in body)
    contributors = translators(catalog, config.anonymous)  # names only: never an e-mail address
    stamps = [utc(catalog.header_value("PO-Revision-Date")), utc(catalog.header_value("POT-Creation-Date"))]
    modified = max((s for s in stamps if s), default="2000-01-01T00:00:00Z")
    return Edition(doc, lang, source, translations, contributors=contributors, words=_project_words(config, lang),
                   site=_site(config, lang),
                   modified=modified, project=config.name, publisher=config.publisher,
                   approved_words=approved_words,
                   total_words=total_words)
