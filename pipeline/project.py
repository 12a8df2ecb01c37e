"""The stages run over a whole project: the I/O edge around the pure core.

Each stage returns a report (what it wrote, what failed and why) instead of
printing; one bad document or one language without an engine never stops the
others.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, retire
from . import catalog as cat
from . import memory as tmem
from . import names as propernames
from .bundle import write_epub, write_expanded
from .cache import DraftCache
from .checks import Problem, check_catalog, failing
from .config import Config
from .credits import translators
from .engines import Draft, Engine, draft, provenance, resolve
from .errors import CatalogError, PipelineError, WriteError
from .fsutil import write_if_changed, write_if_unchanged
from .parallel import parallel_map
from .glossary import Glossary, load_glossary
from .po import Catalog, Message, dumps, header_field, load_po, loads_po
from .render import (
    KINDS,
    Book,
    Edition,
    Translation,
    approved_share,
    book_name,
    book_title,
    labels_for,
    render_collection,
)
from .segment import Document, segment
from .sources import SOURCE_SUFFIXES, discover, read_source, skipped

CHUNK = 64  # texts per engine call between progress updates, unless the engine names its own batch


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    drafted: int = 0
    memory: int = 0
    refreshed: int = 0
    propagated: int = 0  # untouched machine drafts replaced by an approved translation from elsewhere
    engine_texts: int = 0
    cached: int = 0
    notices: list[str] = field(default_factory=list)
    engines: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StatusRow:
    """One catalog in ``status``: its counts, or the error that kept it from being read."""

    doc: str
    lang: str
    counts: cat.Counts
    title: str = ""  # the article's title, so reviewers recognise it
    path: str = ""  # the catalog, relative to the project root
    revised: str = ""  # PO-Revision-Date in UTC: when it last changed
    error: str = ""  # why the catalog could not be read; counts are empty then, unless missing
    missing: bool = False  # not created yet: counts are its template's, all untranslated
    withdrawn: bool = False  # its source is gone: kept as reviewers' work, no longer published


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


def iter_documents(config: Config, report: Report) -> Iterator[Document]:
    """Each readable source, segmented, one at a time (a large corpus never sits in memory)."""
    for path in discover(config.sources_dir):
        try:
            yield segment(read_source(path, config.relative(path)))
        except PipelineError as exc:
            report.errors.append(exc)


def load_documents(config: Config, report: Report) -> list[Document]:
    return list(iter_documents(config, report))


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
        created = header_field(old_bytes, "POT-Creation-Date") or now
    pot = cat.template(doc, config.name, config.source_language, created)
    if old_bytes is not None and dumps(pot).encode() != old_bytes:
        pot = cat.template(doc, config.name, config.source_language, now)
    if write_if_changed(path, dumps(pot).encode("utf-8")):
        report.written.append(path)
    return pot


def _read(path: Path, lang: str) -> tuple[Catalog, bytes]:
    """A catalog and the exact bytes it was parsed from, to detect later writers."""
    if path.is_symlink():
        raise CatalogError("is a symbolic link; left as it is (the pipeline reads and writes only regular "
                           "files)", path, hint="replace the link by a copy of its target")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path, hint="check its permissions") from None
    return _for_language(loads_po(data, path), lang, path), data


def _for_language(catalog: Catalog, lang: str, path: Path) -> Catalog:
    """A catalog whose Language header names another language is in the wrong folder."""
    declared = catalog.header_value("Language").strip()
    if declared and declared.replace("-", "_").lower() != lang.lower():
        raise CatalogError(f"catalog is for language {declared!r} but sits in the folder for {lang!r}", path, 1,
                           hint=f"move it to the {declared} folder, or fix its Language header if it "
                                f"really is {lang}")
    return catalog


def _store(path: Path, catalog: Catalog, expected: bytes | None, report: Report,
           old: Catalog | None = None) -> None:
    """Write ``catalog`` unless someone changed the file since we read ``expected``.

    A catalog whose content did not change is left alone even when its bytes are
    not in the pipeline's own form (saved unwrapped by Poedit or msgcat --no-wrap).
    """
    text = dumps(catalog)
    if old is not None and expected is not None and text == dumps(old):
        return
    try:
        if write_if_unchanged(path, text.encode("utf-8"), expected):
            report.written.append(path)
    except PipelineError as exc:
        report.errors.append(exc)


def _stat(path: Path) -> list[int]:
    try:
        st = os.stat(path)
    except OSError:
        return []
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _doc_stats(config: Config, source: Path, targets: tuple[str, ...]) -> list[list[int]]:
    """Size, times and inode of every file one document's segmenting reads or writes."""
    doc = source.stem
    files = [source, source.with_suffix(".meta.toml"), pot_path(config, doc)]
    return [_stat(path) for path in files + [po_path(config, lang, doc) for lang in targets]]


