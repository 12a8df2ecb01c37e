"""The ``pipeline`` command.  The only place that prints and chooses exit codes.

Exit codes: 0 success; 1 something failed or was skipped (each reason printed
as ``path:line: message (what to do)``); 2 usage error (a bad option or value,
a language not in pipeline.toml).  Global options (``--config``, ``-q``) work
before or after the subcommand; the project is the nearest folder holding
``pipeline.toml``, searching upward from the current one like git.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, statusview
from .config import ENGINE_CHOICES, Config, find_config, load_config, normalise_language
from .errors import ConfigError, PipelineError
from .fsutil import exclusive
from .project import (
    ExportOptions,
    Report,
    TranslateOptions,
    check_project,
    export_project,
    missing_catalogs,
    segment_project,
    status,
    timestamp,
    translate_language,
)
from .render import FALLBACKS, KINDS

LOCK_NAME = ".pipeline.lock"
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Context:
    config: Config
    now: str
    quiet: bool


def _root_of(ctx: click.Context | None) -> Path | None:
    found = ctx.find_root().meta.get("pipeline.context") if ctx is not None else None
    return found.config.root if isinstance(found, Context) else None


def _shown(text: str) -> str:
    """A message with every path inside the project written relative to the project root."""
    root = _root_of(click.get_current_context(silent=True))
    return text.replace(f"{root}/", "") if root is not None and str(root) != "/" else text


def _fail(exc: PipelineError) -> None:
    click.echo(f"error: {_shown(str(exc))}", err=True)


def _finish(reports: Sequence[Report]) -> None:
    # One problem found by several stages of a run (segment, translate, export) is said once.
    errors = list({str(e): e for r in reports for e in r.errors}.values())
    for exc in errors:
        _fail(exc)
    if errors:
        sys.exit(1)


def _split(given: Sequence[str]) -> list[str]:
    """``-l es,pt -l fr`` and ``-l "es pt"`` alike: every code once, in the order given."""
    return list(dict.fromkeys(code for item in given for code in re.split(r"[,\s]+", item) if code))


def _langs(config: Config, given: Sequence[str]) -> tuple[str, ...]:
    """The languages a command works on; any code that is not usable is a usage error (exit 2)."""
    if not given:
        return config.target_languages
    langs = []
    for code in _split(given):
        try:
            langs.append(normalise_language(code, "--lang"))
        except ConfigError:
            raise click.BadParameter(f"{code!r} is not a language code (use an ISO 639 code such as "
                                     f"'es' or 'pt_BR')", param_hint="'-l' / '--lang'") from None
    unknown = [lang for lang in langs if lang not in config.target_languages]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)} not in target_languages of pipeline.toml "
            f"(configured: {', '.join(config.target_languages)}; add it there first)",
            param_hint="'-l' / '--lang'")
    return tuple(dict.fromkeys(langs))


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


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Global options given at any level land in the root context; the last one given wins."""
    if value not in (None, False):
        ctx.find_root().meta[f"pipeline.{param.name}"] = value
    return value


def global_options(func: F) -> F:
    """``--config`` and ``-q``, accepted on the group and on every subcommand."""
    func = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, expose_value=False, callback=_remember,
                        help="Project configuration file (default: pipeline.toml here or in a folder "
                             "above).")(func)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember,
                        help="Print errors only.")(func)


def _project(ctx: click.Context) -> Context:
    """The project of this invocation, read once, when the subcommand first needs it."""
    root = ctx.find_root()
    found = root.meta.get("pipeline.context")
    if not isinstance(found, Context):
        given = root.meta.get("pipeline.config_path")
        path = given if isinstance(given, Path) else find_config(Path.cwd())
        found = Context(load_config(path), timestamp(), bool(root.meta.get("pipeline.quiet")))
        root.meta["pipeline.context"] = found
    return found


