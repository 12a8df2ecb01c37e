"""Stage 2: fill empty entries with approved translations from the memory, then machine drafts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import catalog as cat
from .. import memory as tmem
from .. import names as propernames
from ..cache import DraftCache
from ..config import Config
from ..engines import Draft, Engine, draft, provenance, resolve
from ..errors import CatalogError, PipelineError
from ..glossary import Glossary, load_glossary
from ..labels import has_labels, project_catalog, template
from ..language import Language
from ..po import Message, load_po
from ..workspace import Loaded, Report, article_language, iter_documents, load_catalogs, read_catalog, store_catalog

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
    catalogs: int = 0  # of the language: 0 where every article is written in it
    engine_texts: int = 0  # distinct texts sent to the engine
    cached: int = 0  # of those, answered by the draft cache
    whole: int = 0  # texts with markup an aligning engine (argos) translated as whole sentences
    split: int = 0  # ... and those it had to translate piece by piece between the markup
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
    by_source: dict[Language, list[Loaded]] = {}
    for item in load_catalogs(config, lang, report):
        by_source.setdefault(article_language(config, item.path.stem), []).append(item)
        report.catalogs += 1
    labels = []
    for source in sorted(by_source, key=lambda s: (s != config.source_language, s)):
        pair = _Pair(config=config, source=source, target=lang, choice=choice, now=now, opts=opts)
        label = _translate_pair(pair, by_source[source], report, progress)
        labels += [label] if label and label not in labels else []
    if report.catalogs and not has_labels(lang) and Language(lang).base != "en":
        label = _translate_product_words(config, lang, choice, now, opts, report, progress)
        labels += [label] if label and label not in labels else []
    if labels:
        report.engines[lang] = "; ".join(labels)
    return report


def _translate_product_words(config: Config, lang: str, choice: str, now: str, opts: TranslateOptions,
                             report: TranslateReport, progress: Callable[[int, int], None] | None) -> str:
    """The product's own words for a language it does not ship: ``i18n/labels/<lang>.po``, merged with
    the product's template and drafted from English like an article's catalog, and said so."""
    path = project_catalog(config.i18n_dir, lang)
    try:
        pot = load_po(template())
        if path.exists() or path.is_symlink():
            old, data = read_catalog(path, lang)
        else:
            old = cat.new_translation(pot, lang, Language(lang).name(), Language(lang).plural_forms(), now)
            old, data = old.with_header(X_Source_Language="en"), None  # the product's words are English
        path.parent.mkdir(parents=True, exist_ok=True)
    except (PipelineError, OSError) as exc:
        report.errors.append(exc if isinstance(exc, PipelineError) else CatalogError(str(exc), path))
        return ""
    merged = cat.update(old, pot)
    if merged != old or data is None:
        store_catalog(path, merged, data, report, old)
    try:
        merged, data = read_catalog(path, lang)
    except CatalogError as exc:
        report.errors.append(exc)
        return ""
    pair = _Pair(config=config, source=Language("en"), target=lang, choice=choice, now=now, opts=opts)
    label = _translate_pair(pair, [Loaded(path, merged, data)], report, progress)
    try:
        waiting = sum(1 for m in read_catalog(path, lang)[0].active() if m.fuzzy or not m.msgstr)
    except CatalogError as exc:  # changed by someone else meanwhile: said, and counted next time
        report.errors.append(exc)
        return label
    if waiting:
        report.notices.append(f"{lang}: the books' own words (notices, labels, the accessibility summary) are "
                              f"machine drafts in {config.relative(path)}: {waiting} wait for review in Poedit, "
                              f"like an article")
    return label


@dataclass(frozen=True, kw_only=True)
class _Pair:
    """One language pair of a translate run: the articles written in ``source``, drafted into ``target``."""

    config: Config
    source: Language
    target: str
    choice: str
    now: str
    opts: TranslateOptions


def _translate_pair(pair: _Pair, loaded: list[Loaded], report: TranslateReport,
                    progress: Callable[[int, int], None] | None) -> str:
    """Fill the catalogs of one pair: memory, propagation and the engine's drafts; the engine's label.

    The translation memory is the pair's own: a Spanish article's approved French
    is never offered for an English one.
    """
    config, lang, opts = pair.config, pair.target, pair.opts
    tm = tmem.build((config.relative(item.path), item.catalog) for item in loaded)
    legacy = cat.memory((config.relative(item.path), item.catalog) for item in loaded)
    wanted = [m for item in loaded for m in item.catalog.messages if _wanted(m, opts.refresh_stale, opts.redraft)]
    to_engine = list(dict.fromkeys(m.msgid for m in wanted if _remembered(m, tm, legacy) is None))
    drafts: dict[str, Draft] = {}
    label = ""
    if to_engine:
        try:
            engine = resolve(pair.choice, pair.source, lang, config.libretranslate, config.cache_dir, config.argos)
        except PipelineError as exc:
            report.errors.append(exc.but(message=f"{_name(pair)}: {exc.message}; language skipped"))
            engine = None
        if engine is not None:
            label = provenance(engine)
            try:
                glossary = _glossary(pair)
            except PipelineError as exc:
                report.errors.append(exc)
                return label
            if not glossary.terms and not any(n.startswith(f"{_name(pair)}: no glossary") for n in report.notices):
                report.notices.append(
                    f"{_name(pair)}: no glossary ({config.relative(_glossary_file(pair))}): terms are drafted "
                    f"as the engine translates them; names are still kept (see the README's Glossaries)")
            drafts = _run_engine(engine, to_engine, pair, glossary, report, progress)
    for item in loaded:
        messages = tuple(_translated(msg, tm, legacy, drafts, label, opts, report) for msg in item.catalog.messages)
        if messages != item.catalog.messages:
            updated = replace(item.catalog, messages=messages).with_header(PO_Revision_Date=pair.now)
            store_catalog(item.path, updated, item.data, report)
    return label


def _name(pair: _Pair) -> str:
    """``es``, or ``fr->es`` for articles not written in the project's source language."""
    return pair.target if pair.source == pair.config.source_language else f"{pair.source}->{pair.target}"


