"""The ``pipeline`` command.  The only place that prints and chooses exit codes.

Exit codes: 0 success, 1 something failed or was skipped (each reason printed
as ``path:line: message``), 2 usage error (Click's own).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import ENGINE_CHOICES, Config, load_config, normalise_language
from .errors import PipelineError
from .fsutil import exclusive
from .project import (
    ExportOptions,
    Report,
    StatusRow,
    check_project,
    export_project,
    segment_project,
    status,
    timestamp,
    translate_language,
)
from .render import FALLBACKS, KINDS

LOCK_NAME = ".pipeline.lock"


@dataclass(frozen=True)
class Context:
    config: Config
    now: str
    quiet: bool


def _fail(exc: PipelineError) -> None:
    click.echo(f"error: {exc}", err=True)


def _finish(reports: Sequence[Report]) -> None:
    # One problem found by several stages of a run (segment, translate, export) is said once.
    errors = list({str(e): e for r in reports for e in r.errors}.values())
    for exc in errors:
        _fail(exc)
    if errors:
        sys.exit(1)


def _langs(config: Config, given: Sequence[str]) -> tuple[str, ...]:
    if not given:
        return config.target_languages
    langs = tuple(normalise_language(code, "--lang") for code in given)
    unknown = [lang for lang in langs if lang not in config.target_languages]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} not in target_languages of pipeline.toml",
                                 param_hint="--lang")
    return langs


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
            _fail(exc)
            sys.exit(1)


@click.group(cls=PipelineGroup)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default="pipeline.toml", show_default=True, help="Project configuration file.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.version_option(__version__, prog_name="pipeline")
@click.pass_context
def cli(ctx: click.Context, config_path: Path, quiet: bool) -> None:
    """Segment articles into gettext catalogs, draft translations, publish EPUB bundles."""
    if ctx.invoked_subcommand == "models":
        ctx.obj = None
        return
    ctx.obj = Context(load_config(config_path), timestamp(), quiet)


def _say(ctx: Context, message: str) -> None:
    if not ctx.quiet:
        click.echo(message)


lang_option = click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
                           help="Target language (repeatable); default: all in pipeline.toml.")
engine_option = click.option("--engine", type=click.Choice(ENGINE_CHOICES), default=None,
                             help="Override the engine from pipeline.toml for this run.")
def export_options(func: Callable[..., None]) -> Callable[..., None]:
    """The publishing options shared by ``export`` and ``run``."""
    options = [
        click.option("--edition", type=click.Choice(("all", *KINDS)), default="all", show_default=True,
                     help="Which books: the translation, the bilingual edition (original and translation "
                          "paragraph by paragraph), the original, or all."),
        click.option("--unapproved", type=click.Choice(FALLBACKS), default=None,
                     help="What readers see where a translation is not approved: the original (default), "
                          "the machine draft labelled as such, or nothing."),
        click.option("--include-drafts", is_flag=True, help="Same as --unapproved draft."),
        click.option("--min-approved", type=click.FloatRange(0, 100), default=0, metavar="PERCENT",
                     help="Skip documents whose approved share of words is below PERCENT."),
        click.option("--epub", is_flag=True, help="Also zip each book into exports/<lang>/<name>.epub."),
        click.option("--strict", is_flag=True,
                     help="Withhold approved entries that fail an error check of 'pipeline check'."),
        click.option("--web", is_flag=True, help="Also write exports/index.html, the web edition."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _export_options(edition: str, unapproved: str | None, include_drafts: bool, min_approved: float,
                    epub: bool, strict: bool, web: bool) -> ExportOptions:
    if include_drafts and unapproved not in (None, "draft"):
        raise click.UsageError("--include-drafts contradicts --unapproved " + str(unapproved))
    return ExportOptions(editions=KINDS if edition == "all" else (edition,),
                         fallback="draft" if include_drafts else unapproved or "original",
                         epub=epub, strict=strict, min_approved=min_approved, web=web)


@cli.command("segment")
@lang_option
@click.pass_obj
def segment_cmd(ctx: Context, langs: tuple[str, ...]) -> None:
    """Write i18n/templates/<doc>.pot and create or merge i18n/<lang>/<doc>.po."""
    with _locked(ctx):
        report = segment_project(ctx.config, ctx.now, _langs(ctx.config, langs))
    _say(ctx, f"segment: {len(report.written)} catalog(s) written")
    _finish([report])


def _translate(ctx: Context, langs: tuple[str, ...], engine: str | None,
               refresh_stale: bool = False) -> list[Report]:
    reports = []
    for lang in langs:
        choice = engine or ctx.config.engine_for(lang)
        bar = None

        def progress(done: int, total: int, lang: str = lang) -> None:
            nonlocal bar
            if ctx.quiet:
                return
            if bar is None:
                bar = click.progressbar(length=total, label=f"translate {lang}", file=sys.stderr,
                                        show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)

        report = translate_language(ctx.config, lang, choice, ctx.now, progress, refresh_stale)
        if bar is not None:
            bar.__exit__(None, None, None)
        used = report.engines.get(lang, "no engine needed")
        extra = f", {report.refreshed} of them replacing stale drafts" if report.refreshed else ""
        sent = (f" ({report.engine_texts} texts sent, {report.cached} from the cache)"
                if report.engines.get(lang) else "")
        _say(ctx, f"translate {lang}: {report.drafted} draft(s) by {used}{sent}{extra}; "
                  f"{report.memory} from the translation memory")
        reports.append(report)
    return reports


refresh_option = click.option("--refresh-stale", is_flag=True,
                              help="Re-draft stale machine drafts (source edited, never touched by a "
                                   "human); approved or human-edited text is never replaced.")


@cli.command("translate")
@lang_option
@engine_option
@refresh_option
@click.pass_obj
def translate_cmd(ctx: Context, langs: tuple[str, ...], engine: str | None, refresh_stale: bool) -> None:
    """Fill every empty msgstr: approved translations from the memory first, then fuzzy drafts."""
    with _locked(ctx):
        _finish(_translate(ctx, _langs(ctx.config, langs), engine, refresh_stale))


def _status_table(rows: list[StatusRow]) -> str:
    from .catalog import Counts

    columns = ("approved", "drafts", "stale", "untranslated")
    head = f"{'document':<26} {'lang':<5}" + "".join(f" {c:>13}" for c in columns) + f" {'done':>6}"
    lines = [head, "-" * len(head)]

    def line(name: str, lang: str, c: Counts) -> str:
        cells = ((c.approved, c.approved_words), (c.drafts, c.draft_words), (c.stale, c.stale_words),
                 (c.untranslated, c.untranslated_words))
        return (f"{name[:26]:<26} {lang:<5}" + "".join(f" {f'{n} ({w}w)':>13}" for n, w in cells)
                + f" {c.percent:>5.1f}%")

    total = Counts()
    for row in rows:
        total = total + row.counts
        lines.append(line(row.doc, row.lang, row.counts))
    lines += ["-" * len(head), line("total", "", total)]
    translated, fuzzy, untranslated = total.msgfmt
    lines.append(f"msgfmt --statistics: {translated} translated, {fuzzy} fuzzy, "
                 f"{untranslated} untranslated messages")
    return "\n".join(lines)


def _status_json(rows: list[StatusRow]) -> str:
    from .catalog import Counts

    def item(c: Counts) -> dict[str, object]:
        translated, fuzzy, untranslated = c.msgfmt
        return {"approved": c.approved, "drafts": c.drafts, "stale": c.stale,
                "untranslated": c.untranslated, "approved_words": c.approved_words,
                "draft_words": c.draft_words, "stale_words": c.stale_words,
                "untranslated_words": c.untranslated_words, "total": c.total,
                "total_words": c.total_words, "percent": round(c.percent, 1),
                "msgfmt": {"translated": translated, "fuzzy": fuzzy, "untranslated": untranslated}}

    total = Counts()
    for row in rows:
        total = total + row.counts
    data = {"documents": [{"document": r.doc, "language": r.lang, **item(r.counts)} for r in rows],
            "total": item(total)}
    return json.dumps(data, indent=2, ensure_ascii=False)


@cli.command("status")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status_cmd(ctx: Context, langs: tuple[str, ...], as_json: bool) -> None:
    """Approved, drafts awaiting review, stale (source edited) and untranslated entries."""
    rows, report = status(ctx.config, _langs(ctx.config, langs))
    click.echo(_status_json(rows) if as_json else _status_table(rows))
    _finish([report])


@cli.command("check")
@lang_option
@click.option("--all", "include_drafts", is_flag=True, help="Check drafts and stale entries too.")
@click.pass_obj
def check_cmd(ctx: Context, langs: tuple[str, ...], include_drafts: bool) -> None:
    """QA checks on approved translations; exit 1 if an error check fails (see README)."""
    problems, report = check_project(ctx.config, _langs(ctx.config, langs), include_drafts)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.check.severity == "error" for p in problems)
    _say(ctx, f"check: {errors} error(s), {len(problems) - errors} warning(s)")
    _finish([report])
    if errors:
        sys.exit(1)


@cli.command("export")
@lang_option
@export_options
@click.pass_obj
def export_cmd(ctx: Context, langs: tuple[str, ...], **publishing: Any) -> None:
    """Render EPUB books into exports/<lang>/ (see README for names), and the web edition."""
    options = _export_options(**publishing)
    with _locked(ctx):
        report = export_project(ctx.config, _langs(ctx.config, langs), options)
    _report_export(ctx, report)
    _finish([report])


def _report_export(ctx: Context, report: Report) -> None:
    for notice in report.notices:
        _say(ctx, notice)
    _say(ctx, f"export: {len(report.written)} book(s) or file(s) written")


@cli.command("run")
@lang_option
@engine_option
@refresh_option
@export_options
@click.pass_obj
def run_cmd(ctx: Context, langs: tuple[str, ...], engine: str | None, refresh_stale: bool,
            **publishing: Any) -> None:
    """segment, translate and export every configured language, then print the status."""
    options = _export_options(**publishing)
    targets = _langs(ctx.config, langs)
    with _locked(ctx):
        reports = [segment_project(ctx.config, ctx.now, targets)]
        _say(ctx, f"segment: {len(reports[0].written)} catalog(s) written")
        reports += _translate(ctx, targets, engine, refresh_stale)
        reports.append(export_project(ctx.config, targets, options))
    _report_export(ctx, reports[-1])
    rows, status_report = status(ctx.config, targets)
    reports.append(status_report)
    _say(ctx, _status_table(rows))
    _finish(reports)


@cli.group("models")
def models_group() -> None:
    """Manage argos translation models."""


@models_group.command("list")
def models_list() -> None:
    """Installed argos models."""
    from .models import list_models

    found = list_models()
    if not found:
        click.echo("no argos models installed")
    for model in found:
        click.echo(f"{model.from_code}->{model.to_code}  {model.name}  {model.path}")


@models_group.command("install")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
def models_install(file: Path, force: bool) -> None:
    """Install a local FILE.argosmodel."""
    from .models import install

    model = install(file, force=force)
    click.echo(f"installed {model.name} ({model.from_code}->{model.to_code}) in {model.path}")


@models_group.command("download")
@click.argument("source")
@click.argument("target")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
def models_download(source: str, target: str, force: bool) -> None:
    """Download and install the argos model SOURCE->TARGET (needs internet)."""
    from .models import download

    model = download(source, target, force=force)
    click.echo(f"installed {model.name} ({model.from_code}->{model.to_code}) in {model.path}")


def main() -> None:
    cli(prog_name="pipeline")
