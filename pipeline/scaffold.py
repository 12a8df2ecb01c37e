"""``pipeline init``: a new project that works at once (configuration, folders, one sample article).

Nothing already there is overwritten: an existing ``pipeline.toml`` stops the
command before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .config import CONFIG_NAME
from .errors import ConfigError
from .fsutil import write_atomic

FOLDERS = ("sources", "i18n", "exports", "glossary")
SAMPLE_NAME = "sample-article.txt"
SAMPLE = """\
Welcome to your translation project

Date of first publication
01/01/2026
Author

The editors

This is a sample article. Put your own articles into the sources folder as plain
text files, one article per file: the first line is the title, then optional
metadata, then paragraphs separated by blank lines.

Run **pipeline run** to create the catalogs, draft every translation and publish
the books. Reviewers open the catalogs in i18n/ with Poedit, correct the drafts and
clear *Needs work*; the next run publishes what they approved.

Delete this file when your first article is in place.
"""


def _config_text(name: str, source: str, targets: Sequence[str]) -> str:
    languages = ", ".join(json.dumps(t) for t in targets)
    return f"""\
# Project configuration for the `pipeline` command (see its README).

[project]
name = {json.dumps(name, ensure_ascii=False)}
source_language = {json.dumps(source)}
target_languages = [{languages}]

[paths]
sources = "sources"    # source articles: <doc>.txt
i18n = "i18n"          # templates/<doc>.pot and <lang>/<doc>.po
exports = "exports"    # <lang>/<doc>/ EPUB books and index.html
glossary = "glossary"  # <lang>.csv term lists checked by 'pipeline check'

[engines]
# auto: argos where a model for the pair is installed, else apertium
# (directly or through Spanish).  Per language, e.g.: es = "apertium"
default = "auto"

[export]
epub = true   # every export also writes exports/<lang>/<book>.epub
web = true    # and the web edition, exports/index.html

[credits]
anonymous = []  # translators who asked not to be credited: names or e-mail addresses
"""


def create_project(folder: Path, name: str, source: str, targets: Sequence[str]) -> list[Path]:
    """Write ``pipeline.toml``, the folders and a sample article; the paths created, in order."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise ConfigError("a project already exists here", config,
                          hint="edit it, or choose another folder for 'pipeline init'")
    if folder.exists() and not folder.is_dir():
        raise ConfigError("not a folder", folder, hint="choose a folder for the new project")
    created: list[Path] = []
    for sub in FOLDERS:
        path = folder / sub
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            created.append(path)
    sources = folder / "sources"
    if not any(sources.glob("*.txt")):
        write_atomic(sources / SAMPLE_NAME, SAMPLE.encode("utf-8"))
        created.append(sources / SAMPLE_NAME)
    # The configuration last: a project exists only once everything it names does.
    write_atomic(config, _config_text(name, source, targets).encode("utf-8"))
    created.append(config)
    return created
