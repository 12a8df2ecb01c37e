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
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..config import Config
from ..document import Asset, Block, Container, Document, Frame, Kind, Metadata, Role
from ..edition import original_edition, translation_edition
from ..editions import EditionKind, Outdated, Unapproved
from ..errors import PipelineError
from ..fsutil import is_temporary, write_cache, write_if_changed
from ..labels import project_catalog
from ..language import Language
from ..render import Edition, Translation
from ..segment import segment
from ..sources import SIDECAR_SUFFIX, SOURCE_SUFFIXES, discover, read_source
from ..workspace import Report, po_path, pot_path, read_json, stat

T = TypeVar("T")
_RECORD = re.compile(r"[0-9a-f]{24}\.json")  # the records' names: nothing else in the folder is removed


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def edition_digest(edition: Edition) -> str:
    """Everything an edition holds, its images by their bytes (its repr leaves them out)."""
    return digest((edition, [hashlib.sha256(a.data).hexdigest() for a in edition.doc.images]))


class Recall:
    """The records of one export: read on demand, written back (changed ones only) by ``save``."""

    def __init__(self, config: Config, settings: str) -> None:
        self.config = config
        self.folder = config.cache_dir / "export"
        self.settings = digest((settings, _others(config)))
        self.records: dict[str, dict[str, Any]] = {}
        self.changed: set[str] = set()
        self.bases: dict[tuple[str, str, bool], str] = {}  # (doc, lang, original?) -> the edition's digest
        self._names: dict[str, str] = {}  # doc id -> its record

    def documents(self, report: Report) -> list[Document]:
        """Every readable source's document, in the sources' order; a source that cannot be read is
        reported and left out, the others go on."""
        docs = []
        for path in discover(self.config.sources_dir):
            doc = self._document(path, report)
            if doc is not None:
                docs.append(doc)
        return docs

    def original(self, doc: Document, lang: Language, report: Report) -> Edition:
        """``edition.original_edition``, remembered."""
        key = digest((self._key(doc), stat(pot_path(self.config, doc.doc_id)), str(lang), self._words(str(lang))))
        found = self._edition(doc, str(lang), True, key, report,
                              lambda: original_edition(self.config, doc, lang, report))
        assert found is not None  # an original edition always is
        return found

    def translation(self, doc: Document, lang: str, source: Language, strict: bool,
                    report: Report) -> Edition | None:
        """``edition.translation_edition``, remembered."""
        key = digest((self._key(doc), stat(po_path(self.config, lang, doc.doc_id)), lang, str(source), strict,
                      self._words(lang)))
        return self._edition(doc, lang, False, key, report,
                             lambda: translation_edition(self.config, doc, lang, source, strict, report))

    def base(self, edition: Edition) -> str:
        """The digest of the edition an export edition was made from (only its kind and choices differ)."""
        found = self.bases.get((edition.doc.doc_id, edition.lang, edition.kind == EditionKind.ORIGINAL))
        return found if found is not None else edition_digest(edition)

    def save(self) -> None:
        """Write the changed records, and remove those of sources that are gone."""
        try:
            for name in sorted(self.changed):
                write_cache(self.folder / name, json.dumps(self.records[name], sort_keys=True).encode("utf-8"))
            if self.folder.is_dir():
                for entry in os.scandir(self.folder):
                    if _RECORD.fullmatch(entry.name) and entry.name not in self.records and entry.is_file():
                        os.unlink(entry.path)
        except (PipelineError, OSError):
            pass  # the records only save time

    # ------------------------------------------------------------------ records

    def _document(self, path: Path, report: Report) -> Document | None:
        name = hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".json"
        key = digest((self.settings, path.name, stat(path), stat(path.with_suffix(SIDECAR_SUFFIX))))
        record = self._load(name)
        if record.get("key") == key:
            doc = _decoded(decode_document, record.get("doc"))
            if doc is not None:
                self.records[name] = record
                self._names[doc.doc_id] = name
                return doc
        try:
            doc = segment(read_source(path, self.config.relative(path)))
        except PipelineError as exc:
            report.errors.append(exc)
            return None
        self.records[name] = {"key": key, "doc": encode_document(doc), "editions": {}}
        self.changed.add(name)
        self._names[doc.doc_id] = name
        return doc

    def _key(self, doc: Document) -> str:
        return str(self.records[self._names[doc.doc_id]]["key"])

    def _words(self, lang: str) -> list[int]:
        return stat(project_catalog(self.config.i18n_dir, lang))

    def _edition(self, doc: Document, lang: str, original: bool, key: str, report: Report,
                 build: Callable[[], Edition | None]) -> Edition | None:
        name = self._names[doc.doc_id]
        editions = self.records[name].get("editions")
        if not isinstance(editions, dict):  # a record this code did not write
            editions = self.records[name]["editions"] = {}
        slot = f"{'o' if original else 't'}:{lang}"
        kept = editions.get(slot)
        if isinstance(kept, list) and len(kept) == 3 and kept[0] == key:
            edition = _decoded(lambda data: decode_edition(data, doc), kept[1])
            if edition is not None:
                self.bases[(doc.doc_id, lang, original)] = str(kept[2])
                return edition
        problems = len(report.errors)
        edition = build()
        if edition is None or len(report.errors) != problems:
            if editions.pop(slot, None) is not None:
                self.changed.add(name)
            return edition  # a problem is said on every run: not remembered
        found = edition_digest(edition)
        self.bases[(doc.doc_id, lang, original)] = found
        editions[slot] = [key, encode_edition(edition), found]
        self.changed.add(name)
        return edition

    def _load(self, name: str) -> dict[str, Any]:
        try:
            found = json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


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


