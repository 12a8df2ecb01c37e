"""The ``pipeline`` command.  The only place that prints and chooses exit codes.

Exit codes: 0 success; 1 something failed or was skipped (each reason printed
as ``path:line: message (what to do)``); 2 usage error (a bad option or value,
a language not in pipeline.toml).  Global options (``--config``, ``-q``) work
before or after the subcommand; the project is the nearest folder holding
``pipeline.toml``, searching upward from the current one like git.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__, statusview
from .cli_setup import init_cmd, models_group
from .cliopts import (
    CONTEXT_SETTINGS,
    Context,
    finish,
    global_options,
    lang_option,
    pass_project,
    report_error,
    say,
    shown,
    target_langs,
)
from .config import ENGINE_CHOICES, Config
from .editions import EditionKind, Outdated, Unapproved
from .errors import PipelineError
from .fsutil import exclusive
from .render import FALLBACKS, KINDS, OUTDATED
from .stages.export import ExportOptions, ExportReport, export_project
from .stages.segment import SegmentReport, segment_project
from .stages.status import article_languages, check_project, missing_catalogs, status
from .stages.translate import TranslateOptions, TranslateReport, translate_language
from .workspace import Report

LOCK_NAME = ".pipeline.lock"


def _locked(ctx: Context) -> contextlib.AbstractContextManager[None]:
    """The project lock every writing command holds; a second run fails at once."""
    config = ctx.config
    return exclusive(config.i18n_dir / LOCK_NAME, (config.i18n_dir, config.exports_dir, config.cache_dir),
                     root=config.root)


class PipelineGroup(click.Group):
    """Turns domain errors raised anywhere into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            report_error(exc)
            sys.exit(1)


@click.group(cls=PipelineGroup, context_settings=CONTEXT_SETTINGS)
@global_options
@click.version_option(__version__, "-V", "--version", prog_name="pipeline")
def cli() -> None:
    """Segment articles into gettext catalogs, draft translations, publish EPUB books."""


engine_option = click.option("--engine", type=click.Choice(ENGINE_CHOICES), default=None,
                             help="Override the engine from pipeline.toml for this run.")