def pass_project(func: F) -> F:
    """Like ``click.pass_obj``, with the project found and its configuration loaded."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(_project(click.get_current_context()), *args, **kwargs)

    return functools.update_wrapper(wrapper, func)  # type: ignore[return-value]


@click.group(cls=PipelineGroup, context_settings=CONTEXT_SETTINGS)
@global_options
@click.version_option(__version__, "-V", "--version", prog_name="pipeline")
def cli() -> None:
    """Segment articles into gettext catalogs, draft translations, publish EPUB books."""


def _say(ctx: Context, message: str) -> None:
    if not ctx.quiet:
        click.echo(_shown(message))


lang_option = click.option("-l", "--lang", "langs", multiple=True, metavar="LANG[,LANG]",
                           help="Target languages, comma-separated or repeated; default: all in "
                                "pipeline.toml.")
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
        click.option("--epub/--no-epub", default=None,
                     help="Zip each book into exports/<lang>/<name>.epub (default: [export] epub of "
                          "pipeline.toml, on). An .epub already there is always kept current."),
        click.option("--strict", is_flag=True,
                     help="Withhold approved entries that fail an error check of 'pipeline check'."),
        click.option("--web/--no-web", default=None,
                     help="Write exports/index.html, the web edition of every book on disk (default: "
                          "[export] web of pipeline.toml, on). One already there is always kept current."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _export_options(config: Config, edition: str, unapproved: str | None, include_drafts: bool,
                    min_approved: float, epub: bool | None, strict: bool, web: bool | None) -> ExportOptions:
    """The flags of this run over the [export] settings of pipeline.toml."""
    if include_drafts and unapproved not in (None, "draft"):
        raise click.UsageError("--include-drafts contradicts --unapproved " + str(unapproved))
    return ExportOptions(editions=KINDS if edition == "all" else (edition,),
                         fallback="draft" if include_drafts else unapproved or "original",
                         epub=config.epub if epub is None else epub, strict=strict, min_approved=min_approved,
                         web=config.web if web is None else web)


@cli.command("segment")
@lang_option
@global_options
@pass_project
def segment_cmd(ctx: Context, langs: tuple[str, ...]) -> None:
    """Write i18n/templates/<doc>.pot and create or merge i18n/<lang>/<doc>.po."""
    targets = _langs(ctx.config, langs)
    with _locked(ctx):
        report = segment_project(ctx.config, ctx.now, targets)
    for notice in report.notices:
        _say(ctx, notice)
    _say(ctx, f"segment: {len(report.written)} catalog(s) written")
    _finish([report])


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
    _say(ctx, f"segment: {len(missing)} catalog(s) were missing ({why}); "
              f"{len(report.written)} catalog(s) written")
    return [report]


def _translate(ctx: Context, langs: tuple[str, ...], engine: str | None,
               refresh_stale: bool = False, options: TranslateOptions | None = None) -> list[Report]:
    reports = []
    for lang in langs:
        choice = engine or ctx.config.engine_for(lang)
        bar = None

        def progress(done: int, total: int, lang: str = lang) -> None:
            nonlocal bar
            if ctx.quiet or not sys.stderr.isatty():
                return  # a bar only for a person watching; logs get the summary line
            if bar is None:
                bar = click.progressbar(length=total, label=f"translate {lang}", file=sys.stderr,
                                        show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)

        report = translate_language(ctx.config, lang, choice, ctx.now, progress, refresh_stale, options)
        if bar is not None:
            bar.__exit__(None, None, None)
        if report.errors and lang not in report.engines:
            _say(ctx, f"translate {lang}: nothing drafted, {report.memory} from the translation memory "
                      f"(see the error below)")
            reports.append(report)
            continue
        used = report.engines.get(lang, "no engine needed")
        replaced = "earlier drafts" if options and options.redraft else "stale drafts"
        extra = f", {report.refreshed} of them replacing {replaced}" if report.refreshed else ""
        spread = (f"; {report.propagated} untouched draft(s) replaced by a translation approved elsewhere"
                  if report.propagated else "")
        sent = (f" ({report.engine_texts} texts sent, {report.cached} from the cache)"
                if report.engines.get(lang) else "")
        _say(ctx, f"translate {lang}: {report.drafted} draft(s) by {used}{sent}{extra}; "
                  f"{report.memory} from the translation memory{spread}")
        reports.append(report)
    return reports


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
    targets = _langs(ctx.config, langs)
    options = TranslateOptions(refresh_stale=refresh_stale, redraft=redraft,
                               propagate_approvals=propagate_approvals)
    with _locked(ctx):
        reports = _prepare(ctx, targets)
        reports += _translate(ctx, targets, engine, refresh_stale, options)
    _finish(reports)


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
    rows, report = status(ctx.config, _langs(ctx.config, langs))
    if reviewer:
        click.echo(statusview.reviewer_json(rows) if as_json else statusview.reviewer(rows))
    else:
        click.echo(statusview.as_json(rows) if as_json else statusview.table(rows))
    _finish([report])


@cli.command("check")
@lang_option
@click.option("--all", "include_drafts", is_flag=True, help="Check drafts and stale entries too.")
@global_options
@pass_project
def check_cmd(ctx: Context, langs: tuple[str, ...], include_drafts: bool) -> None:
    """QA checks on approved translations; exit 1 if an error check fails (see README)."""
    problems, report = check_project(ctx.config, _langs(ctx.config, langs), include_drafts)
    for problem in problems:
        click.echo(_shown(str(problem)))
    errors = sum(p.check.severity == "error" for p in problems)
    summary = f"check: {errors} error(s), {len(problems) - errors} warning(s)"
    unread = len({str(e) for e in report.errors})
    if unread:
        summary += f", {unread} file(s) could not be checked"
    _say(ctx, summary + ("" if errors or unread else "; passed"))
    _finish([report])
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
    targets = _langs(ctx.config, langs)
    with _locked(ctx):
        reports = _prepare(ctx, targets)
        reports.append(export_project(ctx.config, targets, options))
    _report_export(ctx, reports[-1])
    _finish(reports)


def _report_export(ctx: Context, report: Report) -> None:
    for notice in report.notices:
        _say(ctx, notice)
    _say(ctx, f"export: {len(report.written)} book(s) or file(s) written")


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
    targets = _langs(ctx.config, langs)
    with _locked(ctx):
        reports = [segment_project(ctx.config, ctx.now, targets)]
        for notice in reports[0].notices:
            _say(ctx, notice)
        _say(ctx, f"segment: {len(reports[0].written)} catalog(s) written")
        reports += _translate(ctx, targets, engine, refresh_stale)
        reports.append(export_project(ctx.config, targets, options))
    _report_export(ctx, reports[-1])
    rows, status_report = status(ctx.config, targets)
    reports.append(status_report)
    _say(ctx, statusview.table(rows))
    _finish(reports)


def _codes(given: Sequence[str], hint: str) -> list[str]:
    codes = []
    for code in _split(given):
        try:
            codes.append(normalise_language(code, hint))
        except ConfigError:
            raise click.BadParameter(f"{code!r} is not a language code (use an ISO 639 code such as "
                                     f"'es' or 'pt_BR')", param_hint=hint) from None
    return codes


@cli.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Project name shown in books (default: the folder's name).")
@click.option("--source-language", default="en", show_default=True, metavar="LANG",
              help="Language the articles are written in.")
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG[,LANG]",
              help="Target languages, comma-separated or repeated (default: es, pt, fr).")
@global_options
def init_cmd(directory: Path, name: str | None, source_language: str, langs: tuple[str, ...]) -> None:
    """Start a new project in DIRECTORY: pipeline.toml, its folders and a sample article."""
    from .scaffold import create_project

    source = _codes([source_language], "'--source-language'")[0]
    targets = _codes(langs or ("es", "pt", "fr"), "'-l' / '--lang'")
    if source in targets:
        raise click.BadParameter(f"{source} is the source language", param_hint="'-l' / '--lang'")
    folder = directory.resolve()
    created = create_project(folder, name or folder.name, source, targets)
    if not _quiet():
        for path in created:
            shown = path.relative_to(folder).as_posix() + ("/" if path.is_dir() else "")
            click.echo(f"created {shown}")
        where = "" if folder == Path.cwd().resolve() else f"cd {directory} && "
        click.echo(f"next: {where}pipeline run   (catalogs in i18n/, books in exports/)")


def _quiet() -> bool:
    return bool(click.get_current_context().find_root().meta.get("pipeline.quiet"))


@cli.group("models", context_settings=CONTEXT_SETTINGS)
@global_options
def models_group() -> None:
    """Manage argos translation models."""


@models_group.command("list")
@global_options
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
@global_options
def models_install(file: Path, force: bool) -> None:
    """Install a local FILE.argosmodel."""
    from .models import install

    model = install(file, force=force)
    if not _quiet():
        click.echo(f"installed {model.name} ({model.from_code}->{model.to_code}) in {model.path}")


@models_group.command("download")
@click.argument("source")
@click.argument("target")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
@global_options
def models_download(source: str, target: str, force: bool) -> None:
    """Download and install the argos model SOURCE->TARGET (needs internet)."""
    from .models import download

    model = download(source, target, force=force)
    if not _quiet():
        click.echo(f"installed {model.name} ({model.from_code}->{model.to_code}) in {model.path}")


def main() -> None:
    cli(prog_name="pipeline")
