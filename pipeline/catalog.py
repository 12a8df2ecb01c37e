"""Catalog rules: building templates from documents, merging them into PO files, counting.

Pure functions over ``po.Catalog`` values.  ``update`` owns every merge rule,
following GNU msgmerge: exact matches keep their translation and state, edited
messages inherit the nearest old translation as fuzzy with the old source as
the previous msgid, removed messages become obsolete and come back when their
text returns.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz, process

from . import __version__
from .blocks import legacy_unit
from .po import Catalog, Message
from .segment import Document

FUZZY_THRESHOLD = 0.6  # msgmerge's FUZZY_THRESHOLD
MT_PREFIX = "machine translation: "
TM_PREFIX = "translation memory: "
NOTE_PREFIX = "machine translation problem: "
APPROVED_NOTE = "approved by a reviewer before the source text changed"
_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def project_id(doc: Document, project: str) -> str:
    """``Project-Id-Version``: project, document id and the article's title, which Poedit shows
    in the catalog's properties, so a reviewer knows which article a file holds."""
    title = _one_line(doc.metadata.title)
    return f"{project} {doc.doc_id}: {title}" if title else f"{project} {doc.doc_id}"


def template(doc: Document, project: str, source_language: str, created: str) -> Catalog:
    """The POT for one document: one entry per distinct translatable block, in reading order."""
    order: list[str] = []
    refs: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for block in doc.translatable():
        if block.text not in refs:
            order.append(block.text)
            refs[block.text], kinds[block.text] = [], []
        ref = f"{doc.source}:{block.line}"
        if ref not in refs[block.text]:
            refs[block.text].append(ref)
        if block.label not in kinds[block.text]:
            kinds[block.text].append(block.label)
    messages = tuple(
        Message(msgid=text, extracted_comments=tuple(f"type: {k}" for k in kinds[text]),
                references=tuple(refs[text]))
        for text in order
    )
    header = (
        ("Project-Id-Version", project_id(doc, project)),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", created),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", f"pipeline {__version__}"),
        ("X-Source-Language", source_language),
    )
    title = _one_line(doc.metadata.title)
    comments = (f"Translation template for “{title}” ({doc.doc_id}, {project})." if title
                else f"Translation template for {doc.doc_id} ({project}).", f"Source: {doc.source}", "")
    return Catalog(header=header, header_comments=comments, header_fuzzy=True, messages=messages)


def new_translation(pot: Catalog, lang: str, language_name: str, plural_forms: str, now: str) -> Catalog:
    """An empty PO for ``lang`` with a complete header that ``msgfmt -c`` accepts."""
    header = (
        ("Project-Id-Version", pot.header_value("Project-Id-Version")),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", pot.header_value("POT-Creation-Date")),
        ("PO-Revision-Date", now),
        ("Last-Translator", ""),
        ("Language-Team", language_name),
        ("Language", lang),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms),
        ("X-Generator", f"pipeline {__version__}"),
        ("X-Source-Language", pot.header_value("X-Source-Language")),
    )
    doc = pot.header_value("Project-Id-Version")
    comments = (f"{language_name} translation of {doc}.",
                "Machine-drafted by pipeline; an entry is approved when it is not fuzzy.", "")
    return Catalog(header=header, header_comments=comments, messages=())


def similarity(a: str, b: str) -> float:
    """msgmerge's measure (``fstrcmp``): 1 - insertions and deletions / total length."""
    return fuzz.ratio(a, b, processor=None) / 100.0


class _Nearest:
    """Finds the most similar translated old entry for an edited paragraph.

    Small catalogs (one article) are searched exhaustively.  Large ones first
    shortlist candidates that share the most distinctive words with the query
    (msgmerge pre-filters by character trigrams the same way), then score the
    shortlist exactly, so a merge stays near linear in the catalog's size.
    """

    EXHAUSTIVE = 400
    SHORTLIST = 24
    BUDGET = 4000  # word postings looked at per query, rarest words first

    def __init__(self, choices: list[str]) -> None:
        self.choices = choices
        self.index: dict[str, Any] | None = None
        if len(choices) > self.EXHAUSTIVE:
            import numpy as np

            index: dict[str, list[int]] = {}
            for position, text in enumerate(choices):
                for word in set(_WORD.findall(text.lower())):
                    index.setdefault(word, []).append(position)
            self.index = {word: np.array(found, dtype=np.int64) for word, found in index.items()}
            self._order = np.arange(len(choices), dtype=np.int64)

    def __call__(self, msgid: str) -> int | None:
        """Index of the most similar candidate at or above the threshold; the first on a tie."""
        if not self.choices:
            return None
        if self.index is None:
            found = process.extractOne(msgid, self.choices, scorer=fuzz.ratio, processor=None,
                                       score_cutoff=FUZZY_THRESHOLD * 100)
            return None if found is None else found[2]
        import numpy as np

        postings = sorted((self.index[w] for w in set(_WORD.findall(msgid.lower())) if w in self.index), key=len)
        chosen, budget = [], self.BUDGET
        for positions in postings:
            if budget <= 0:
                break
            chosen.append(positions)
            budget -= len(positions)
        if not chosen:
            return None
        votes = np.bincount(np.concatenate(chosen), minlength=len(self.choices))
        rank = votes * (len(self.choices) + 1) - self._order  # more shared words first, then file order
        count = min(self.SHORTLIST, int(np.count_nonzero(votes)))
        shortlist = sorted(int(p) for p in np.argpartition(-rank, count - 1)[:count])
        best, score = None, FUZZY_THRESHOLD * 100
        for position in shortlist:
            value = fuzz.ratio(msgid, self.choices[position], processor=None, score_cutoff=score)
            if value > score or (value == score and best is None and value):
                best, score = position, value
        return best