def segment_project(config: Config, now: str, langs: Iterable[str] | None = None) -> Report:
    """Sources to POT templates, and every PO created or merged from its template.

    Work is proportional to change: a document whose source, sidecar, template
    and catalogs are as the last clean run left them (same size, modification
    time and inode) is not read at all; that run's result still holds.
    """
    report = Report()
    targets = tuple(langs or config.target_languages)
    report.notices += _skipped_notices(config)
    state = config.cache_dir / "segment-state.json"
    settings = {"version": __version__, "config": repr(config), "targets": list(targets)}
    known = _load_state(state, settings)
    sources = discover(config.sources_dir)
    todo = [p for p in sources if known.get(p.name) != _doc_stats(config, p, targets)]
    failed = _segment(config, now, targets, report, todo)
    done = {p.name: _doc_stats(config, p, targets) for p in sources if p.name not in failed}
    try:
        write_if_changed(state, json.dumps({"settings": settings, "docs": done}, sort_keys=True).encode("utf-8"))
    except PipelineError:
        pass  # the state only saves time; without it the next run reads everything again
    return report


def _load_state(state: Path, settings: dict[str, object]) -> dict[str, object]:
    """The last clean run's file stats by source name, if it ran with the same settings."""
    try:
        previous = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(previous, dict) or previous.get("settings") != settings:
        return {}
    docs = previous.get("docs")
    return docs if isinstance(docs, dict) else {}


def _skipped_notices(config: Config) -> list[str]:
    """Every entry of the sources folder that is not read, said once, with the rule."""
    if not config.sources_dir.is_dir():
        return []
    known = ", ".join(SOURCE_SUFFIXES)
    return [f"{config.relative(p)}: skipped: " + ("a folder (sources are read from the top of the folder only)"
                                                 if p.is_dir() else f"not a source document ({known})")
            for p in skipped(config.sources_dir)]


def _segment(config: Config, now: str, targets: tuple[str, ...], report: Report,
             paths: list[Path]) -> set[str]:
    """Segment and merge the documents of ``paths``; the names of those that failed.

    Documents are independent, so they are spread over the cores; a new document
    that may be a renamed one is handled here, where the list of orphans lives.
    Reports come back in source order: the output does not depend on the pool.
    """
    withdrawn = retire.orphans(config, retire.source_ids(config))
    maybe_renamed = [p for p in paths if withdrawn and not pot_path(config, p.stem).exists()]
    independent = [p for p in paths if p not in maybe_renamed]
    failed = set()
    work = functools.partial(_segment_path, config, now, targets)
    for path, sub in zip(independent, parallel_map(work, independent), strict=True):
        _absorb(report, sub)
        if sub.errors:
            failed.add(path.name)
    for path in maybe_renamed:
        sub = _segment_path(config, now, targets, path, withdrawn)
        _absorb(report, sub)
        if sub.errors:
            failed.add(path.name)
    return failed


def _absorb(report: Report, sub: Report) -> None:
    report.written += sub.written
    report.errors += sub.errors
    report.notices += sub.notices


