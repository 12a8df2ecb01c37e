"""``pipeline init`` and ``pipeline models``: the commands that need no project."""

from __future__ import annotations

from pathlib import Path

import click

from .cliopts import CONTEXT_SETTINGS, global_options, is_quiet, language_codes


@click.command("init")
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

    source = language_codes([source_language], "'--source-language'")[0]
    targets = language_codes(langs or ("es", "pt", "fr"), "'-l' / '--lang'")
    if source in targets:
        raise click.BadParameter(f"{source} is the source language", param_hint="'-l' / '--lang'")
    folder = directory.resolve()
    created = create_project(folder, name or folder.name, source, targets)
    if not is_quiet():
        for path in created:
            shown = path.relative_to(folder).as_posix() + ("/" if path.is_dir() else "")
            click.echo(f"created {shown}")
        where = "" if folder == Path.cwd().resolve() else f"cd {directory} && "
        click.echo(f"next: {where}pipeline run   (catalogs in i18n/, books in exports/)")


@click.group("models", context_settings=CONTEXT_SETTINGS)
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
    if not is_quiet():
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
    if not is_quiet():
        click.echo(f"installed {model.name} ({model.from_code}->{model.to_code}) in {model.path}")


