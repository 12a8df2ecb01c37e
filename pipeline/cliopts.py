"""What every ``pipeline`` subcommand shares: the project, global options, languages, messages.

Global options (``--config``, ``-q``) are accepted before or after the
subcommand and land in the root context; the project is found like git finds
``.git`` and loaded once, when a command first needs it.  Messages show paths
relative to the project root.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Config, find_config, load_config
from .errors import ConfigError, PipelineError
from .language import Language
from .workspace import Report, timestamp

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


def shown(text: str) -> str:
    """A message with every path inside the project written relative to the project root."""
    root = _root_of(click.get_current_context(silent=True))
    return text.replace(f"{root}/", "") if root is not None and str(root) != "/" else text


def report_error(exc: PipelineError) -> None:
    click.echo(f"error: {shown(str(exc))}", err=True)


def finish(reports: Sequence[Report]) -> None:
    # One problem found by several stages of a run (segment, translate, export) is said once.
    errors = list({str(e): e for r in reports for e in r.errors}.values())
    for exc in errors:
        report_error(exc)
    if errors:
        sys.exit(1)


def _split(given: Sequence[str]) -> list[str]:
    """``-l es,pt -l fr`` and ``-l "es pt"`` alike: every code once, in the order given."""
    return list(dict.fromkeys(code for item in given for code in re.split(r"[,\s]+", item) if code))


def target_langs(config: Config, given: Sequence[str]) -> tuple[str, ...]:
    """The languages a command works on; any code that is not usable is a usage error (exit 2)."""
    if not given:
        return config.languages
    if not _split(given):
        raise click.BadParameter("no language code given", param_hint="'-l' / '--lang'")
    langs = []
    for code in _split(given):
        try:
            langs.append(Language.parse(code, "--lang"))
        except ConfigError:
            raise click.BadParameter(f"{code!r} is not a language code (use a code such as 'es', "
                                     f"'pt-BR', 'es-419' or 'sr@latin')", param_hint="'-l' / '--lang'") from None
    unknown = [lang for lang in langs if lang not in config.languages]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)} not in target_languages of pipeline.toml "
            f"(configured: {', '.join(config.languages)}; add it there first)",
            param_hint="'-l' / '--lang'")
    return tuple(dict.fromkeys(langs))


def language_codes(given: Sequence[str], hint: str) -> list[Language]:
    codes = []
    for code in _split(given):
        try:
            codes.append(Language.parse(code, hint))
        except ConfigError:
            raise click.BadParameter(f"{code!r} is not a language code (use a code such as 'es', "
                                     f"'pt-BR', 'es-419' or 'sr@latin')", param_hint=hint) from None
    return codes


def is_quiet() -> bool:
    return bool(click.get_current_context().find_root().meta.get("pipeline.quiet"))


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
        try:
            config = load_config(path)
        except ConfigError as exc:
            if given is None:  # found by searching upward: name it as the project root sees it
                raise exc.but(path=path.name) from None
            raise
        found = Context(config, timestamp(), bool(root.meta.get("pipeline.quiet")))
        root.meta["pipeline.context"] = found
    return found


def pass_project(func: F) -> F:
    """Like ``click.pass_obj``, with the project found and its configuration loaded."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(_project(click.get_current_context()), *args, **kwargs)

    return functools.update_wrapper(wrapper, func)  # type: ignore[return-value]


def say(ctx: Context, message: str) -> None:
    if not ctx.quiet:
        click.echo(shown(message))


lang_option = click.option("-l", "--lang", "langs", multiple=True, metavar="LANG[,LANG]",
                           help="Target languages, comma-separated or repeated; default: all in "
                                "pipeline.toml.")
