"""The stages run over a whole project: the I/O edge around the pure core.

Each stage returns a report (what it wrote, what failed and why) instead of
printing; one bad document or one language without an engine never stops the
others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as cat
from .bundle import write_epub, write_expanded
from .config import Config
from .engines import provenance, resolve
from .errors import CatalogError, PipelineError
from .fsutil import write_if_changed
from .po import Catalog, dumps, load_po
from .render import Edition, Translation, render_book
from .segment import Document, segment
from .sources import discover, read_source

CHUNK = 64  # texts per engine call between progress updates; each call is still one batch


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    drafted: int = 0
    engines: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusRow:
    doc: str
    lang: str
    counts: cat.Counts


def timestamp() -> str:
    """Now in PO header format; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.timezone.utc))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def pot_path(config: Config, doc_id: str) -> Path:
    return config.i18n_dir / "templates" / f"{doc_id}.pot"


def po_path(config: Config, lang: str, doc_id: str) -> Path:
    return config.i18n_dir / lang / f"{doc_id}.po"


def load_documents(config: Config, report: Report) -> list[Document]:
    docs = []
    for path in discover(config.sources_dir):
        try:
            docs.append(segment(read_source(path, config.relative(path))))
        except PipelineError as exc:
            report.errors.append(exc)
    return docs


def _language_name(lang: str) -> str:
    from babel import Locale

    return Locale.parse(lang).get_display_name("en") or lang


def _plural_forms(lang: str) -> str:
    from babel.messages.plurals import get_plural

    return get_plural(lang).plural_forms


def _sync_template(config: Config, doc: Document, now: str, report: Report) -> Catalog:
    """Write the POT, keeping its creation date unless its content really changed."""
    path = pot_path(config, doc.doc_id)
    old_bytes = path.read_bytes() if path.exists() else None
    created = now
    if old_bytes is not None:
        try:
            created = load_po(path).header_value("POT-Creation-Date") or now
        except CatalogError:
            created = now
    pot = cat.template(doc, config.name, config.source_language, created)
    if old_bytes is not None and dumps(pot).encode() != old_bytes:
        pot = cat.template(doc, config.name, config.source_language, now)
    if write_if_changed(path, dumps(pot).encode("utf-8")):
        report.written.append(path)
    return pot


def segment_project(config: Config, now: str, langs: Iterable[str] | None = None) -> Report:
    """Sources to POT templates, and every PO created or merged from its template."""
    report = Report()
    targets = tuple(langs or config.target_languages)
    for doc in load_documents(config, report):
        pot = _sync_template(config, doc, now, report)
        for lang in targets:
            path = po_path(config, lang, doc.doc_id)
            try:
                old = load_po(path) if path.exists() else cat.new_translation(
                    pot, lang, _language_name(lang), _plural_forms(lang), now)
            except CatalogError as exc:
                report.errors.append(exc)
                continue
            merged = cat.update(old, pot)
            if write_if_changed(path, dumps(merged).encode("utf-8")):
                report.written.append(path)
    return report


def _catalogs(config: Config, lang: str, report: Report) -> list[tuple[Path, Catalog]]:
    found = []
    for pot in sorted((config.i18n_dir / "templates").glob("*.pot")):
        path = po_path(config, lang, pot.stem)
        if not path.exists():
            continue
        try:
            found.append((path, load_po(path)))
        except CatalogError as exc:
            report.errors.append(exc)
    return found


