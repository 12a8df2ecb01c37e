"""Stage 1: sources to templates (POT) and catalogs (PO), merged like ``msgmerge --previous``.

Work is proportional to change: a document whose files are as the last clean
run left them is not read; the others are spread over the cores.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, doclang, retire
from .. import catalog as cat
from ..config import Config
from ..doclang import DocumentLanguage
from ..errors import CatalogError, PipelineError
from ..fsutil import write_if_changed
from ..language import Language
from ..parallel import parallel_map
from ..po import Catalog, dumps, header_field
from ..segment import Document, segment
from ..sources import SOURCE_SUFFIXES, discover, read_source, skipped
from ..workspace import (
    LANGUAGES_FILE,
    Report,
    absorb,
    po_path,
    pot_path,
    read_catalog,
    read_json,
    stat,
    store_catalog,
)


def _sync_template(config: Config, doc: Document, lang: Language, now: str, report: Report) -> Catalog:
    """Write the POT (``lang``: the article's language), keeping its creation date unless its content
    really changed."""
    path = pot_path(config, doc.doc_id)
    old_bytes = path.read_bytes() if path.exists() else None
    created = now
    if old_bytes is not None:
        created = header_field(old_bytes, "POT-Creation-Date") or now
    pot = cat.template(doc, config.name, lang, created)
    if old_bytes is not None and dumps(pot).encode() != old_bytes:
        pot = cat.template(doc, config.name, lang, now)
    if write_if_changed(path, dumps(pot).encode("utf-8")):
        report.written.append(path)
    return pot


def _doc_stats(config: Config, source: Path, targets: tuple[str, ...]) -> list[list[int]]:
    """Size, times and inode of every file one document's segmenting reads or writes."""
    doc = source.stem
    files = [source, source.with_suffix(".meta.toml"), pot_path(config, doc)]
    return [stat(path) for path in files + [po_path(config, lang, doc) for lang in targets]]


@dataclass
class SegmentReport(Report):
    """What segment did: catalogs written, and how many articles it did not need to read."""

    documents: int = 0
    unchanged: int = 0  # as the last clean run left them: not read at all
    languages: dict[str, DocumentLanguage] = field(default_factory=dict)  # of the articles read, by id


def segment_project(config: Config, now: str, langs: Iterable[str] | None = None) -> SegmentReport:
    """Sources to POT templates, and every PO created or merged from its template.

    Work is proportional to change: a document whose source, sidecar, template
    and catalogs are as the last clean run left them (same size, modification
    time and inode) is not read at all; that run's result still holds.
    """
    report = SegmentReport()
    targets = tuple(langs or config.languages)
    report.notices += _skipped_notices(config)
    state = config.cache_dir / "segment-state.json"
    settings: dict[str, object] = {"version": __version__, "config": repr(config), "targets": list(targets)}
    known = _load_state(state, settings)
    sources = discover(config.sources_dir)
    todo = [p for p in sources if known.get(p.name) != _doc_stats(config, p, targets)]
    report.documents, report.unchanged = len(sources), len(sources) - len(todo)
    failed = _segment(config, now, targets, report, todo, _remembered(config))
    _remember_languages(config, report.languages, {p.stem for p in sources})
    done = {p.name: _doc_stats(config, p, targets) for p in sources if p.name not in failed}
    try:
        write_if_changed(state, json.dumps({"settings": settings, "docs": done}, sort_keys=True).encode("utf-8"))
    except PipelineError:
        pass  # the state only saves time; without it the next run reads everything again
    return report


def _remembered(config: Config) -> dict[str, tuple[str, float]]:
    """What the identifier read in earlier runs, by the digest of the text it read."""
    known = read_json(config.cache_dir / LANGUAGES_FILE)
    table = known.get("identified", {}) if isinstance(known, dict) else {}
    return {k: (str(v[0]), float(v[1])) for k, v in table.items()
            if isinstance(v, list) and len(v) == 2 and isinstance(v[1], int | float)}


def _remember_languages(config: Config, found: dict[str, DocumentLanguage], present: set[str]) -> None:
    """Each article's language and how it was decided, for ``status`` (which reads no source), and what
    the identifier read, so that the same text (a source flipping between two versions) is read once."""
    path = config.cache_dir / LANGUAGES_FILE
    known = read_json(path)
    known = known if isinstance(known, dict) else {}
    articles = {k: v for k, v in known.get("articles", {}).items() if k in present}
    articles.update({doc: {"lang": str(d.lang), "how": str(d.how), "confidence": d.confidence}
                     for doc, d in found.items()})
    identified = dict(known.get("identified", {}))
    identified.update({d.sample: list(d.read) for d in found.values() if d.read is not None})
    identified = dict(list(identified.items())[-4 * max(len(present), 16):])  # the newest few per article
    try:
        write_if_changed(path, json.dumps({"articles": articles, "identified": identified},
                                          sort_keys=True).encode("utf-8"))
    except PipelineError:
        pass  # status then shows the template's language without saying how it was decided


def _load_state(state: Path, settings: dict[str, object]) -> dict[str, object]:
    """The last clean run's file stats by source name, if it ran with the same settings."""
    previous = read_json(state)
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


def _segment(config: Config, now: str, targets: tuple[str, ...], report: SegmentReport,
             paths: list[Path], remembered: dict[str, tuple[str, float]]) -> set[str]:
    """Segment and merge the documents of ``paths``; the names of those that failed.

    Documents are independent, so they are spread over the cores; a new document
    that may be a renamed one is handled here, where the list of orphans lives.
    Reports come back in source order: the output does not depend on the pool.
    """
    withdrawn = retire.orphans(config, retire.source_ids(config))
    maybe_renamed = [p for p in paths if withdrawn and not pot_path(config, p.stem).exists()]
    independent = [p for p in paths if p not in maybe_renamed]
    failed = set()
    work = functools.partial(_segment_path, config, now, targets, remembered=remembered)
    results = list(zip(independent, parallel_map(work, independent), strict=True))
    results += [(path, _segment_path(config, now, targets, path, withdrawn, remembered)) for path in maybe_renamed]
    for path, sub in results:
        absorb(report, sub)
        report.languages.update(sub.languages)
        if sub.errors:
            failed.add(path.name)
    return failed


def _segment_path(config: Config, now: str, targets: tuple[str, ...], path: Path,
                  withdrawn: dict[str, retire.Orphan] | None = None,
                  remembered: dict[str, tuple[str, float]] | None = None) -> SegmentReport:
    """One document: its template, and each catalog created or merged (a report of its own)."""
    report = SegmentReport()
    try:
        doc = segment(read_source(path, config.relative(path)))
        _segment_one(config, doc, now, targets, report, withdrawn or {}, remembered or {})
    except PipelineError as exc:
        report.errors.append(exc)
    return report


def _segment_one(config: Config, doc: Document, now: str, targets: tuple[str, ...], report: SegmentReport,
                 withdrawn: dict[str, retire.Orphan], remembered: dict[str, tuple[str, float]]) -> None:
    decided = report.languages[doc.doc_id] = doclang.decide(doc, config, remembered)
    if decided.disagrees is not None:
        report.notices.append(f"{doc.source}: declared as {decided.lang}, but its text reads as "
                              f"{decided.disagrees}; it is treated as {decided.lang} (fix its lang if that is wrong)")
    was_new = not pot_path(config, doc.doc_id).exists()
    pot = _sync_template(config, doc, decided.lang, now, report)
    before_rename = retire.renamed_from(frozenset(m.msgid for m in pot.active()), withdrawn) \
        if was_new else None
    targets = tuple(lang for lang in targets if not decided.lang.same(lang))  # never into its own language
    for lang in targets:
        path = po_path(config, lang, doc.doc_id)
        try:
            if path.exists() or path.is_symlink():
                old, before = read_catalog(path, lang)
            elif before_rename and po_path(config, lang, before_rename.doc_id).is_file():
                old, before = read_catalog(po_path(config, lang, before_rename.doc_id), lang)[0], None
            else:
                old, before = cat.new_translation(pot, lang, Language(lang).name(),
                                                  Language(lang).plural_forms(), now), None
        except CatalogError as exc:
            report.errors.append(exc)
            continue
        store_catalog(path, cat.update(old, pot), before, report, old)
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