def _segment_path(config: Config, now: str, targets: tuple[str, ...], path: Path,
                  withdrawn: dict[str, retire.Orphan] | None = None) -> Report:
    """One document: its template, and each catalog created or merged (a report of its own)."""
    report = Report()
    try:
        doc = segment(read_source(path, config.relative(path)))
        _segment_one(config, doc, now, targets, report, withdrawn or {})
    except PipelineError as exc:
        report.errors.append(exc)
    return report


def _segment_one(config: Config, doc: Document, now: str, targets: tuple[str, ...], report: Report,
                 withdrawn: dict[str, retire.Orphan]) -> None:
    was_new = not pot_path(config, doc.doc_id).exists()
    pot = _sync_template(config, doc, now, report)
    before_rename = retire.renamed_from(frozenset(m.msgid for m in pot.active()), withdrawn) \
        if was_new else None
    for lang in targets:
        path = po_path(config, lang, doc.doc_id)
        try:
            if path.exists() or path.is_symlink():
                old, before = _read(path, lang)
            elif before_rename and po_path(config, lang, before_rename.doc_id).is_file():
                old, before = _read(po_path(config, lang, before_rename.doc_id), lang)[0], None
            else:
                old, before = cat.new_translation(pot, lang, _language_name(lang),
                                                  _plural_forms(lang), now), None
        except CatalogError as exc:
            report.errors.append(exc)
            continue
        _store(path, cat.update(old, pot), before, report, old)
    if before_rename is not None:
        _follow_rename(config, doc, before_rename, targets, report)
        del withdrawn[before_rename.doc_id]


def _follow_rename(config: Config, doc: Document, old: retire.Orphan, targets: tuple[str, ...],
                   report: Report) -> None:
    """The old name's catalogs, now merged into the new name's, are retired; its template removed."""
    kept = []
    for lang in targets:
        old_po, new_po = po_path(config, lang, old.doc_id), po_path(config, lang, doc.doc_id)
        if old_po.is_file() and new_po.is_file():
            try:
                kept.append(config.relative(retire.retire(config, old_po, lang)))
            except PipelineError as exc:
                report.errors.append(exc)
                return
    old.template.unlink(missing_ok=True)
    report.notices.append(f"{config.relative(config.sources_dir)}/{doc.doc_id}: renamed from {old.doc_id} "
                          f"(same text): its translations and approvals follow it; the old catalogs are "
                          f"kept in {config.relative(config.i18n_dir / retire.RETIRED)}/")


@dataclass(frozen=True)
class Loaded:
    path: Path
    catalog: Catalog
    data: bytes


def _catalogs(config: Config, lang: str, report: Report) -> list[Loaded]:
    found = []
    for pot in sorted((config.i18n_dir / "templates").glob("*.pot")):
        path = po_path(config, lang, pot.stem)
        if not path.exists():
            continue
        try:
            found.append(Loaded(path, *_read(path, lang)))
        except CatalogError as exc:
            report.errors.append(exc)
    return found


def _wanted(msg: Message, refresh_stale: bool, redraft: bool = False) -> bool:
    """Whether ``translate`` may fill this entry: empty, a stale untouched machine draft, or with
    ``redraft`` any machine draft no human touched (its checksum still matches)."""
    if msg.obsolete:
        return False
    if not msg.msgstr:
        return True
    if redraft and cat.is_machine_draft(msg):
        return True
    return refresh_stale and cat.state(msg) == "stale" and cat.is_machine_draft(msg)


@dataclass(frozen=True, kw_only=True)
class TranslateOptions:
    """What ``translate`` may replace besides empty entries, and whether memory copies are approved."""

    refresh_stale: bool = False
    redraft: bool = False
    propagate_approvals: bool = False


