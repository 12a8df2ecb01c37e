"""One consistent publication: what ``exports/`` holds, whatever one export was asked to do.

An export may write only some languages or editions, but the web edition must
list every book on disk, never this run's selection, and never a book that is
gone; and every ``.epub`` must hold what its expanded folder holds.  The books
each export rendered are remembered in ``exports/.published.json`` (title,
approval, first page), so a later partial export can list the others without
rendering them again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path

from . import __version__
from .bundle import write_epub
from .config import Config
from .editions import EditionKind
from .errors import PipelineError
from .fsutil import os_error, write_cache, write_if_changed
from .labels import project_catalog
from .render import Book
from .retire import is_book
from .workspace import read_json, stat

MANIFEST = ".published.json"
# The web edition's own pages, in exports/ itself: the landing page, <lang>.html and <lang>.<doc>.html.
_SITE_PAGE = re.compile(r"^[^/.]+(\.[A-Za-z0-9][A-Za-z0-9._-]*)?\.html$")
_ORDER = ("original", "translation", "bilingual")


def _parts(path: Path) -> tuple[str, ...]:
    """Paths' own order, compared as tuples (thousands of books: ``Path.__lt__`` is slow)."""
    return path.parts


def _key(book: Book) -> str:
    return f"{book.lang}/{book.name}"


