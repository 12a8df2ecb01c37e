"""Stage 2: fill empty entries with approved translations from the memory, then machine drafts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import catalog as cat
from .. import memory as tmem
from .. import names as propernames
from ..cache import DraftCache
from ..config import Config
from ..engines import Draft, Engine, draft, provenance, resolve
from ..errors import PipelineError
from ..glossary import Glossary, load_glossary
from ..po import Message
from ..workspace import Report, iter_documents, load_catalogs, store_catalog

CHUNK = 64  # texts per engine call between progress updates, unless the engine names its own batch


def _wanted(msg: Message, refresh_stale: bool, redraft: bool = False) -> bool:
    """Whether ``translate`` may fill this entry: empty, a stale untouched machine draft, or with
    ``redraft`` any machine draft no human touched (its checksum still matches).  Plural entries
    (from a compendium or another project's catalog) are kept as they are: never drafted."""
    if msg.obsolete or msg.plural:
        return False
    if not msg.msgstr:
        return True
    if redraft and cat.is_machine_draft(msg):
        return True
    return refresh_stale and cat.state(msg) == "stale" and cat.is_machine_draft(msg)


@dataclass
class TranslateReport(Report):
    """What one language's translate did: entries filled, and from where."""

    drafted: int = 0  # by the engine
    memory: int = 0  # from an approved translation of the same paragraph elsewhere
    refreshed: int = 0  # of the drafted, how many replaced an earlier draft
    propagated: int = 0  # untouched machine drafts replaced by an approved translation from elsewhere
    engine_texts: int = 0  # distinct texts sent to the engine
    cached: int = 0  # of those, answered by the draft cache
    engines: dict[str, str] = field(default_factory=dict)  # language -> the engine that drafted it


@dataclass(frozen=True, kw_only=True)
class TranslateOptions:
    """What ``translate`` may replace besides empty entries, and whether memory copies are approved."""

    refresh_stale: bool = False
    redraft: bool = False
    propagate_approvals: bool = False


def translate_language(config: Config, lang: str, choice: str, now: str,
                       progress: Callable[[int, int], None] | None = None,
                       refresh_stale: bool = False, options: TranslateOptions | None = None) -> TranslateReport:
    """Fill empty entries of ``lang``: approved translations from the memory first, then drafts.

    An approval spreads: every untouched machine draft of the same paragraph
    (same text and kind) elsewhere becomes that human translation.  Nothing a
    human wrote is ever replaced; only drafts still exactly as the engine
    wrote them are re-drafted (``refresh_stale`` for stale ones, ``redraft``
    for all).
    """
    opts = options or TranslateOptions(refresh_stale=refresh_stale)
    report = TranslateReport()
    loaded = load_catalogs(config, lang, report)
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
            report.errors.append(exc.but(message=f"{lang}: {exc.message}; language skipped"))
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
            store_catalog(item.path, updated, item.data, report)
    return report


def _remembered(msg: Message, tm: tmem.Memory, legacy: dict[str, tuple[str, str]]) -> tmem.Approved | None:
    """The approved translation of the same paragraph and kind, else of the same text (empty entries)."""
    found = tm.get(msg)
    if found is None and not msg.msgstr and msg.msgctxt is None and msg.msgid in legacy:
        text, origin = legacy[msg.msgid]
        found = tmem.Approved(msgid=msg.msgid, kind="", text=text, origin=origin)
    return found


def _translated(msg: Message, tm: tmem.Memory, legacy: dict[str, tuple[str, str]], drafts: dict[str, Draft],
                label: str, opts: TranslateOptions, report: TranslateReport) -> Message:
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
                report: TranslateReport, progress: Callable[[int, int], None] | None) -> dict[str, Draft]:
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
                report.errors.append(exc.but(message=f"{lang}: {exc.message}"))
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
