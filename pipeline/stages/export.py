"""Stage 3: editions to books (expanded EPUB folders, ``.epub`` files) and the web edition.

An export that nothing changed since reads nothing; the books are rendered and
written on every core, each swapped in whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__, retire
from ..bundle import write_epub, write_expanded
from ..config import Config
from ..editions import ARTICLE_EDITIONS, EditionKind, Outdated, Unapproved
from ..errors import PipelineError, WriteError
from ..fsutil import write_if_changed
from ..labels import words_for
from ..parallel import MIN_PARALLEL, parallel_map
from ..render import (
    Book,
    Chapter,
    Edition,
    approved_share,
    book_name,
    book_title,
    render_parts,
)
from ..segment import Document
from ..workspace import Report, absorb, article_language, read_json, stat
from .recall import BookState, Recall, files_state

COLLECTION = str(EditionKind.COLLECTION)  # the book of all of a language's articles


@dataclass(frozen=True)
class ExportOptions:
    editions: tuple[EditionKind, ...] = ARTICLE_EDITIONS
    fallback: Unapproved = Unapproved.ORIGINAL
    outdated: Outdated = Outdated.KEEP
    epub: bool = False
    strict: bool = False
    min_approved: float = 0.0
    web: bool = False


@dataclass
class ExportReport(Report):
    """What export did: books and files written, or that nothing it reads or wrote had changed."""

    up_to_date: bool = False


def export_project(config: Config, langs: Iterable[str],
                   options: ExportOptions = ExportOptions()) -> ExportReport:
    """Render every requested edition of every document, the collections, and the web index."""
    report = ExportReport()
    if config.exports_dir.exists() and not config.exports_dir.is_dir():
        report.errors.append(WriteError("is not a folder; no book can be written there", config.exports_dir,
                                        hint="remove or rename the file, or set [paths] exports in pipeline.toml"))
        return report
    langs = tuple(langs)
    state = config.cache_dir / "export-state.json"
    settings = repr((__version__, config, langs, options))
    inputs = _inputs(config, langs)
    if {"settings": settings, "files": {**inputs, **_outputs(config)}} == read_json(state):
        report.up_to_date = True  # no source, catalog, glossary, template or exported file changed since
        return report
    books = BookState(config)
    recall = Recall(config, repr((__version__, books.code, config)))
    _export(config, langs, options, report, books, recall)
    books.save()
    recall.save()
    if not report.errors:
        try:  # the inputs as they were before they were read: one changed meanwhile is read next time
            write_if_changed(state, json.dumps({"settings": settings, "files": {**inputs, **_outputs(config)}})
                             .encode("utf-8"))
        except PipelineError:
            pass  # the state only saves time
    return report


def _inputs(config: Config, langs: tuple[str, ...]) -> dict[str, list[int]]:
    """Size, times and inode of everything an export reads."""
    from .. import __file__ as package

    folders = [config.sources_dir, config.glossary_dir, config.i18n_dir / "templates",
               Path(package).parent, config.i18n_dir / "labels",  # the product's own code and words too
               *(config.i18n_dir / lang for lang in langs)]
    files: dict[str, list[int]] = {}
    for folder in folders:
        for dirpath, dirnames, names in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in names:
                files[os.path.join(dirpath, name)] = stat(Path(dirpath, name))
            for name in dirnames:  # a linked folder is not walked: the folder it points to counts
                if os.path.islink(os.path.join(dirpath, name)):
                    files[os.path.join(dirpath, name)] = stat(Path(dirpath, name))
    return files


def _outputs(config: Config) -> dict[str, list[int]]:
    """Size, times and inode of what exports wrote: the books, their ``.epub`` and the web edition."""
    files: dict[str, list[int]] = {}
    exports = [config.exports_dir, *(p for p in config.exports_dir.glob("*") if p.is_dir())]
    for folder in exports:
        for entry in folder.glob("*"):
            files[str(entry)] = stat(entry)
    return files


def _export(config: Config, langs: tuple[str, ...], options: ExportOptions, report: Report,
            state: BookState, recall: Recall) -> None:
    """Each language's books: its own editions (the articles written in it, and the translations into it)
    with their collection, then the bilingual editions of the others with theirs."""
    docs = recall.documents(report)
    _withdraw_books(config, report)
    written_in = {doc.doc_id: article_language(config, doc.doc_id) for doc in docs}
    position = {doc.doc_id: index for index, doc in enumerate(docs)}
    originals: dict[str, list[Edition]] = {}
    if EditionKind.ORIGINAL in options.editions:
        for doc in docs:
            found = recall.original(doc, written_in[doc.doc_id], report)
            if found is not None:
                originals.setdefault(written_in[doc.doc_id], []).append(found)
    order: dict[str, int] = {lang: i for i, lang in enumerate(config.languages)}
    books: list[Book] = []
    for lang in sorted(dict.fromkeys((*originals, *langs)), key=lambda code: (order.get(code, len(order)), code)):
        others = [doc for doc in docs if not written_in[doc.doc_id].same(lang)] if lang in langs else []
        data = {doc.doc_id: recall.translation(doc, lang, written_in[doc.doc_id], options.strict, report)
                for doc in others}
        own = originals.get(lang, []) + _published(config, others, data, lang, EditionKind.TRANSLATION, options, report)
        own.sort(key=lambda edition: position[edition.doc.doc_id])  # the collection in the sources' order
        bilingual = _published(config, others, data, lang, EditionKind.BILINGUAL, options, report)
        # A collection is rewritten only when every kind of edition in it was asked for: a partial
        # export (--edition original) never drops the translations from a language's collection.
        written_here = any(written_in[doc.doc_id].same(lang) for doc in docs)
        whole = (EditionKind.TRANSLATION in options.editions or not others) and (
            EditionKind.ORIGINAL in options.editions or not written_here)
        groups: list[tuple[list[Edition], str | None]] = []
        for group, collection, complete in ((own, COLLECTION, whole),
                                            (bilingual, f"{COLLECTION}.{EditionKind.BILINGUAL}",
                                             EditionKind.BILINGUAL in options.editions)):
            if group:
                groups.append((group, collection if complete else None))
            elif complete:
                _unpublish(config.exports_dir / lang, collection)
        books += _write_books(config, groups, options, report, state, recall)
    _publish(config, books, options, report, state)


def _published(config: Config, docs: list[Document], data: dict[str, Edition | None], lang: str,
               kind: EditionKind, options: ExportOptions, report: Report) -> list[Edition]:
    """The editions of ``kind`` into ``lang`` that meet --min-approved; earlier books of the others leave."""
    if kind not in options.editions:
        return []
    editions = []
    for doc in docs:
        found = data[doc.doc_id]
        if found is None:
            continue
        edition = replace(found, kind=kind, fallback=options.fallback, outdated=options.outdated)
        percent = edition.approved_percent or 0.0
        if percent < options.min_approved:
            if kind == EditionKind.TRANSLATION:
                report.notices.append(f"{lang}/{doc.doc_id}: skipped, {percent:.1f}% approved is below "
                                      f"--min-approved {options.min_approved:g}%")
            _unpublish(config.exports_dir / lang, book_name(doc.doc_id, kind, lang, found.source_lang))
            continue
        editions.append(edition)
    return editions


def _publish(config: Config, books: list[Book], options: ExportOptions, report: Report, state: BookState) -> None:
    """Keep all of exports/ consistent, whatever this run exported: every .epub as new as its
    folder, and the web edition listing every book on disk (written when asked, or when one
    is already there, so it never lists a gone book or misses a new one)."""
    from ..publication import has_site, published, refresh_epubs, write_web_edition

    settled = {config.exports_dir / f"{where}.epub" for where, record in state.seen.items() if record[3]}
    refreshed, failed = refresh_epubs(config.exports_dir, settled)  # the others: this run saw them as one
    report.written += refreshed
    report.errors += failed
    try:
        everything = published(config.exports_dir, books, config.source_language, config.languages)
        if options.web or has_site(config.exports_dir):
            report.written += write_web_edition(config, everything, state.code)
    except PipelineError as exc:
        report.errors.append(exc)


def _withdraw_books(config: Config, report: Report) -> None:
    """Books of articles whose source is gone leave exports/; their catalogs stay (reviewers' work)."""
    sources = retire.source_ids(config)
    if not sources and not config.sources_dir.is_dir():
        return  # no sources folder at all is a configuration error, not a withdrawal of everything
    for folder in retire.books_without_source(config.exports_dir, sources):
        try:
            if retire.remove_book(folder):
                report.notices.append(f"{config.relative(folder)}: withdrawn, its source is gone "
                                      f"(its catalogs are kept in {config.relative(config.i18n_dir)}/)")
        except PipelineError as exc:
            report.errors.append(exc)


def _unpublish(folder: Path, name: str) -> None:
    """Remove an earlier export of a book that no longer meets the publishing threshold.

    Only an EPUB folder the pipeline wrote, and its ``.epub``, are removed; anything else by that
    name (a link, someone's folder) is left alone.
    """
    retire.remove_book(folder / name)


def _write_books(config: Config, groups: list[tuple[list[Edition], str | None]], options: ExportOptions,
                 report: Report, state: BookState, recall: Recall) -> list[Book]:
    """Each group's articles as books, then (where a collection is named) the collection of them all,
    expanded and optionally zipped.

    Books are independent, so they are rendered and written on every core; the
    results come back in order, so the output does not depend on the pool.
    """
    editions = [e for group, _ in groups for e in group]
    if not editions:
        return []
    lang = editions[0].lang
    jobs: list[tuple[str, tuple[Edition, ...], str]] = []
    for group, collection in groups:
        jobs += [(book_name(e.doc.doc_id, e.kind, lang, e.source_lang), (e,), "") for e in group]
        if collection is not None:
            title = f"{config.name}: {words_for(lang, config.i18n_dir)['collection']}"
            jobs.append((collection, tuple(group), title))
    digests = state.digests(editions, recall)
    keyed = [(job, state.key(job, options, digests), state.chapter_keys(job, options, digests)) for job in jobs]
    folders = [config.exports_dir / lang / job[0] for job in jobs]
    seen = dict(zip(folders, parallel_map(files_state, folders)))  # every file of every book, on every core
    # Books whose inputs and files are as the last export left them are listed here; the others are
    # rendered on every core (two collections are worth a core each).
    kept = [_kept(config, options, state.records, item, seen) for item in keyed]
    todo = [item for item, record in zip(keyed, kept) if record is None]
    done = iter(_render_all(config, options, state, recall, todo))
    books = []
    for (job, _, _), record in zip(keyed, kept):
        book, sub, record = (_book(job, options), Report(), record) if record is not None else next(done)
        absorb(report, sub)
        if book is not None:
            books.append(book)
            state.seen[_where(config, lang, job[0])] = record
    return books


_HEAVY = 256  # chapters to render: from here two books are worth a core each (a pool costs a fork)
_PENDING: tuple[object, ...] = ()  # what the pool's workers render, read by index: forked, they have it


def _render_all(config: Config, options: ExportOptions, state: BookState, recall: Recall,
                todo: list[tuple[tuple[str, tuple[Edition, ...], str], str, tuple[str, ...]]],
                ) -> list[tuple[Book | None, Report, list[object]]]:
    """``_write_book`` of each job, on every core.  The workers are forked from this process, so the jobs
    reach them by index, not pickled (a collection's editions cost more to send than to render)."""
    global _PENDING
    heavy = sum(len(job[1]) for job, _, _ in todo) >= _HEAVY
    _PENDING = (config, options, state.records, state.code, recall, todo)
    try:
        return parallel_map(_write_pending, range(len(todo)), min_items=2 if heavy else MIN_PARALLEL)
    finally:
        _PENDING = ()


def _write_pending(index: int) -> tuple[Book | None, Report, list[object]]:
    config, options, records, code, recall, todo = _PENDING
    return _write_book(config, options, records, code, recall, todo[index])  # type: ignore[arg-type,index]


def _kept(config: Config, options: ExportOptions, records: dict[str, list[object]],
          keyed: tuple[tuple[str, tuple[Edition, ...], str], str, tuple[str, ...]],
          seen: dict[Path, str]) -> list[object] | None:
    """The record of a book that needs no rendering (same inputs, its files as they were left), else None."""
    (name, group, _), key, _ = keyed
    lang = group[0].lang
    before = _record(records, _where(config, lang, name))
    record = _now(config, options, lang, name, key, seen)
    return before if record[1] and before[:4] == record else None


def _record(records: dict[str, list[object]], where: str) -> list[object]:
    """A book's record from the last export; [] where there is none or it is not one."""
    found = records.get(where)
    return found if isinstance(found, list) else []


def _now(config: Config, options: ExportOptions, lang: str, name: str, key: str,
         seen: dict[Path, str] | None = None) -> list[object]:
    """A book's inputs' digest and how its folder, the files in it (``seen``: just looked at) and its
    ``.epub`` are on disk now."""
    folder = config.exports_dir / lang / name
    epub = config.exports_dir / lang / f"{name}.epub"
    wants_epub = options.epub or epub.is_file()  # an .epub already there is kept as new as its folder
    files = seen[folder] if seen is not None and folder in seen else files_state(folder)
    return [key, stat(folder), files, stat(epub) if wants_epub else []]


def _known(folder: Path, before: list[object], now: list[object], keys: tuple[str, ...]) -> list[Chapter | None]:
    """The chapters of a collection an earlier export rendered from the same inputs, read back from its
    folder, where that folder is exactly as the export left it."""
    if len(before) < 5 or before[2] != now[2] or not isinstance(before[4], list):
        return []
    known: list[Chapter | None] = []
    for n, key in enumerate(keys, start=1):
        old = before[4][n - 1] if n <= len(before[4]) else None
        page = folder / "OEBPS" / f"a{n}.xhtml"
        if not (isinstance(old, list) and len(old) == 2 and old[0] == key and isinstance(old[1], dict)):
            known.append(None)
            continue
        try:
            known.append(Chapter(page=page.read_bytes(), outline=old[1]))
        except OSError:
            known.append(None)
    return known


def _where(config: Config, lang: str, name: str) -> str:
    return f"{lang}/{name}"  # the book's place in exports/


def _write_book(config: Config, options: ExportOptions, records: dict[str, list[object]], code: str, recall: Recall,
                keyed: tuple[tuple[str, tuple[Edition, ...], str], str, tuple[str, ...]],
                ) -> tuple[Book | None, Report, list[object]]:
    """One book, expanded and (when asked, or already there) zipped; None when it could not be written.

    Not rendered at all when it was rendered from the same inputs and its files are as they were left;
    a collection renders only its changed chapters.
    """
    job, key, chapter_keys = keyed
    name, group, title = job
    lang = group[0].lang
    report = Report()
    folder = config.exports_dir / lang / name
    epub = config.exports_dir / lang / f"{name}.epub"
    record = _now(config, options, lang, name, key)
    before = _record(records, _where(config, lang, name))
    if before[:4] == record and record[1]:
        return _book(job, options), report, before
    known = _known(folder, before, record, chapter_keys)
    try:  # a chapter rendered again needs its whole article (an unchanged one was read as a summary)
        whole = tuple(e if n < len(known) and known[n] is not None else recall.full(e, report)
                      for n, e in enumerate(group))
    except PipelineError as exc:
        report.errors.append(exc)
        return None, report, []
    files, outlines = render_parts(whole, title, known)
    try:
        if write_expanded(folder, files):
            report.written.append(folder)
        # compressed files are reused only from an .epub exactly as this code last wrote it (another
        # tool's, or another zlib's, would not be the bytes an export from scratch writes)
        reuse = bool(record[3]) and before[3:4] == record[3:4] and before[5:6] == [code]
        if (options.epub or epub.is_file()) and write_epub(epub, files, reuse=reuse):
            report.written.append(epub)
    except PipelineError as exc:
        report.errors.append(exc)
        return None, report, []
    record = [*_now(config, options, lang, name, key),
              [[digest, found] for digest, found in zip(chapter_keys, outlines)], code]
    return _book(job, options), report, record


def _book(job: tuple[str, tuple[Edition, ...], str], options: ExportOptions) -> Book:
    """What the web edition lists of a book."""
    name, group, title = job
    lang = group[0].lang
    start = "OEBPS/title.xhtml" if title else "OEBPS/content.xhtml"
    shown, shown_lang = (title, lang) if title else book_title(group[0])
    kinds = [e.kind for e in group]
    kind = EditionKind.TRANSLATION if EditionKind.TRANSLATION in kinds and len(set(kinds)) > 1 else kinds[0]
    return Book(lang=lang, name=name, kind=kind, title=shown, title_lang=shown_lang,
                doc_id="" if title else group[0].doc.doc_id, percent=approved_share(group), epub=options.epub,
                start=start)
