"""The project on disk: where catalogs live, reading and writing them safely, a stage's report.

Every stage goes through these helpers, so the rules hold everywhere: a catalog
is read together with the bytes it was parsed from, and written only if those
bytes are still on disk (a reviewer's save wins); a document's problem is an
error in the report, never an exception that stops the other documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .errors import CatalogError, PipelineError
from .fsutil import write_if_unchanged
from .language import Language
from .po import Catalog, dumps, header_field, loads_po
from .segment import Document, segment
from .sources import discover, read_source


@dataclass
class Report:
    """What every stage tells the command line: files written, problems (one per document or
    language; the others went on) and notices to say.  Each stage extends it with its own figures."""

    written: list[Path] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


LANGUAGES_FILE = "languages.json"  # in the cache: each article's language and how segment decided it


def timestamp() -> str:
    """Now in PO header format; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def pot_path(config: Config, doc_id: str) -> Path:
    return config.i18n_dir / "templates" / f"{doc_id}.pot"


def po_path(config: Config, lang: str, doc_id: str) -> Path:
    return config.i18n_dir / lang / f"{doc_id}.po"


def iter_documents(config: Config, report: Report) -> Iterator[Document]:
    """Each readable source, segmented, one at a time (a large corpus never sits in memory)."""
    for path in discover(config.sources_dir):
        try:
            yield segment(read_source(path, config.relative(path)))
        except PipelineError as exc:
            report.errors.append(exc)


def load_documents(config: Config, report: Report) -> list[Document]:
    return list(iter_documents(config, report))


def read_catalog(path: Path, lang: str) -> tuple[Catalog, bytes]:
    """A catalog and the exact bytes it was parsed from, to detect later writers."""
    if path.is_symlink():
        raise CatalogError("is a symbolic link; left as it is (the pipeline reads and writes only regular "
                           "files)", path, hint="replace the link by a copy of its target")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path, hint="check its permissions") from None
    return _for_language(loads_po(data, path), lang, path), data


def _for_language(catalog: Catalog, lang: str, path: Path) -> Catalog:
    """A catalog whose Language header names another language is in the wrong folder."""
    declared = catalog.header_value("Language").strip()
    if declared and not Language(lang).same(declared):
        raise CatalogError(f"catalog is for language {declared!r} but sits in the folder for {lang!r}", path, 1,
                           hint=f"move it to the {declared} folder, or fix its Language header if it "
                                f"really is {lang}")
    return catalog


def store_catalog(path: Path, catalog: Catalog, expected: bytes | None, report: Report,
           old: Catalog | None = None) -> None:
    """Write ``catalog`` unless someone changed the file since we read ``expected``.

    A catalog whose content did not change is left alone even when its bytes are
    not in the pipeline's own form (saved unwrapped by Poedit or msgcat --no-wrap).
    """
    text = dumps(catalog)
    if old is not None and expected is not None and text == dumps(old):
        return
    try:
        if write_if_unchanged(path, text.encode("utf-8"), expected):
            report.written.append(path)
    except PipelineError as exc:
        report.errors.append(exc)


def stat(path: Path) -> list[int]:
    try:
        st = os.stat(path)
    except OSError:
        return []
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def absorb(report: Report, sub: Report) -> None:
    report.written += sub.written
    report.errors += sub.errors
    report.notices += sub.notices


@dataclass(frozen=True)
class Loaded:
    path: Path
    catalog: Catalog
    data: bytes


def article_language(config: Config, doc_id: str) -> Language:
    """The language an article is written in, as its template records it (``segment`` decided it).

    Asked for every article in every language, so the template is read once per version of it.
    """
    path = pot_path(config, doc_id)
    stamp = tuple(stat(path))  # size, times and inode: a rewritten template is read again
    return (_template_language(path, stamp) if stamp else None) or config.source_language


@functools.lru_cache(maxsize=4096)
def _template_language(path: Path, stamp: tuple[int, ...]) -> Language | None:
    try:
        value = header_field(path.read_bytes(), "X-Source-Language")
    except OSError:
        return None
    return Language.read(value) if value else None


def translated_into(config: Config, doc_id: str, lang: str) -> bool:
    """Whether an article has a catalog for ``lang``: every publication language but its own."""
    return not article_language(config, doc_id).same(lang)


def load_catalogs(config: Config, lang: str, report: Report) -> list[Loaded]:
    """The catalogs of ``lang``, one per article translated into it (never an article's own language)."""
    found = []
    for pot in sorted((config.i18n_dir / "templates").glob("*.pot")):
        path = po_path(config, lang, pot.stem)
        if not path.exists() or not translated_into(config, pot.stem, lang):
            continue
        try:
            found.append(Loaded(path, *read_catalog(path, lang)))
        except CatalogError as exc:
            report.errors.append(exc)
    return found


def utc(value: str) -> str:
    """``2026-01-04 10:00+0100`` to ``2026-01-04T09:00:00Z`` (EPUB's dcterms:modified form)."""
    try:
        moment = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