def _glossary_file(pair: _Pair) -> Path:
    """Where the pair's glossary would be (``glossary/es.csv``, ``glossary/fr-es.csv``)."""
    name = pair.target if pair.source == pair.config.source_language else f"{pair.source}-{pair.target}"
    return pair.config.glossary_dir / f"{name}.csv"


def _glossary(pair: _Pair) -> Glossary:
    """The target language's glossary (``glossary/es.csv``) for the project's source language; for
    articles written in another, the pair's own (``glossary/fr-es.csv``), else none."""
    if pair.source == pair.config.source_language:
        return load_glossary(pair.config.glossary_dir, pair.target)
    return load_glossary(pair.config.glossary_dir, f"{pair.source}-{pair.target}")


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


def _run_engine(engine: Engine, texts: list[str], pair: _Pair, glossary: Glossary,
                report: TranslateReport, progress: Callable[[int, int], None] | None) -> dict[str, Draft]:
    """Drafts for ``texts`` in chunks, so progress can be shown; stops at the first failure.

    Proper names found in the texts and in the articles' metadata go to the
    engine as placeholders, like glossary terms kept as they are.
    """
    config, lang = pair.config, pair.target
    people = propernames.authors(doc.metadata.author for doc in iter_documents(config, Report()))
    glossary = glossary.with_names(propernames.protected(texts, people))
    label = getattr(engine, "cache_label", provenance(engine))
    cache = DraftCache(config.cache_dir, label, pair.source, lang)
    drafts: dict[str, Draft] = {}
    done = 0
    whole, split = getattr(engine, "whole", 0), getattr(engine, "split", 0)
    try:
        size = getattr(engine, "batch", CHUNK)
        for start in range(0, len(texts), size):
            chunk = texts[start:start + size]
            try:
                results = draft(engine, chunk, glossary, cache, lang)
            except PipelineError as exc:
                report.errors.append(exc.but(message=f"{_name(pair)}: {exc.message}"))
                break
            drafts.update((src, out) for src, out in zip(chunk, results) if out.text)
            done += len(chunk)
            if progress:
                progress(done, len(texts))
    finally:
        cache.save()
        report.cached += cache.hits
        report.engine_texts += cache.added
        report.whole += getattr(engine, "whole", 0) - whole
        report.split += getattr(engine, "split", 0) - split
    return drafts
