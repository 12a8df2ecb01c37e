"""Review work that spreads: approved paragraphs reused wherever the same paragraph appears.

An approval is the expensive part of translation.  When a paragraph (same
source text, same kind: paragraph, heading, boilerplate, …) is approved in one
catalog of a language, every other catalog of that language gets it: empty
entries and machine drafts that no human touched (their checksum still
matches) are replaced by the human translation, fuzzy, with a ``translation
memory:`` comment naming the catalog it came from, or approved outright when
the project asks for it (boilerplate such as a donation appeal).  Paragraphs
that are only similar (90 % or more) get the approved translation offered in a
translator comment, as Poedit's fuzzy matches are, and nothing else changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from . import catalog as cat
from .po import Catalog, Message

SUGGESTION_PREFIX = "translation memory suggestion "
SUGGESTION_THRESHOLD = 0.9
SUGGESTIONS = 2  # at most this many offered per entry


@dataclass(frozen=True, kw_only=True)
class Approved:
    """One approved translation and the catalog it was approved in."""

    msgid: str
    kind: str
    text: str
    origin: str


def kind_of(msg: Message) -> str:
    """The block kind from ``#. type: …`` (paragraph, heading, boilerplate, …); empty when absent."""
    for comment in msg.extracted_comments:
        if comment.startswith("type:"):
            return comment[5:].strip()
    return ""


@dataclass(frozen=True, kw_only=True)
class Memory:
    """Approved translations of a language, by (source text, kind), first catalog first."""

    exact: dict[tuple[str, str], Approved]
    entries: tuple[Approved, ...]  # one per source text, shortest first
    lengths: list[int] = field(default_factory=list)

    def get(self, msg: Message) -> Approved | None:
        return self.exact.get((msg.msgid, kind_of(msg))) if msg.msgctxt is None else None

    def similar(self, msg: Message) -> list[tuple[float, Approved]]:
        """Approved paragraphs of another source text at least 90 % similar, best first."""
        if not self.entries or msg.msgctxt is not None:
            return []
        # 2·common / (a + b) >= t needs the shorter text to be at least t / (2 - t) of the longer one
        ratio = SUGGESTION_THRESHOLD / (2 - SUGGESTION_THRESHOLD)
        low = bisect.bisect_left(self.lengths, int(len(msg.msgid) * ratio))
        high = bisect.bisect_right(self.lengths, int(len(msg.msgid) / ratio) + 1)
        window = self.entries[low:high]
        found = process.extract(msg.msgid, [a.msgid for a in window], scorer=fuzz.ratio, processor=None,
                                score_cutoff=SUGGESTION_THRESHOLD * 100, limit=SUGGESTIONS + 1)
        out = [(score / 100.0, window[index]) for _, score, index in found if window[index].msgid != msg.msgid]
        return out[:SUGGESTIONS]


def build(catalogs: Iterable[tuple[str, Catalog]]) -> Memory:
    """The memory of every approved entry of ``catalogs`` (origin: the catalog's path as shown)."""
    exact: dict[tuple[str, str], Approved] = {}
    for origin, catalog in catalogs:
        for msg in catalog.active():
            if msg.msgctxt is None and cat.state(msg) == "approved":
                exact.setdefault((msg.msgid, kind_of(msg)),
                                 Approved(msgid=msg.msgid, kind=kind_of(msg), text=msg.msgstr, origin=origin))
    unique: dict[str, Approved] = {}
    for approved in exact.values():
        unique.setdefault(approved.msgid, approved)  # one per source text, first origin wins
    entries = tuple(sorted(unique.values(), key=lambda a: (len(a.msgid), a.msgid)))
    return Memory(exact=exact, entries=entries, lengths=[len(a.msgid) for a in entries])


def _from_memory(msg: Message) -> bool:
    return msg.fuzzy and any(c.startswith(cat.TM_PREFIX) for c in msg.translator_comments)


def propagate(msg: Message, memory: Memory, approve: bool) -> Message | None:
    """``msg`` replaced by the approved translation of the same paragraph, or None to leave it.

    Only a machine draft no human touched (checksum intact) is replaced; an
    entry the memory filled earlier is approved when ``approve`` is asked for
    and it still holds exactly the approved text.  Nothing a human wrote changes.
    """
    found = memory.get(msg)
    if found is None or msg.obsolete or cat.state(msg) == "approved":
        return None
    if cat.is_machine_draft(msg):
        new = cat.with_memory(msg, found.text, found.origin)
    elif approve and _from_memory(msg) and msg.msgstr == found.text:
        new = msg
    else:
        return None
    return new.with_flag("fuzzy", False) if approve else new


def fill(msg: Message, found: Approved, approve: bool) -> Message:
    """An empty (or re-drafted) entry filled from the memory."""
    new = cat.with_memory(msg, found.text, found.origin)
    return new.with_flag("fuzzy", False) if approve else new


def _suggestion(score: float, found: Approved) -> str:
    return f"{SUGGESTION_PREFIX}({score:.0%}, {found.origin}): {' '.join(found.text.split())}"


def with_suggestions(msg: Message, memory: Memory) -> Message:
    """Similar approved paragraphs offered in translator comments, replacing earlier offers.

    Only untranslated entries, machine drafts and memory copies get offers: an
    entry a human is working on keeps its comments as they are.
    """
    if msg.obsolete or not (not msg.msgstr or cat.is_machine_draft(msg) or _from_memory(msg)):
        return msg
    offers: Sequence[tuple[float, Approved]] = memory.similar(msg) if cat.state(msg) != "approved" else []
    kept = tuple(c for c in msg.translator_comments if not c.startswith(SUGGESTION_PREFIX))
    comments = (*kept, *(_suggestion(score, found) for score, found in offers))
    return msg if comments == msg.translator_comments else replace(msg, translator_comments=comments)
