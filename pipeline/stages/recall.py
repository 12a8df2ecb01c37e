"""What the last export read and wrote, remembered, so the next one does only what changed.

``Recall``: an export after one approval must not segment every source and
parse every catalog again to find that one entry changed.  So each article's
document, its original edition and its translation editions are kept as JSON in
``.cache/pipeline/export/<name>.json``, each under a key of everything it was
read from: the size, times and inode of its source, sidecar, template, catalog
and the project's words, every other file of the sources folder (its images),
the configuration and the product's code.  A record whose key differs, or that
does not decode, is read again from the files; so the cache only saves time, and
deleting it is always safe.  An edition whose reading reported a problem is not
kept, so the problem is reported on every run.  Each edition keeps its digest
(everything it holds, its images by their bytes).

``BookState``: what each book was rendered from (those digests, the options, the
code) and how its files were left (``.cache/pipeline/books.json``), so an
unchanged book is not rendered at all, and a collection only renders its
changed chapters.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..config import Config
from ..document import Document, Kind
from ..edition import original_edition, translation_edition
from ..editions import EditionKind
from ..errors import ConflictError, PipelineError
from ..fsutil import is_temporary, write_cache, write_if_changed
from ..labels import project_catalog
from ..language import Language
from ..render import Edition
from ..segment import segment
from ..sources import SIDECAR_SUFFIX, SOURCE_SUFFIXES, discover, read_source
from ..workspace import Report, po_path, pot_path, read_json, stat
from .records import decode_document, decode_edition, encode_document, encode_edition

T = TypeVar("T")
_RECORD = re.compile(r"[0-9a-f]{24}\.json")  # the records' names: nothing else in the folder is removed


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def edition_digest(edition: Edition) -> str:
    """Everything an edition holds, its images by their bytes (its repr leaves them out)."""
    return digest((edition, [hashlib.sha256(a.data).hexdigest() for a in edition.doc.images]))


class Recall:
    """The records of one export: read on demand, written back (changed ones only) by ``save``.

    An article unchanged since the last export is first read from the summaries
    (``summaries.json``: its metadata and title, each edition's word counts and
    digest), which is all an unchanged book, or a collection that reuses the
    article's chapter, needs.  ``full`` reads the whole record where a page must
    be rendered; a changed edition reads it at once.
    """

    def __init__(self, config: Config, settings: str) -> None:
        self.config = config
        self.folder = config.cache_dir / "export"
        self.settings = digest((settings, _others(config)))
        self.records: dict[str, dict[str, Any]] = {}
        self.changed: set[str] = set()
        self.bases: dict[tuple[str, str, bool], str] = {}  # (doc, lang, original?) -> the edition's digest
        self._names: dict[str, str] = {}  # doc id -> its record
        self._paths: dict[str, Path] = {}  # record -> its source
        self._docs: dict[str, Document] = {}  # record -> its whole document, once read
        self._editions: dict[tuple[str, str], Edition] = {}  # (record, slot) -> a whole edition read or built
        self._builds: dict[tuple[str, str], Callable[[Document, Report], Edition | None]] = {}
        found = self._load(SUMMARIES)
        self._summaries: dict[str, Any] = found if isinstance(found.get(""), str) else {}
        self._light: dict[str, dict[str, Any]] = {}  # record -> its summary, for articles read from it
        self._was_light: dict[str, dict[str, Any]] = {}  # the same, for those then read in full

    def documents(self, report: Report) -> list[Document]:
        """Every readable source's document (a summary where the article is unchanged), in the sources'
        order; a source that cannot be read is reported and left out, the others go on."""
        docs = []
        for path in discover(self.config.sources_dir):
            doc = self._document(path, report)
            if doc is not None:
                docs.append(doc)
        return docs

    def original(self, doc: Document, lang: Language, report: Report) -> Edition | None:
        """``edition.original_edition``, remembered (None only where a summary's article, read again, is
        no longer readable: that is reported)."""
        key = digest((self._key(doc), stat(pot_path(self.config, doc.doc_id)), str(lang), self._words(str(lang))))
        return self._edition(doc, str(lang), True, key, report,
                             lambda whole, said: original_edition(self.config, whole, lang, said))

    def translation(self, doc: Document, lang: str, source: Language, strict: bool,
                    report: Report) -> Edition | None:
        """``edition.translation_edition``, remembered."""
        key = digest((self._key(doc), stat(po_path(self.config, lang, doc.doc_id)), lang, str(source), strict,
                      self._words(lang)))
        return self._edition(doc, lang, False, key, report,
                             lambda whole, said: translation_edition(self.config, whole, lang, source, strict, said))

    def full(self, edition: Edition, report: Report) -> Edition:
        """The whole edition behind a summary (the same kind and choices); an edition is returned as it is.

        Safe in a forked worker: it reads the record from disk, or the article again from its files."""
        if not edition.doc.partial:
            return edition
        name = self._names[edition.doc.doc_id]
        slot = _slot(edition.lang, edition.kind == EditionKind.ORIGINAL)
        whole = self._editions.get((name, slot))
        if whole is None:
            doc = self._whole(name, report)
            kept = _slots(self.records.get(name)).get(slot) if doc is not None else None
            if doc is not None and isinstance(kept, list) and len(kept) == 3 and kept[0] == self._light_key(name, slot):
                whole = _decoded(lambda data: decode_edition(data, doc), kept[1])
            if whole is None and doc is not None:
                whole = self._builds[(name, slot)](doc, report)
            if whole is None:
                raise ConflictError(f"its {edition.lang} edition could not be read again: its files changed "
                                    "during the export", self.config.relative(self._paths[name]),
                                    hint="run export again")
        return replace(whole, kind=edition.kind, fallback=edition.fallback, outdated=edition.outdated)

    def base(self, edition: Edition) -> str:
        """The digest of the edition an export edition was made from (only its kind and choices differ)."""
        found = self.bases.get((edition.doc.doc_id, edition.lang, edition.kind == EditionKind.ORIGINAL))
        return found if found is not None else edition_digest(edition)

    def save(self) -> None:
        """Write the changed records and the summaries, and remove the records of sources that are gone."""
        summaries: dict[str, Any] = {"": self.settings}
        for name in self._names.values():
            summaries[name] = self._light[name] if name in self._light else self._summary(name)
        try:
            for name in sorted(self.changed):
                write_cache(self.folder / name, json.dumps(self.records[name], sort_keys=True).encode("utf-8"))
            if self.folder.is_dir():
                for entry in os.scandir(self.folder):
                    if _RECORD.fullmatch(entry.name) and entry.name not in self._paths and entry.is_file():
                        os.unlink(entry.path)
            write_cache(self.folder / SUMMARIES, json.dumps(
                {k: v for k, v in summaries.items() if v is not None}, sort_keys=True).encode("utf-8"))
        except (PipelineError, OSError):
            pass  # the records only save time

    # ------------------------------------------------------------------ records

    def _document(self, path: Path, report: Report) -> Document | None:
        name = hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".json"
        key = digest((self.settings, path.name, stat(path), stat(path.with_suffix(SIDECAR_SUFFIX))))
        self._paths[name] = path
        light = self._summaries.get(name)
        if isinstance(light, dict) and light.get("key") == key:
            doc = _decoded(decode_document, light.get("doc"))
            if doc is not None:
                self._light[name] = light
                self._names[doc.doc_id] = name
                return replace(doc, partial=True)
        doc = self._read(name, key, report)
        if doc is not None:
            self._names[doc.doc_id] = name
        return doc

    def _read(self, name: str, key: str, report: Report) -> Document | None:
        """The whole document of a record: from the record where its key is ``key``, else from the source."""
        record = self._load(name)
        if record.get("key") == key:
            doc = _decoded(decode_document, record.get("doc"))
            if doc is not None:
                self.records[name], self._docs[name] = record, doc
                return doc
        path = self._paths[name]
        try:
            doc = segment(read_source(path, self.config.relative(path)))
        except PipelineError as exc:
            report.errors.append(exc)
            return None
        self.records[name] = {"key": key, "doc": encode_document(doc), "editions": {}}
        self.changed.add(name)
        self._docs[name] = doc
        return doc

    def _whole(self, name: str, report: Report) -> Document | None:
        """The whole document of a record, read once (an article first read from its summary)."""
        if name not in self._docs:
            self._read(name, str(self._light[name]["key"]), report)
        return self._docs.get(name)

    def _key(self, doc: Document) -> str:
        name = self._names[doc.doc_id]
        return str((self._light[name] if name in self._light else self.records[name])["key"])

    def _light_key(self, name: str, slot: str) -> object:
        kept = _slots(self._light.get(name)).get(slot)
        return kept[0] if isinstance(kept, list) and kept else None

    def _words(self, lang: str) -> list[int]:
        return stat(project_catalog(self.config.i18n_dir, lang))

    def _edition(self, doc: Document, lang: str, original: bool, key: str, report: Report,
                 build: Callable[[Document, Report], Edition | None]) -> Edition | None:
        name = self._names[doc.doc_id]
        slot = _slot(lang, original)
        self._builds[(name, slot)] = build
        if name in self._light:
            if self._light_key(name, slot) == key:
                kept = _slots(self._light[name])[slot]
                summary = _decoded(lambda data: decode_edition(data, doc), kept[1] if len(kept) == 3 else None)
                if summary is not None:
                    self.bases[(doc.doc_id, lang, original)] = str(kept[2])
                    return summary
            if self._whole(name, report) is None:  # the edition changed: built from the whole article
                return None
            self._was_light[name] = self._light.pop(name)
        doc = self._docs[name]  # the whole document (the caller's may be the summary)
        editions = self.records[name].get("editions")
        if not isinstance(editions, dict):  # a record this code did not write
            editions = self.records[name]["editions"] = {}
        kept = editions.get(slot)
        if isinstance(kept, list) and len(kept) == 3 and kept[0] == key:
            edition = _decoded(lambda data: decode_edition(data, doc), kept[1])
            if edition is not None:
                self.bases[(doc.doc_id, lang, original)] = str(kept[2])
                self._editions[(name, slot)] = edition
                return edition
        problems = len(report.errors)
        edition = build(doc, report)
        if edition is None or len(report.errors) != problems:
            if editions.pop(slot, None) is not None:
                self.changed.add(name)
            return edition  # a problem is said on every run: not remembered
        found = edition_digest(edition)
        self.bases[(doc.doc_id, lang, original)] = found
        editions[slot] = [key, encode_edition(edition), found]
        self._editions[(name, slot)] = edition
        self.changed.add(name)
        return edition

    def _summary(self, name: str) -> dict[str, Any] | None:
        """An article's summary, from its whole document and the editions this export read or built; None
        for an article with images (a collection packages them: it always reads the whole record)."""
        doc = self._docs.get(name)
        if doc is None or doc.images:
            return None
        light = summary_of(doc)
        editions = _slots(self.records[name])
        before = _slots(self._was_light.get(name))  # slots this export read from its summary
        kept = {slot: found for slot, found in before.items()
                if isinstance(editions.get(slot), list) and isinstance(found, list) and found[:1] == editions[slot][:1]}
        kept.update({slot: [editions[slot][0], encode_edition(summary_edition(edition, light)), editions[slot][2]]
                     for (record, slot), edition in self._editions.items()
                     if record == name and isinstance(editions.get(slot), list)})
        return {"key": self.records[name]["key"], "doc": encode_document(light), "editions": kept}

    def _load(self, name: str) -> dict[str, Any]:
        try:
            found = json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


SUMMARIES = "summaries.json"  # in the records' folder (not a record's name: never removed as one)


def _slots(entry: object) -> dict[str, Any]:
    """A record's or summary's editions by slot; none where it is not what this code writes."""
    found = entry.get("editions") if isinstance(entry, dict) else None
    return found if isinstance(found, dict) else {}


def _slot(lang: str, original: bool) -> str:
    return f"{'o' if original else 't'}:{lang}"


def summary_of(doc: Document) -> Document:
    """What a collection needs of an article whose chapter it reuses: its metadata and title block."""
    title = next((b for b in doc.blocks if b.kind == Kind.TITLE), None)
    return replace(doc, blocks=(title,) if title is not None else (), references=(), notes=(), partial=True)


def summary_edition(edition: Edition, light: Document) -> Edition:
    """An edition over its article's summary: its title's translation, its word counts and choices."""
    kept = {b.text for b in light.blocks}
    return replace(edition, doc=light, translations={k: t for k, t in edition.translations.items() if k in kept})


def _others(config: Config) -> list[object]:
    """Every file of the sources folder that is not a source or a sidecar (the images articles show),
    as it is on disk: one changed makes every document be read again (images are rarely changed)."""
    found: list[object] = []
    top = config.sources_dir
    own = {config.exports_dir, config.i18n_dir, config.cache_dir}  # where sources is the project folder
    for dirpath, dirnames, names in os.walk(top):
        for item in sorted(dirnames):  # a linked folder is not walked: where it points is what counts
            if os.path.islink(os.path.join(dirpath, item)):
                found.append([str(Path(dirpath, item).relative_to(top)), os.readlink(os.path.join(dirpath, item))])
        dirnames[:] = sorted(d for d in dirnames if Path(dirpath, d) not in own)
        for item in sorted(names):
            path = Path(dirpath, item)
            if path.parent == top and (path.suffix in SOURCE_SUFFIXES or item.endswith(SIDECAR_SUFFIX)
                                       or is_temporary(item)):
                continue
            found.append([str(path.relative_to(top)), stat(path)])
    return found


def _decoded(decode: Callable[[Any], T], data: object) -> T | None:
    """``decode(data)``, or None where the record is not what this code writes."""
    try:
        return decode(data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


class BookState:
    """What each book was last rendered from (a digest of its editions, the options and the product's
    code) and what its folder and ``.epub`` looked like then, so an unchanged book is not rendered again.

    A book is skipped only when its digest is the same and its folder, every file in it and its
    ``.epub`` are exactly as that export left them (size, times, inode); anything else renders it,
    and ``write_expanded`` still compares bytes before it writes.
    """

    def __init__(self, config: Config) -> None:
        from .. import __file__ as package

        self.path = config.cache_dir / "books.json"
        found = read_json(self.path)
        self.records: dict[str, list[object]] = found if isinstance(found, dict) else {}
        code = Path(package).parent
        files = sorted((str(p.relative_to(code)), stat(p)) for p in code.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts)
        self.code = digest((sys.version, _library_versions(), files))  # once: every book's key holds it
        self.seen: dict[str, list[object]] = {}

    @staticmethod
    def digests(editions: Iterable[Edition], recall: Recall) -> dict[int, str]:
        """Each edition's digest, once: that of the edition it was made from (remembered with it), and
        the kind and choices it was made with."""
        return {id(e): digest((recall.base(e), e.kind, e.fallback, e.outdated)) for e in editions}

    def key(self, job: tuple[str, tuple[Edition, ...], str], options: object, digests: dict[int, str]) -> str:
        """A digest of all a book is rendered from."""
        name, group, title = job
        return digest((__version__, self.code, name, title, [digests[id(e)] for e in group], options))

    def chapter_keys(self, job: tuple[str, tuple[Edition, ...], str], options: object,
                     digests: dict[int, str]) -> tuple[str, ...]:
        """For a collection, a digest of each chapter's page: its edition, its place, the book's language,
        kind and words (the page's own context)."""
        name, group, title = job
        if not title:
            return ()
        first = group[0]
        context = digest((__version__, self.code, first.lang, first.kind, first.vocabulary(), options))
        return tuple(digest((context, n, digests[id(edition)])) for n, edition in enumerate(group, start=1))

    def save(self) -> None:
        """Records of the books this export rendered or kept; books it did not see keep theirs."""
        try:
            write_if_changed(self.path, json.dumps({**self.records, **self.seen}, sort_keys=True).encode("utf-8"))
        except PipelineError:
            pass  # the state only saves time


def _library_versions() -> list[tuple[str, str]]:
    """The libraries a book's bytes depend on: an upgrade renders every book again."""
    from importlib import metadata

    found = []
    for name in ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "babel", "trafilatura", "lxml",
                 "pyyaml"):
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, ""))
    return [*found, ("zlib", zlib.ZLIB_RUNTIME_VERSION)]  # an .epub's bytes depend on its deflate


def files_state(folder: Path) -> str:
    """Every file of a book folder as it is on disk, as one digest (a file edited by hand inside it
    changes it); "" where there is no folder."""
    if not folder.is_dir() or folder.is_symlink():
        return ""
    found = hashlib.sha256()
    pending = [""]
    while pending:  # os.scandir, not pathlib: an export looks at every file of every book
        inner = pending.pop()
        try:
            with os.scandir(os.path.join(folder, inner)) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            found.update(f"{inner}\0?\n".encode("utf-8", "surrogateescape"))
            continue
        for entry in listed:
            name = f"{inner}/{entry.name}" if inner else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
                facts = f"{st.st_mode} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"
            except OSError:
                facts = "?"
            found.update(f"{name}\0{facts}\n".encode("utf-8", "surrogateescape"))
            if entry.is_dir(follow_symlinks=False):
                pending.append(name)
    return found.hexdigest()