def update(po: Catalog, pot: Catalog) -> Catalog:
    """Merge a template into a translation catalog (msgmerge semantics, see module doc).

    Like msgmerge, any translated old entry (active, obsolete, fuzzy, or exactly
    matched elsewhere) may lend its translation to an edited paragraph.  Unlike
    msgmerge, the previous msgid is recorded even when the old entry was already
    fuzzy, so a stale machine draft can be told apart from a current one.
    """
    by_key = {m.key: m for m in po.messages}
    reverted = {(m.msgctxt, m.previous_msgid): m for m in po.messages
                if m.previous_msgid is not None and _approved_note(m) in m.translator_comments}
    pot_keys = {m.key for m in pot.messages}
    candidates = [m for m in po.messages if m.msgstr]
    nearest = _Nearest([m.msgid for m in candidates])
    legacy = _legacy_units(po, pot_keys)
    used: set[tuple[str | None, str]] = set()
    merged: list[Message] = []
    for new in pot.messages:
        old = by_key.get(new.key)
        if old is not None:
            used.add(old.key)
            merged.append(replace(old, extracted_comments=new.extracted_comments,
                                  references=new.references, obsolete=False,
                                  previous_msgid=old.previous_msgid if old.fuzzy else None))
            continue
        back = reverted.get(new.key)
        if back is not None:
            used.add(back.key)
            merged.append(replace(new, msgstr=back.msgstr, flags=back.with_flag("fuzzy", False).flags,
                                  translator_comments=tuple(c for c in back.translator_comments
                                                            if not c.startswith(APPROVED_NOTE))))
            continue
        was = legacy.get(new.key)
        if was is not None and was[0].key not in used:
            used.add(was[0].key)
            merged.append(replace(new, msgstr=was[1], flags=was[0].flags, obsolete=False,
                                  translator_comments=was[0].translator_comments))
            continue
        index = nearest(new.msgid)
        if index is None:
            merged.append(new)
            continue
        best = candidates[index]
        used.add(best.key)
        merged.append(_fuzzy_match(new, best))
    # As msgcat and msgmerge: an obsolete entry without translation holds nothing.
    merged += [replace(old, obsolete=True, references=(), extracted_comments=()) for old in po.messages
               if old.key not in used and old.key not in pot_keys and old.msgstr]
    source = pot.header_value("X-Source-Language")  # the article's language, as segment decided it
    header = Catalog(header=po.header).with_header(
        POT_Creation_Date=pot.header_value("POT-Creation-Date"),
        Project_Id_Version=pot.header_value("Project-Id-Version"),
        **({"X_Source_Language": source} if source else {}),
    ).header
    return replace(po, header=header, header_comments=_renamed(po, pot), messages=tuple(merged))


def _fuzzy_match(new: Message, best: Message) -> Message:
    """``new`` with the translation of the nearest old entry, fuzzy, the old source as previous msgid;
    an approved translation carries a note (with its checksum) that a reviewer approved it."""
    comments = best.translator_comments
    if not best.fuzzy:
        comments = tuple(c for c in comments if not c.startswith((MT_PREFIX, APPROVED_NOTE)))
        comments = (*comments, _approved_note(best))
    return replace(new, msgstr=best.msgstr, translator_comments=comments, flags=best.with_flag("fuzzy", True).flags,
                   previous_msgid=best.previous_msgid if best.fuzzy and best.previous_msgid else best.msgid)


def _legacy_units(po: Catalog, pot_keys: set[tuple[str | None, str]]
                  ) -> dict[tuple[str | None, str], tuple[Message, str]]:
    """Entries of a catalog written before bodies were parsed as Markdown (``## Background``,
    ``> a quote``, ``- an item``), by the unit they hold now, with that marker off the translation
    too: the same text under its new msgid keeps its translation and its state."""
    found: dict[tuple[str | None, str], tuple[Message, str]] = {}
    for old in po.messages:
        unit = legacy_unit(old.msgid)
        if unit is None or not old.msgstr or old.key in pot_keys:
            continue
        marker, text = unit
        translated = legacy_unit(old.msgstr)
        msgstr = translated[1] if translated is not None and translated[0] == marker else old.msgstr
        found.setdefault((old.msgctxt, text), (old, msgstr))
    return found