def _raw(exports: Path) -> dict[str, object]:
    try:
        raw = json.loads((exports / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _load(exports: Path) -> dict[str, Book]:
    """The books earlier exports wrote; an unreadable or older-format record is simply forgotten."""
    known = {f.name for f in fields(Book)}
    books: dict[str, Book] = {}
    found = _raw(exports).get("books", [])
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            book = Book(**{k: v for k, v in item.items() if k in known})
        except TypeError:
            continue
        books[_key(book)] = book
    return books


def _from_disk(folder: Path, source_lang: str) -> Book | None:
    """A book no record knows (written before records were kept): listed from its package file."""
    from xml.etree import ElementTree

    lang, name = folder.parent.name, folder.name
    doc_id, _, suffix = name.partition(".")
    kind = EditionKind(suffix) if suffix in tuple(EditionKind) else (
        EditionKind.ORIGINAL if lang == source_lang else EditionKind.TRANSLATION)
    try:
        opf = ElementTree.parse(folder / "OEBPS" / "content.opf")
    except (OSError, ElementTree.ParseError):
        return None
    title = opf.findtext(".//{http://purl.org/dc/elements/1.1/}title") or doc_id
    collection = doc_id == "collection"
    try:
        return Book(lang=lang, name=name, kind=kind, title=" ".join(title.split()), title_lang=lang,
                    doc_id="" if collection else doc_id, percent=None, epub=False,
                    start="OEBPS/title.xhtml" if collection else "OEBPS/content.xhtml")
    except TypeError:  # a Book with more required facts: the next full export records it
        return None


def published(exports: Path, written: Iterable[Book], source_lang: str,
              targets: Sequence[str]) -> list[Book]:
    """Every book on disk, this run's replacing earlier records, in the web edition's order.

    Records whose folder is gone are dropped (nothing may link to a gone book), and
    ``epub`` says whether the ``.epub`` really is there now.
    """
    written = list(written)
    books = _load(exports)
    books.update((_key(b), b) for b in written)
    for folder in sorted(exports.glob("*/*"), key=_parts):
        key = f"{folder.parent.name}/{folder.name}"
        if key not in books and is_book(folder):
            found = _from_disk(folder, source_lang)
            if found is not None:
                books[key] = found
    this_run = {_key(b) for b in written}  # each just written or found as an export left it
    present = [replace(b, epub=(exports / b.lang / f"{b.name}.epub").is_file())
               for key, b in books.items() if key in this_run or is_book(exports / b.lang / b.name)]
    rank = {lang: i for i, lang in enumerate((source_lang, *targets))}

    def order(book: Book) -> tuple[int, str, int, int, str]:
        kind = _ORDER.index(book.kind) if book.kind in _ORDER else len(_ORDER)
        return rank.get(book.lang, len(rank)), book.lang, kind, book.doc_id == "", book.doc_id

    present.sort(key=order)
    names = [f.name for f in fields(Book)]  # a Book holds plain values: no deep copy (asdict) needed
    _record(exports, books=[{name: getattr(b, name) for name in names} for b in present], pages=site_pages(exports))
    return present


def _record(exports: Path, *, books: list[dict[str, object]], pages: list[str]) -> None:
    """The record, one book per line (json's C encoder: an indented dump is Python's, 20x slower)."""
    def dumped(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    text = '{"books": [' + ",".join(f"\n {dumped(book)}" for book in books) + ("\n]" if books else "]")
    if pages:
        text += ', "pages": [' + ",".join(f"\n {dumped(page)}" for page in pages) + "\n]"
    write_if_changed(exports / MANIFEST, (text + "}\n").encode("utf-8"))


def site_pages(exports: Path) -> list[str]:
    """The web edition's pages an earlier export wrote (paths inside exports/), as recorded."""
    found = _raw(exports).get("pages", [])
    return sorted(p for p in found if isinstance(p, str) and _SITE_PAGE.match(p)) if isinstance(found, list) else []


def has_site(exports: Path) -> bool:
    """Whether a web edition is there to keep current (its front page, or pages an export recorded)."""
    return (exports / "index.html").is_file() or bool(site_pages(exports))


def write_site(exports: Path, pages: Mapping[str, bytes | None]) -> tuple[list[Path], list[Path]]:
    """Write the web edition's pages (only those that changed; None: known to be as they are) and remove
    the pages an earlier export wrote that it no longer has (a language or an article gone), never any
    other file.

    Returns the pages written and those removed.  The record of pages is kept with the books'.
    """
    written = [exports / name for name, data in sorted(pages.items())
               if data is not None and write_if_changed(exports / name, data)]
    removed = []
    for name in site_pages(exports):
        path = exports / name
        if name not in pages and path.is_file() and not path.is_symlink():
            try:
                path.unlink()
            except OSError as exc:
                raise os_error(exc, path, "remove the web edition's old page") from None
            removed.append(path)
    books = _raw(exports).get("books", [])
    _record(exports, books=books if isinstance(books, list) else [], pages=sorted(pages))
    return written, removed


def _newest(folder: Path) -> int:
    newest = folder.stat().st_mtime_ns
    for root, _dirs, files in os.walk(folder):
        for name in files:
            newest = max(newest, os.stat(os.path.join(root, name)).st_mtime_ns)
    return newest


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refresh_epubs(exports: Path, settled: Container[Path] = ()) -> tuple[list[Path], list[PipelineError]]:
    """Re-zip every ``.epub`` older than its expanded folder, whichever export left it behind.

    The folder is the book (it is what was written last); an ``.epub`` already
    equal to it is not rewritten.  ``settled``: those this export wrote with their
    folder or found exactly as an export left them both.
    """
    written: list[Path] = []
    errors: list[PipelineError] = []
    for epub in sorted(exports.glob("*/*.epub"), key=_parts):
        if epub in settled:
            continue
        folder = epub.with_suffix("")
        try:
            if epub.is_symlink() or not is_book(folder) or epub.stat().st_mtime_ns >= _newest(folder):
                continue
            if write_epub(epub, _files(folder)):
                written.append(epub)
            else:
                os.utime(epub)  # already equal: say so with its date, so the next run need not compare
        except OSError as exc:
            errors.append(os_error(exc, epub))
        except PipelineError as exc:
            errors.append(exc)
    return written, errors


def write_web_edition(config: Config, books: list[Book], code: str) -> list[Path]:
    """The web edition's pages; an article page whose inputs and file are as the last export left them
    is not rendered again, nor a list's row whose books are (``.cache/pipeline/site.json``).  ``code``:
    a digest of the product's code (``recall.BookState``)."""
    from .website import Rows, article_keys, render_site, site_of

    path = config.cache_dir / "site.json"
    site = site_of(config.name, config.source_language, books, config.i18n_dir)
    words = [(lang, stat(project_catalog(config.i18n_dir, lang))) for lang in site.languages]
    keys = article_keys(site, repr((__version__, code, words)))
    found = read_json(path)
    known = found.get("pages") if isinstance(found, dict) else None
    known = known if isinstance(known, dict) else {}
    skip = {page for page, key in keys.items() if known.get(page) == [key, stat(config.exports_dir / page)]}
    rendered = found.get("rows") if isinstance(found, dict) else None
    rows = Rows(context=repr((__version__, code)), known={k: v for k, v in rendered.items() if isinstance(v, str)}
                if isinstance(rendered, dict) else {})
    pages = render_site(config.name, config.source_language, books, config.i18n_dir, skip, rows)
    written, _removed = write_site(config.exports_dir, pages)
    try:
        write_cache(path, json.dumps({"pages": {page: [key, stat(config.exports_dir / page)]
                                                for page, key in keys.items()}, "rows": rows.used},
                                     sort_keys=True).encode("utf-8"))
    except PipelineError:
        pass  # the record only saves time
    return written