# ------------------------------------------------------------------ the codec


def encode_document(doc: Document) -> dict[str, Any]:
    return {"id": doc.doc_id, "source": doc.source, "metadata": list(_metadata_fields(doc.metadata)),
            "blocks": [[str(b.kind), b.text, b.line, b.translatable, str(b.role), b.level,
                        [[str(c.frame), c.key, c.start, c.label] for c in b.path], b.align, b.info]
                       for b in doc.blocks],
            "references": [list(r) for r in doc.references], "notes": list(doc.notes),
            "images": [[a.src, a.href, a.media_type, a.data.hex()] for a in doc.images]}


def _metadata_fields(meta: Metadata) -> tuple[str, ...]:
    return meta.title, meta.source_url, meta.date, meta.date_text, meta.author, meta.lang


def decode_document(data: dict[str, Any]) -> Document:
    kinds, roles, frames = _members(Kind), _members(Role), _members(Frame)  # KeyError: not a value
    blocks = []
    for k, text, line, translatable, role, level, path, align, info in data["blocks"]:
        if not (type(text) is str and type(line) is int and type(level) is int and type(align) is str
                and type(info) is str):
            raise TypeError(text)
        blocks.append(Block(kinds[k], text, line, bool(translatable), roles[role], level,
                            tuple(Container(frames[f], _int(key), _int(start), _str(label))
                                  for f, key, start, label in path) if path else (), align, info))
    return Document(_str(data["id"]), _str(data["source"]), Metadata(*map(_str, data["metadata"])), tuple(blocks),
                    tuple((_str(a), _str(b), _str(c)) for a, b, c in data["references"]),
                    tuple(map(_str, data["notes"])),
                    tuple(Asset(src=_str(s), href=_str(h), media_type=_str(m), data=bytes.fromhex(d))
                          for s, h, m, d in data["images"]))


def encode_edition(edition: Edition) -> dict[str, Any]:
    """An edition without its document (kept once, beside it); a msgid that is a block's text is kept as
    that block's place (a record holds each source text once)."""
    at: dict[str, int | str] = {}
    for n, block in enumerate(edition.doc.blocks):
        at.setdefault(block.text, n)
    return {"lang": edition.lang, "source_lang": edition.source_lang,
            "translations": [[at.get(k, k), t.text, t.approved, t.outdated] for k, t in edition.translations.items()],
            "kind": str(edition.kind), "fallback": str(edition.fallback), "outdated": str(edition.outdated),
            "contributors": list(edition.contributors), "modified": edition.modified, "project": edition.project,
            "publisher": edition.publisher, "approved_words": edition.approved_words,
            "total_words": edition.total_words, "words": list(edition.words.items()),  # in their order
            "site": edition.site}


def decode_edition(data: dict[str, Any], doc: Document) -> Edition:
    return replace(Edition(doc, _str(data["lang"]), _str(data["source_lang"])),
                   translations={_msgid(k, doc): Translation(_str(text), bool(approved), bool(outdated))
                                 for k, text, approved, outdated in data["translations"]},
                   kind=EditionKind(data["kind"]), fallback=Unapproved(data["fallback"]),
                   outdated=Outdated(data["outdated"]), contributors=tuple(map(_str, data["contributors"])),
                   modified=_str(data["modified"]), project=_str(data["project"]), publisher=_str(data["publisher"]),
                   approved_words=_int(data["approved_words"]), total_words=_int(data["total_words"]),
                   words={_str(k): _str(v) for k, v in data["words"]}, site=_str(data["site"]))


def _members(kind: type[StrEnum]) -> dict[object, Any]:
    return {member.value: member for member in kind}


def _msgid(value: object, doc: Document) -> str:
    if isinstance(value, int) and not 0 <= value < len(doc.blocks):
        raise IndexError(value)
    return doc.blocks[value].text if isinstance(value, int) else _str(value)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value
