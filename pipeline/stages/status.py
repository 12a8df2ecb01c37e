"""Reading stages: ``status`` (what is approved, waiting, stale) and ``check`` (QA problems)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import retire
from ..checks import Problem, check_catalog
from ..config import Config
from ..counts import Counts, count
from ..errors import CatalogError, PipelineError
from ..glossary import load_glossary
from ..inline import to_plain
from ..po import Catalog, load_po
from ..sources import discover
from ..workspace import (
    LANGUAGES_FILE,
    Report,
    article_language,
    load_catalogs,
    po_path,
    pot_path,
    read_catalog,
    read_json,
    translated_into,
    utc,
)


@dataclass(frozen=True, kw_only=True)
class StatusRow:
    """One catalog in ``status``: its counts, or the error that kept it from being read."""

    doc: str
    lang: str
    counts: Counts
    title: str = ""  # the article's title, so reviewers recognise it
    path: str = ""  # the catalog, relative to the project root
    revised: str = ""  # PO-Revision-Date in UTC: when it last changed
    error: str = ""  # why the catalog could not be read; counts are empty then, unless missing
    missing: bool = False  # not created yet: counts are its template's, all untranslated
    withdrawn: bool = False  # its source is gone: kept as reviewers' work, no longer published


@dataclass(frozen=True, kw_only=True)
class ArticleLanguage:
    """The language an article is written in, and how ``segment`` decided it (see ``doclang``)."""

    doc: str
    lang: str
    how: str = ""  # declared, rule, identified, default; empty when the cache does not say
    confidence: float | None = None


def article_languages(config: Config) -> list[ArticleLanguage]:
    """Each article's language, from its template, with how it was decided (the cache of the last
    segment); nothing is identified again here."""
    known = read_json(config.cache_dir / LANGUAGES_FILE)
    table = known.get("articles", {}) if isinstance(known, dict) else {}
    found = []
    for pot in sorted((config.i18n_dir / "templates").glob("*.pot")):
        lang = article_language(config, pot.stem)
        entry = table.get(pot.stem)
        same = isinstance(entry, dict) and entry.get("lang") == str(lang)
        confidence = entry.get("confidence") if same and isinstance(entry, dict) else None
        found.append(ArticleLanguage(doc=pot.stem, lang=str(lang),
                                     how=str(entry.get("how", "")) if same and isinstance(entry, dict) else "",
                                     confidence=float(confidence) if isinstance(confidence, int | float) else None))
    return found


def title_of(catalog: Catalog) -> str:
    """The article's title as a reader sees it (no Markdown): the entry marked ``type: title``."""
    for msg in catalog.messages:
        if not msg.obsolete and "type: title" in msg.extracted_comments:
            return to_plain(msg.msgid)
    return ""


def _revised(catalog: Catalog) -> str:
    """PO-Revision-Date in UTC (``2026-01-04T09:00:00Z``), so dates from any time zone sort."""
    raw = catalog.header_value("PO-Revision-Date").strip()
    return utc(raw) or raw


def missing_catalogs(config: Config, langs: Iterable[str]) -> list[Path]:
    """Templates and catalogs that ``segment`` would create: for a source never segmented, or a
    language newly added to pipeline.toml.  Cheap (names only), so every command can ask."""
    try:
        ids = list(dict.fromkeys(path.stem for path in discover(config.sources_dir)))
    except PipelineError:
        ids = []
    wanted = [pot_path(config, i) for i in ids] + [po_path(config, lang, i) for lang in langs for i in ids
                                                   if translated_into(config, i, lang)]
    return [path for path in wanted if not path.exists()]


def _missing_row(config: Config, pot: Path, lang: str, report: Report) -> StatusRow:
    """A catalog not created yet: every entry of its template counts as untranslated, never 100%."""
    counts = Counts()
    title = ""
    try:
        template = load_po(pot)
        counts = count(template)
        title = title_of(template)
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
            if not translated_into(config, pot.stem, lang):
                continue  # an article has no catalog for its own language
            path = po_path(config, lang, pot.stem)
            if path in missing:
                rows.append(_missing_row(config, pot, lang, report))
            if not path.exists():
                continue
            shown = config.relative(path)
            try:
                catalog, _ = read_catalog(path, lang)
            except CatalogError as exc:
                report.errors.append(exc)
                rows.append(StatusRow(doc=pot.stem, lang=lang, counts=Counts(), path=shown,
                                      error=str(exc).replace(f"{path}", shown)))
                continue
            rows.append(StatusRow(doc=pot.stem, lang=lang, counts=count(catalog), title=title_of(catalog),
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
        for item in load_catalogs(config, lang, report):
            problems += check_catalog(item.catalog, config.relative(item.path), include_drafts, glossary)
    return problems, report