def translate_language(config: Config, lang: str, choice: str, now: str,
                       progress: Callable[[int, int], None] | None = None,
                       refresh_stale: bool = False, options: TranslateOptions | None = None) -> Report:
    """Fill empty entries of ``lang``: approved translations from the memory first, then drafts.

    An approval spreads: every untouched machine draft of the same paragraph
    (same text and kind) elsewhere becomes that human translation.  Nothing a
    human wrote is ever replaced; only drafts still exactly as the engine
    wrote them are re-drafted (``refresh_stale`` for stale ones, ``redraft``
    for all).
    """
    opts = options or TranslateOptions(refresh_stale=refresh_stale)
    report = Report()
    loaded = _catalogs(config, lang, report)
    tm = tmem.build((config.relative(item.path), item.catalog) for item in loaded)
    legacy = cat.memory((config.relative(item.path), item.catalog) for item in loaded)
    wanted = [m for item in loaded for m in item.catalog.messages if _wanted(m, opts.refresh_stale, opts.redraft)]
    to_engine = list(dict.fromkeys(m.msgid for m in wanted if _remembered(m, tm, legacy) is None))
    drafts: dict[str, Draft] = {}
    label = ""
    if to_engine:
        try:
            engine = resolve(choice, config.source_language, lang, config.libretranslate)
        except PipelineError as exc:
            exc.message = f"{lang}: {exc.message}; language skipped"
            report.errors.append(exc)
            engine = None
        if engine is not None:
            label = report.engines[lang] = provenance(engine)
            try:
                glossary = load_glossary(config.glossary_dir, lang)
            except PipelineError as exc:
                report.errors.append(exc)
                return report
            drafts = _run_engine(engine, to_engine, config, lang, glossary, report, progress)
    for item in loaded:
        messages = tuple(_translated(msg, tm, legacy, drafts, label, opts, report) for msg in item.catalog.messages)
        if messages != item.catalog.messages:
            updated = replace(item.catalog, messages=messages).with_header(PO_Revision_Date=now)
            _store(item.path, updated, item.data, report)
    return report


def _remembered(msg: Message, tm: tmem.Memory, legacy: dict[str, tuple[str, str]]) -> tmem.Approved | None:
    """The approved translation of the same paragraph and kind, else of the same text (empty entries)."""
    found = tm.get(msg)
    if found is None and not msg.msgstr and msg.msgctxt is None and msg.msgid in legacy:
        text, origin = legacy[msg.msgid]
        found = tmem.Approved(msgid=msg.msgid, kind="", text=text, origin=origin)
    return found


def _translated(msg: Message, tm: tmem.Memory, legacy: dict[str, tuple[str, str]], drafts: dict[str, Draft],
                label: str, opts: TranslateOptions, report: Report) -> Message:
    """One entry after ``translate``: filled, re-drafted, replaced by an approval, or as it was."""
    new = msg
    if _wanted(msg, opts.refresh_stale, opts.redraft):
        found = _remembered(msg, tm, legacy)
        if found is not None:
            new = tmem.fill(msg, found, opts.propagate_approvals)
            report.memory += new != msg
        elif msg.msgid in drafts:
            new = cat.with_draft(msg, drafts[msg.msgid].text, label, drafts[msg.msgid].notes)
            report.drafted += new != msg
            report.refreshed += bool(msg.msgstr) and new != msg
    else:
        new = tmem.propagate(msg, tm, opts.propagate_approvals) or msg
        report.propagated += new != msg
    return tmem.with_suggestions(new, tm)


def _run_engine(engine: Engine, texts: list[str], config: Config, lang: str, glossary: Glossary,
                report: Report, progress: Callable[[int, int], None] | None) -> dict[str, Draft]:
    """Drafts for ``texts`` in chunks, so progress can be shown; stops at the first failure.

    Proper names found in the texts and in the articles' metadata go to the
    engine as placeholders, like glossary terms kept as they are.
    """
    people = propernames.authors(doc.metadata.author for doc in iter_documents(config, Report()))
    glossary = glossary.with_names(propernames.protected(texts, people))
    label = getattr(engine, "cache_label", provenance(engine))
    cache = DraftCache(config.cache_dir, label, config.source_language, lang)
    drafts: dict[str, Draft] = {}
    done = 0
    try:
        size = getattr(engine, "batch", CHUNK)
        for start in range(0, len(texts), size):
            chunk = texts[start:start + size]
            try:
                results = draft(engine, chunk, glossary, cache, lang)
            except PipelineError as exc:
                exc.message = f"{lang}: {exc.message}"
                report.errors.append(exc)
                break
            drafts.update((src, out) for src, out in zip(chunk, results) if out.text)
            done += len(chunk)
            if progress:
                progress(done, len(texts))
    finally:
        cache.save()
        report.cached += cache.hits
        report.engine_texts += cache.added
    return drafts