def translate_language(config: Config, lang: str, choice: str, now: str,
                       progress: Callable[[int, int], None] | None = None) -> Report:
    """Fill every empty msgstr of ``lang`` with a fuzzy machine draft, in batches."""
    report = Report()
    catalogs = _catalogs(config, lang, report)
    pending = list(dict.fromkeys(m.msgid for _, c in catalogs for m in c.active() if not m.msgstr))
    if not pending:
        return report
    try:
        engine = resolve(choice, config.source_language, lang)
    except PipelineError as exc:
        exc.message = f"{lang}: {exc.message}; language skipped"
        report.errors.append(exc)
        return report
    if engine is None:
        return report
    report.engines[lang] = provenance(engine)
    drafts: dict[str, str] = {}
    done = 0
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start:start + CHUNK]
        try:
            results = engine.translate(chunk)
        except PipelineError as exc:
            exc.message = f"{lang}: {exc.message}"
            report.errors.append(exc)
            break
        drafts.update((src, out) for src, out in zip(chunk, results) if out)
        done += len(chunk)
        if progress:
            progress(done, len(pending))
    label = provenance(engine)
    for path, catalog in catalogs:
        messages, filled = [], 0
        for msg in catalog.messages:
            if not msg.obsolete and not msg.msgstr and msg.msgid in drafts:
                msg = cat.with_draft(msg, drafts[msg.msgid], label)
                filled += 1
            messages.append(msg)
        if not filled:
            continue
        updated = Catalog(catalog.header, catalog.header_comments, catalog.header_fuzzy, tuple(messages))
        updated = updated.with_header(PO_Revision_Date=now)
        if write_if_changed(path, dumps(updated).encode("utf-8")):
            report.written.append(path)
            report.drafted += filled
    return report


def status(config: Config, langs: Iterable[str]) -> tuple[list[StatusRow], Report]:
    report = Report()
    rows = []
    for lang in langs:
        for path, catalog in _catalogs(config, lang, report):
            rows.append(StatusRow(path.stem, lang, cat.count(catalog)))
    return rows, report


def _utc(value: str) -> str:
    """``2026-01-04 10:00+0100`` to ``2026-01-04T09:00:00Z`` (EPUB's dcterms:modified form)."""
    try:
        moment = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_project(config: Config, langs: Iterable[str], include_drafts: bool = False,
                   epub: bool = False) -> Report:
    """Render the original and each language's translation as EPUB bundles."""
    report = Report()
    docs = load_documents(config, report)
    for lang in (config.source_language, *langs):
        for doc in docs:
            edition = _edition(config, doc, lang, include_drafts, report)
            if edition is None:
                continue
            files = render_book(edition)
            folder = config.exports_dir / lang / doc.doc_id
            if write_expanded(folder, files):
                report.written.append(folder)
            if epub:
                target = config.exports_dir / lang / f"{doc.doc_id}.epub"
                if write_epub(target, files):
                    report.written.append(target)
    return report


def _edition(config: Config, doc: Document, lang: str, include_drafts: bool,
             report: Report) -> Edition | None:
    pot = pot_path(config, doc.doc_id)
    if lang == config.source_language:
        modified = ""
        if pot.exists():
            try:
                modified = _utc(load_po(pot).header_value("POT-Creation-Date"))
            except CatalogError as exc:
                report.errors.append(exc)
        return Edition(doc, lang, config.source_language, modified=modified or "2000-01-01T00:00:00Z",
                       project=config.name)
    path = po_path(config, lang, doc.doc_id)
    if not path.exists():
        report.errors.append(CatalogError("no catalog for this document", path,
                                          hint="run 'pipeline segment' first"))
        return None
    try:
        catalog = load_po(path)
    except CatalogError as exc:
        report.errors.append(exc)
        return None
    translations = {m.msgid: Translation(m.msgstr, not m.fuzzy) for m in catalog.active()}
    translator = catalog.header_value("Last-Translator").strip()
    contributors = (translator,) if translator and "FULL NAME" not in translator else ()
    stamps = [_utc(catalog.header_value("PO-Revision-Date")), _utc(catalog.header_value("POT-Creation-Date"))]
    modified = max((s for s in stamps if s), default="2000-01-01T00:00:00Z")
    return Edition(doc, lang, config.source_language, translations, include_drafts, contributors,
                   modified, config.name, cat.count(catalog).percent)