def export_options(func: Callable[..., None]) -> Callable[..., None]:
    """The publishing options shared by ``export`` and ``run``."""
    options = [
        click.option("--edition", type=click.Choice(("all", *(k.value for k in KINDS))), default="all",
                     show_default=True,
                     help="Which books: the translation, the bilingual edition (original and translation "
                          "paragraph by paragraph), the original, or all."),
        click.option("--unapproved", type=click.Choice([f.value for f in FALLBACKS]), default=None,
                     help="What readers see where a translation is not approved: the original (default), "
                          "the machine draft labelled as such, or nothing."),
        click.option("--include-drafts", is_flag=True, help="Same as --unapproved draft."),
        click.option("--min-approved", type=click.FloatRange(0, 100), default=0, metavar="PERCENT",
                     help="Skip documents whose approved share of words is below PERCENT."),
        click.option("--epub/--no-epub", default=None,
                     help="Zip each book into exports/<lang>/<name>.epub (default: [export] epub of "
                          "pipeline.toml, on). An .epub already there is always kept current."),
        click.option("--strict", is_flag=True,
                     help="Withhold approved entries that fail an error check of 'pipeline check'."),
        click.option("--outdated", type=click.Choice([o.value for o in OUTDATED]), default="keep", show_default=True,
                     help="A translation approved before its source changed: keep it, marked for readers, "
                          "until it is re-approved, or show the original instead."),
        click.option("--web/--no-web", default=None,
                     help="Write exports/index.html, the web edition of every book on disk (default: "
                          "[export] web of pipeline.toml, on). One already there is always kept current."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _export_options(config: Config, edition: str, unapproved: str | None, include_drafts: bool,
                    min_approved: float, epub: bool | None, strict: bool, web: bool | None,
                    outdated: str = "keep") -> ExportOptions:
    """The flags of this run over the [export] settings of pipeline.toml."""
    if include_drafts and unapproved not in (None, "draft"):
        raise click.UsageError("--include-drafts contradicts --unapproved " + str(unapproved))
    return ExportOptions(editions=KINDS if edition == "all" else (EditionKind(edition),),
                         fallback=Unapproved.DRAFT if include_drafts else Unapproved(unapproved or "original"),
                         epub=config.epub if epub is None else epub, strict=strict, min_approved=min_approved,
                         web=config.web if web is None else web, outdated=Outdated(outdated))


@cli.command("segment")
@lang_option
@global_options
@pass_project
def segment_cmd(ctx: Context, langs: tuple[str, ...]) -> None:
    """Write i18n/templates/<doc>.pot and create or merge i18n/<lang>/<doc>.po."""
    targets = target_langs(ctx.config, langs)
    with _locked(ctx):
        report = segment_project(ctx.config, ctx.now, targets)
    _report_segment(ctx, report)
    finish([report])


def _prepare(ctx: Context, targets: tuple[str, ...]) -> list[Report]:
    """Segment first when a source or a newly configured language has no catalog yet, and say so:
    translating or exporting nothing for it would be a silent no-op."""
    missing = missing_catalogs(ctx.config, targets)
    if not missing:
        return []
    report = segment_project(ctx.config, ctx.now, targets)
    articles = sorted(p.stem for p in missing if p.suffix == ".pot")
    langs = sorted({p.parent.name for p in missing if p.suffix == ".po" and p.stem not in articles})
    why = "; ".join(([f"new article {', '.join(articles)}"] if articles else [])
                    + ([f"new language {', '.join(langs)}"] if langs else []))
    say(ctx, f"segment: {len(missing)} catalog(s) were missing ({why}); "
              f"{len(report.written)} catalog(s) written")
    return [report]


def _translate(ctx: Context, langs: tuple[str, ...], engine: str | None,
               refresh_stale: bool = False, options: TranslateOptions | None = None) -> list[Report]:
    reports: list[Report] = []
    for lang in langs:
        report = _translate_one(ctx, lang, engine or ctx.config.engine_for(lang), refresh_stale, options)
        reports.append(report)
        if not report.catalogs and not report.errors:
            continue  # every article is written in this language: nothing to translate into it
        for notice in report.notices:
            say(ctx, notice)
        if report.errors and lang not in report.engines:
            say(ctx, f"translate {lang}: nothing drafted, {report.memory} from the translation memory "
                      f"(see the error below)")
            continue
        used = report.engines.get(lang, "no engine needed")
        replaced = "earlier drafts" if options and options.redraft else "stale drafts"
        extra = f", {report.refreshed} of them replacing {replaced}" if report.refreshed else ""
        spread = (f"; {report.propagated} untouched draft(s) replaced by a translation approved elsewhere"
                  if report.propagated else "")
        sent = (f" ({report.engine_texts} texts sent, {report.cached} from the cache)"
                if report.engines.get(lang) else "")
        whole = (f"; {report.whole} of {report.whole + report.split} text(s) with markup translated "
                 f"as whole sentences" if report.whole + report.split else "")
        say(ctx, f"translate {lang}: {report.drafted} draft(s) by {used}{sent}{extra}; "
                  f"{report.memory} from the translation memory{spread}{whole}")
    return reports


def _translate_one(ctx: Context, lang: str, choice: str, refresh_stale: bool,
                   options: TranslateOptions | None) -> TranslateReport:
    """One language's translate, with a progress bar for a person watching (logs get the summary)."""
    with contextlib.ExitStack() as stack:
        bar: Any = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if ctx.quiet or not sys.stderr.isatty():
                return
            if bar is None:
                bar = stack.enter_context(click.progressbar(length=total, label=f"translate {lang}",
                                                            file=sys.stderr, show_pos=True))
            bar.update(done - bar.pos)

        return translate_language(ctx.config, lang, choice, ctx.now, progress, refresh_stale, options)


refresh_option = click.option("--refresh-stale", is_flag=True,
                              help="Re-draft stale machine drafts (source edited, never touched by a "
                                   "human); approved or human-edited text is never replaced.")


@cli.command("translate")
@lang_option
@engine_option
@refresh_option
@click.option("--redraft", is_flag=True,
              help="Re-draft every machine draft no human touched (checksum unchanged), after a glossary, "
                   "engine or model change; approved or human-edited text is never replaced.")
@click.option("--propagate-approvals", is_flag=True,
              help="Approve outright the copies of approved paragraphs (same text and kind) that replace "
                   "untouched drafts elsewhere, instead of leaving them fuzzy: for boilerplate.")
@global_options
@pass_project
def translate_cmd(ctx: Context, langs: tuple[str, ...], engine: str | None, refresh_stale: bool,
                  redraft: bool, propagate_approvals: bool) -> None:
    """Fill every empty msgstr: approved translations from the memory first, then fuzzy drafts."""
    targets = target_langs(ctx.config, langs)
    options = TranslateOptions(refresh_stale=refresh_stale, redraft=redraft,
                               propagate_approvals=propagate_approvals)
    with _locked(ctx):
        reports = _prepare(ctx, targets)
        reports += _translate(ctx, targets, engine, refresh_stale, options)
    finish(reports)


@cli.command("status")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--reviewer", is_flag=True,
              help="Only the catalogs waiting for review (drafts or stale), oldest and largest first.")
@global_options
@pass_project
def status_cmd(ctx: Context, langs: tuple[str, ...], as_json: bool, reviewer: bool) -> None:
    """Per catalog: title, approved, drafts awaiting review, stale (source edited), untranslated.

    A catalog that cannot be read is a row with its error, and the exit code is 1.
    """
    rows, report = status(ctx.config, target_langs(ctx.config, langs))
    articles = article_languages(ctx.config)
    if reviewer:
        click.echo(statusview.reviewer_json(rows) if as_json else statusview.reviewer(rows))
    elif as_json:
        click.echo(statusview.as_json(rows, articles))
    else:
        click.echo(statusview.table(rows))
        if articles:
            click.echo(statusview.languages(articles))
    finish([report])


@cli.command("check")
@lang_option
@click.option("--all", "include_drafts", is_flag=True, help="Check drafts and stale entries too.")
@global_options
@pass_project
def check_cmd(ctx: Context, langs: tuple[str, ...], include_drafts: bool) -> None:
    """QA checks on approved translations; exit 1 if an error check fails (see README)."""
    problems, report = check_project(ctx.config, target_langs(ctx.config, langs), include_drafts)
    for problem in problems:
        click.echo(shown(str(problem)))
    errors = sum(p.check.severity == "error" for p in problems)
    summary = f"check: {errors} error(s), {len(problems) - errors} warning(s)"
    unread = len({str(e) for e in report.errors})
    if unread:
        summary += f", {unread} file(s) could not be checked"
    say(ctx, summary + ("" if errors or unread else "; passed"))
    finish([report])
    if errors:
        sys.exit(1)


@cli.command("export")
@lang_option
@export_options
@global_options
@pass_project
def export_cmd(ctx: Context, langs: tuple[str, ...], **publishing: Any) -> None:
    """Render EPUB books into exports/<lang>/ (see README for names), and the web edition."""
    options = _export_options(ctx.config, **publishing)
    targets = target_langs(ctx.config, langs)
    with _locked(ctx):
        reports = _prepare(ctx, targets)
        exported = export_project(ctx.config, targets, options)
    _report_export(ctx, exported)
    finish([*reports, exported])


def _report_segment(ctx: Context, report: SegmentReport) -> None:
    for notice in report.notices:
        say(ctx, notice)
    unread = (f" ({report.unchanged} of {report.documents} article(s) unchanged since the last run, not read)"
              if report.unchanged else "")
    say(ctx, f"segment: {len(report.written)} catalog(s) written{unread}")


def _report_export(ctx: Context, report: ExportReport) -> None:
    for notice in report.notices:
        say(ctx, notice)
    unchanged = " (nothing it reads or wrote changed since the last export)" if report.up_to_date else ""
    say(ctx, f"export: {len(report.written)} book(s) or file(s) written{unchanged}")


@cli.command("run")
@lang_option
@engine_option
@refresh_option
@export_options
@global_options
@pass_project
def run_cmd(ctx: Context, langs: tuple[str, ...], engine: str | None, refresh_stale: bool,
            **publishing: Any) -> None:
    """segment, translate and export every configured language, then print the status."""
    options = _export_options(ctx.config, **publishing)
    targets = target_langs(ctx.config, langs)
    with _locked(ctx):
        segmented = segment_project(ctx.config, ctx.now, targets)
        _report_segment(ctx, segmented)
        reports: list[Report] = [segmented]
        reports += _translate(ctx, targets, engine, refresh_stale)
        exported = export_project(ctx.config, targets, options)
        reports.append(exported)
    _report_export(ctx, exported)
    rows, status_report = status(ctx.config, targets)
    reports.append(status_report)
    say(ctx, statusview.table(rows))
    finish(reports)


cli.add_command(init_cmd)
cli.add_command(models_group)


def main() -> None:
    cli(prog_name="pipeline")
