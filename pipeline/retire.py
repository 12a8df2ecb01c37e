"""Withdrawn and renamed articles: catalogs are reviewers' work, so they follow the text or stay.

A template (``i18n/templates/<doc>.pot``) whose source is gone belongs to a
withdrawn article: its books leave ``exports/``, its catalogs stay, and
``status`` shows them as "source removed".  When a new source holds (nearly)
the same text as such an orphan, the article was renamed: its catalogs are
merged into the new name, approvals included, and the old files are retired
to ``i18n/retired/<lang>/`` instead of being left to rot.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import PipelineError
from .fsutil import os_error
from .po import load_po
from .sources import discover

RENAMED_SIMILARITY = 0.8  # share of the words of both texts in identical paragraphs
RETIRED = "retired"
EDITION_SUFFIXES = (".bilingual", ".original", ".translation")


@dataclass(frozen=True, kw_only=True)
class Orphan:
    """A template whose source is gone: the article was withdrawn, or renamed."""

    doc_id: str
    template: Path
    msgids: frozenset[str]


def source_ids(config: Config) -> set[str]:
    """The document ids of every source file, readable or not (a broken source is not withdrawn)."""
    try:
        return {path.stem for path in discover(config.sources_dir)}
    except PipelineError:
        return set()


def orphans(config: Config, current: set[str]) -> dict[str, Orphan]:
    """Templates whose document is not among ``current``, by document id."""
    found = {}
    for pot in sorted((config.i18n_dir / "templates").glob("*.pot")):
        if pot.stem in current or not pot.is_file():
            continue
        try:
            msgids = frozenset(m.msgid for m in load_po(pot).active())
        except (PipelineError, OSError):
            msgids = frozenset()
        found[pot.stem] = Orphan(doc_id=pot.stem, template=pot, msgids=msgids)
    return found


def _words(texts: frozenset[str]) -> int:
    return sum(len(text.split()) for text in texts)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of two articles is the same paragraphs, by words (1.0: the same text).

    A paragraph counts as the same when it is identical or at least 90% similar
    (a corrected typo), so a rename with small corrections is still recognised.
    """
    from rapidfuzz import fuzz, process

    largest = max(_words(a), _words(b))
    if not largest:
        return 0.0
    same = _words(a & b)
    rest = list(b - a)
    for text in a - b:
        if rest and process.extractOne(text, rest, scorer=fuzz.ratio, score_cutoff=90) is not None:
            same += len(text.split())
    return same / largest


def renamed_from(msgids: frozenset[str], candidates: dict[str, Orphan]) -> Orphan | None:
    """The orphan this new document most likely was before a rename, if any is close enough."""
    best = max(candidates.values(), key=lambda o: (similarity(msgids, o.msgids), o.doc_id), default=None)
    if best is None or similarity(msgids, best.msgids) < RENAMED_SIMILARITY:
        return None
    return best


def retire(config: Config, path: Path, lang: str) -> Path:
    """Move an orphaned catalog to ``i18n/retired/<lang>/``; never over another file."""
    folder = config.i18n_dir / RETIRED / lang
    target = folder / path.name
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}.{counter}{path.suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(path, target)
    except OSError as exc:
        raise os_error(exc, path, "retire the old catalog") from None
    return target


def is_book(folder: Path) -> bool:
    """Whether ``folder`` is an expanded EPUB the pipeline wrote (never remove anything else)."""
    mimetype = folder / "mimetype"
    return (folder.is_dir() and not folder.is_symlink() and mimetype.is_file()
            and mimetype.read_bytes() == b"application/epub+zip")


def books_without_source(exports: Path, sources: set[str]) -> list[Path]:
    """Exported books (``<lang>/<doc>[.<edition>]``) whose document has no source any more."""
    found = []
    for folder in sorted(exports.glob("*/*"), key=lambda path: path.parts):
        doc = folder.name
        for suffix in EDITION_SUFFIXES:
            doc = doc.removesuffix(suffix)
        if doc != "collection" and doc not in sources and is_book(folder):
            found.append(folder)
    return found


def remove_book(folder: Path) -> bool:
    """Remove an exported book and its ``.epub``; False when there was none."""
    epub = folder.with_name(folder.name + ".epub")
    removed = False
    try:
        if is_book(folder):
            shutil.rmtree(folder)
            removed = True
        if epub.is_file() and not epub.is_symlink():
            epub.unlink()
            removed = True
    except OSError as exc:
        raise os_error(exc, folder, "remove the withdrawn book") from None
    return removed