def _title_of(catalog: Catalog) -> str:
    """The article's title: the entry the segmenter marked ``type: title``."""
    for msg in catalog.messages:
        if not msg.obsolete and "type: title" in msg.extracted_comments:
            return msg.msgid
    return ""


def _revised(catalog: Catalog) -> str:
    """PO-Revision-Date in UTC (``2026-01-04T09:00:00Z``), so dates from any time zone sort."""
    raw = catalog.header_value("PO-Revision-Date").strip()
    return _utc(raw) or raw


def missing_catalogs(config: Config, langs: Iterable[str]) -> list[Path]:
    """Templates and catalogs that ``segment`` would create: for a source never segmented, or a
    language newly added to pipeline.toml.  Cheap (names only), so every command can ask."""
    try:
        ids = list(dict.fromkeys(path.stem for path in discover(config.sources_dir)))
    except PipelineError:
        ids = []
    wanted = [pot_path(config, i) for i in ids] + [po_path(config, lang, i) for lang in langs for i in ids]
    return [path for path in wanted if not path.exists()]


def _missing_row(config: Config, pot: Path, lang: str, report: Report) -> StatusRow:
    """A catalog not created yet: every entry of its template counts as untranslated, never 100%."""
    counts = cat.Counts()
    title = ""
    try:
        template = load_po(pot)
        counts = cat.count(template)
        title = _title_of(template)
    except CatalogError as exc:
        report.errors.append(exc)
    path = po_path(config, lang, pot.stem)
    error = CatalogError("no catalog yet for this language", config.relative(path),
                         hint=f"run 'pipeline segment -l {lang}' to create it, or 'pipeline translate -l {lang}'")
    report.errors.append(error)
    return StatusRow(doc=pot.stem, lang=lang, counts=counts, title=title, path=config.relative(path),
                     error=str(error), missing=True)


def status(config: Config, langs: Iterable[str]) -> tuple[list[StatusRow], Report]:
    """A row per catalog of every document, broken and missing catalogs included (with their error)."""
    report = Report()
    rows = []
    templates = sorted((config.i18n_dir / "templates").glob("*.pot"))
    missing = set(missing_catalogs(config, langs))
    sources = retire.source_ids(config)
    if not templates:
        report.errors.append(CatalogError("no catalogs yet", config.relative(config.i18n_dir),
                                          hint="run 'pipeline segment' (or 'pipeline run') to create them"))
    for lang in langs:
        for pot in templates:
            path = po_path(config, lang, pot.stem)
            if path in missing:
                rows.append(_missing_row(config, pot, lang, report))
            if not path.exists():
                continue
            shown = config.relative(path)
            try:
                catalog, _ = _read(path, lang)
            except CatalogError as exc:
                report.errors.append(exc)
                rows.append(StatusRow(doc=pot.stem, lang=lang, counts=cat.Counts(), path=shown,
                                      error=str(exc).replace(f"{path}", shown)))
                continue
            rows.append(StatusRow(doc=pot.stem, lang=lang, counts=cat.count(catalog), title=_title_of(catalog),
                                  path=shown, revised=_revised(catalog), withdrawn=pot.stem not in sources))
    return rows, report


def check_project(config: Config, langs: Iterable[str],
                  include_drafts: bool = False) -> tuple[list[Problem], Report]:
    """QA problems of every catalog of ``langs``, in file order; a catalog not created yet is an error."""
    report = Report()
    for path in missing_catalogs(config, langs):
        if path.suffix == ".po" and pot_path(config, path.stem).exists():  # a new language, not a bad source
            report.errors.append(CatalogError("not created yet, so not checked", config.relative(path),
                                              hint=f"run 'pipeline segment -l {path.parent.name}'"))
    problems: list[Problem] = []
    for lang in langs:
        try:
            glossary = load_glossary(config.glossary_dir, lang)
        except PipelineError as exc:
            report.errors.append(exc)
            glossary = None
        for item in _catalogs(config, lang, report):
            problems += check_catalog(item.catalog, config.relative(item.path), include_drafts, glossary)
    return problems, report