def _renamed(po: Catalog, pot: Catalog) -> tuple[str, ...]:
    """The pipeline's first header comment (``<Language> translation of <Project-Id-Version>.``)
    follows the template's project id, so it keeps naming the article's current title; any
    comment a translator wrote is left alone."""
    comments, old, new = po.header_comments, po.header_value("Project-Id-Version"), pot.header_value(
        "Project-Id-Version")
    if comments and old != new and comments[0].endswith(f" translation of {old}."):
        return (comments[0][:-len(old) - 1] + new + ".", *comments[1:])
    return comments


def _approved_note(msg: Message) -> str:
    """Marks an approved translation whose source was then edited; a revert restores it."""
    return f"{APPROVED_NOTE} [{fingerprint(msg.msgstr)}]"


def fingerprint(text: str) -> str:
    """A short checksum of a draft, so any human edit of it can be noticed later."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _without_provenance(msg: Message) -> tuple[str, ...]:
    return tuple(c for c in msg.translator_comments
                 if not c.startswith((MT_PREFIX, TM_PREFIX, APPROVED_NOTE, NOTE_PREFIX)))


def newlines_as(msgid: str, text: str) -> str:
    """``text`` beginning and ending with a newline exactly when ``msgid`` does, as msgfmt -c requires
    (the reader refuses a catalog where they disagree)."""
    if not text.strip("\n"):
        return text
    core = text.strip("\n")
    return ("\n" if msgid.startswith("\n") else "") + core + ("\n" if msgid.endswith("\n") else "")


def with_draft(msg: Message, text: str, provenance: str, notes: Iterable[str] = ()) -> Message:
    """Fill an entry with a machine draft: fuzzy, current, says which engine wrote it and what
    had to be repaired in it."""
    if msg.plural:
        return msg  # plural entries (a compendium's) are kept untouched: never drafted
    comments = _without_provenance(msg)
    text = newlines_as(msg.msgid, text)
    return replace(msg, msgstr=text, flags=msg.with_flag("fuzzy", True).flags, previous_msgid=None,
                   translator_comments=(*comments, f"{MT_PREFIX}{provenance} [{fingerprint(text)}]",
                                        *(NOTE_PREFIX + note for note in notes)))


def with_memory(msg: Message, text: str, origin: str) -> Message:
    """Fill an entry from the translation memory: fuzzy, because the context may differ."""
    if msg.plural:
        return msg  # plural entries (a compendium's) are kept untouched: never drafted
    comments = _without_provenance(msg)
    text = newlines_as(msg.msgid, text)
    return replace(msg, msgstr=text, flags=msg.with_flag("fuzzy", True).flags, previous_msgid=None,
                   translator_comments=(*comments, TM_PREFIX + origin))


def is_machine_draft(msg: Message) -> bool:
    """An unapproved draft exactly as an engine wrote it: no human has touched or approved it."""
    if not msg.fuzzy or not msg.msgstr:
        return False
    mark = f"[{fingerprint(msg.msgstr)}]"
    return any(c.startswith(MT_PREFIX) and c.endswith(mark) for c in msg.translator_comments)


NOT_BODY = frozenset({"metadata", "boilerplate"})  # reported apart from the approved share


def is_body(msg: Message) -> bool:
    """Whether an entry is body content (title, headings, paragraphs, items, quotes, notes...).

    The approved share counts only these: approving a donation appeal must not
    make an article look translated.  An entry without a ``type:`` comment counts.
    """
    kinds = [c[len("type: "):] for c in msg.extracted_comments if c.startswith("type: ")]
    return not kinds or any(kind not in NOT_BODY for kind in kinds)


def was_approved(msg: Message) -> bool:
    """A stale entry whose text a reviewer approved before the source changed (human text)."""
    return state(msg) == "stale" and any(c.startswith(APPROVED_NOTE) for c in msg.translator_comments)


class State(StrEnum):
    """Where an entry stands in review (a string too: ``state(m) == "approved"`` reads naturally)."""

    APPROVED = "approved"  # translated, not fuzzy: a reviewer cleared Needs work
    DRAFT = "draft"  # fuzzy: a machine draft or a memory suggestion awaiting review
    STALE = "stale"  # fuzzy with a previous msgid: the source changed since it was written or approved
    UNTRANSLATED = "untranslated"


def state(msg: Message) -> State:
    """approved, stale (fuzzy, source edited since), draft (fuzzy) or untranslated."""
    if not msg.msgstr:
        return State.UNTRANSLATED
    if not msg.fuzzy:
        return State.APPROVED
    return State.STALE if msg.previous_msgid is not None else State.DRAFT


def memory(catalogs: Iterable[tuple[str, Catalog]]) -> dict[str, tuple[str, str]]:
    """Approved translations by source text, from every catalog given (first origin wins)."""
    found: dict[str, tuple[str, str]] = {}
    for origin, catalog in catalogs:
        for msg in catalog.messages:
            if msg.msgctxt is None and state(msg) == "approved" and msg.msgid not in found:
                found[msg.msgid] = (msg.msgstr, origin)
    return found