def _utc(value: str) -> str:
    """``2026-01-04 10:00+0100`` to ``2026-01-04T09:00:00Z`` (EPUB's dcterms:modified form)."""
    try:
        moment = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ExportOptions:
    editions: tuple[str, ...] = KINDS
    fallback: str = "original"
    outdated: str = "keep"  # a translation approved before its source changed: "keep" (marked) or "original"
    epub: bool = False
    strict: bool = False
    min_approved: float = 0.0
    web: bool = False


def export_project(config: Config, langs: Iterable[str], options: ExportOptions = ExportOptions()) -> Report:
    """Render every requested edition of every document, the collections, and the web index."""
    report = Report()
    if config.exports_dir.exists() and not config.exports_dir.is_dir():
        report.errors.append(WriteError("is not a folder; no book can be written there", config.exports_dir,
                                        hint="remove or rename the file, or set [paths] exports in pipeline.toml"))
        return report
    langs = tuple(langs)
    state = config.cache_dir / "export-state.json"
    settings = repr((__version__, config, langs, options))
    if _export_inputs(config, langs, settings) == _read_json(state):
        return report  # no source, catalog, glossary, template or exported file changed since
    _export(config, langs, options, report)
    if not report.errors:
        try:
            write_if_changed(state, json.dumps(_export_inputs(config, langs, settings)).encode("utf-8"))
        except PipelineError:
            pass  # the state only saves time
    return report


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _export_inputs(config: Config, langs: tuple[str, ...], settings: str) -> dict[str, object]:
    """Size, times and inode of everything an export reads, and of what it wrote."""
    from . import __file__ as package

    folders = [config.sources_dir, config.glossary_dir, config.i18n_dir / "templates",
               Path(package).parent / "templates", *(config.i18n_dir / lang for lang in langs)]
    files: dict[str, list[int]] = {}
    for folder in folders:
        for dirpath, _, names in os.walk(folder):
            for name in names:
                files[os.path.join(dirpath, name)] = _stat(Path(dirpath, name))
    exports = [config.exports_dir, *(p for p in config.exports_dir.glob("*") if p.is_dir())]
    for folder in exports:
        for entry in folder.glob("*"):
            files[str(entry)] = _stat(entry)
    return {"settings": settings, "files": files}


def _export(config: Config, langs: tuple[str, ...], options: ExportOptions, report: Report) -> None:
    docs = load_documents(config, report)
    _withdraw_books(config, report)
    books: list[Book] = []
    if "original" in options.editions:
        originals = [_original(config, doc, report) for doc in docs]
        books += _write_books(config, originals, "original", options, report)
    for lang in langs:
        data = {doc.doc_id: _catalog_data(config, doc, lang, options.strict, report) for doc in docs}
        for kind in ("translation", "bilingual"):
            if kind not in options.editions:
                continue
            editions = []
            for doc in docs:
                found = data[doc.doc_id]
                if found is None:
                    continue
                edition = replace(found, kind=kind, fallback=options.fallback, outdated=options.outdated)
                percent = edition.approved_percent or 0.0
                if percent < options.min_approved:
                    if kind == "translation":
                        report.notices.append(f"{lang}/{doc.doc_id}: skipped, {percent:.1f}% approved is below "
                                              f"--min-approved {options.min_approved:g}%")
                    _unpublish(config.exports_dir / lang, book_name(doc.doc_id, kind, lang, config.source_language))
                    continue
                editions.append(edition)
            if editions:
                books += _write_books(config, editions, kind, options, report)
            else:
                _unpublish(config.exports_dir / lang, book_name("collection", kind, lang, config.source_language))
    _publish(config, books, options, report)


def _publish(config: Config, books: list[Book], options: ExportOptions, report: Report) -> None:
    """Keep all of exports/ consistent, whatever this run exported: every .epub as new as its
    folder, and the web edition listing every book on disk (written when asked, or when one
    is already there, so it never lists a gone book or misses a new one)."""
    from .publication import published, refresh_epubs
    from .render import render_index

    refreshed, failed = refresh_epubs(config.exports_dir)
    report.written += refreshed
    report.errors += failed
    index = config.exports_dir / "index.html"
    try:
        everything = published(config.exports_dir, books, config.source_language, config.target_languages)
        if (options.web or index.is_file()) and write_if_changed(
                index, render_index(config.name, config.source_language, everything)):
            report.written.append(index)
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


def _write_books(config: Config, editions: list[Edition], kind: str, options: ExportOptions,
                 report: Report) -> list[Book]:
    """Each article as a book, then the collection of them all, expanded and optionally zipped.

    Books are independent, so they are rendered and written on every core; the
    results come back in order, so the output does not depend on the pool.
    """
    if not editions:
        return []
    lang = editions[0].lang
    jobs = [(book_name(e.doc.doc_id, kind, lang, config.source_language), (e,), "") for e in editions]
    collection_title = f"{config.name}: {labels_for(lang)['collection']}"
    jobs.append((book_name("collection", kind, lang, config.source_language), tuple(editions), collection_title))
    books = []
    for book, sub in parallel_map(functools.partial(_write_book, config, kind, options), jobs):
        _absorb(report, sub)
        if book is not None:
            books.append(book)
    return books


def _write_book(config: Config, kind: str, options: ExportOptions,
                job: tuple[str, tuple[Edition, ...], str]) -> tuple[Book | None, Report]:
    """One book, expanded and (when asked, or already there) zipped; None when it could not be written."""
    name, group, title = job
    lang = group[0].lang
    report = Report()
    files = render_collection(group, title)
    folder = config.exports_dir / lang / name
    try:
        if write_expanded(folder, files):
            report.written.append(folder)
        epub = config.exports_dir / lang / f"{name}.epub"
        # An .epub already there is rewritten even when not asked for: never older than its folder.
        if (options.epub or epub.is_file()) and write_epub(epub, files):
            report.written.append(epub)
    except PipelineError as exc:
        report.errors.append(exc)
        return None, report
    start = "OEBPS/title.xhtml" if title else "OEBPS/content.xhtml"
    shown, shown_lang = (title, lang) if title else book_title(group[0])
    return Book(lang, name, kind, shown, shown_lang, "" if title else group[0].doc.doc_id,
                approved_share(group), options.epub, start), report


def _original(config: Config, doc: Document, report: Report) -> Edition:
    pot = pot_path(config, doc.doc_id)
    modified = ""
    if pot.exists():
        try:
            modified = _utc(load_po(pot).header_value("POT-Creation-Date"))
        except CatalogError as exc:
            report.errors.append(exc)
    return Edition(doc, config.source_language, config.source_language, kind="original",
                   modified=modified or "2000-01-01T00:00:00Z", project=config.name,
                   publisher=config.publisher)


def _catalog_data(config: Config, doc: Document, lang: str, strict: bool, report: Report) -> Edition | None:
    """An article's translation edition from its catalog, or None (and why) when it has none."""
    path = po_path(config, lang, doc.doc_id)
    if not path.exists():
        report.errors.append(CatalogError("no catalog for this document", path,
                                          hint="run 'pipeline segment' first"))
        return None
    try:
        catalog, _ = _read(path, lang)
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
    stamps = [_utc(catalog.header_value("PO-Revision-Date")), _utc(catalog.header_value("POT-Creation-Date"))]
    modified = max((s for s in stamps if s), default="2000-01-01T00:00:00Z")
    return Edition(doc, lang, config.source_language, translations, contributors=contributors,
                   modified=modified, project=config.name, publisher=config.publisher,
                   approved_words=approved_words,
                   total_words=total_words)
