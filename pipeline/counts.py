"""Review progress of a catalog: entries and source words per state, and the approved share.

The entry counts are ``msgfmt --statistics``'s; the approved share counts body
words only (see ``catalog.is_body``), the one figure ``status``, the books, the
web edition and ``--min-approved`` all show.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import State, is_body, state, word_count
from .po import Catalog

STATES = tuple(State)


@dataclass(frozen=True)
class Counts:
    """Entries and source words per state (see ``state``)."""

    approved: int = 0
    drafts: int = 0
    stale: int = 0
    untranslated: int = 0
    approved_words: int = 0
    draft_words: int = 0
    stale_words: int = 0
    untranslated_words: int = 0
    body_words: int = 0  # words of body entries (see ``is_body``); the rest is boilerplate and metadata
    body_approved_words: int = 0

    @property
    def boilerplate_words(self) -> int:
        return self.total_words - self.body_words

    @property
    def total(self) -> int:
        return self.approved + self.drafts + self.stale + self.untranslated

    @property
    def total_words(self) -> int:
        return self.approved_words + self.draft_words + self.stale_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Approved share of the body's words, the figure reviewers and readers care about."""
        if self.body_words:
            return 100.0 * self.body_approved_words / self.body_words
        return 100.0 * self.approved_words / self.total_words if self.total_words else 100.0

    @property
    def msgfmt(self) -> tuple[int, int, int]:
        """(translated, fuzzy, untranslated) exactly as ``msgfmt --statistics`` reports them."""
        return self.approved, self.drafts + self.stale, self.untranslated

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.approved, self.drafts, self.stale, self.untranslated, self.approved_words,
                self.draft_words, self.stale_words, self.untranslated_words, self.body_words,
                self.body_approved_words)


def count(catalog: Catalog) -> Counts:
    entries = dict.fromkeys(STATES, 0)
    words = dict.fromkeys(STATES, 0)
    body = body_approved = 0
    for msg in catalog.active():
        kind = state(msg)
        entries[kind] += 1
        n = word_count(msg.msgid)
        words[kind] += n
        if is_body(msg):
            body += n
            body_approved += n if kind is State.APPROVED else 0
    return Counts(approved=entries[State.APPROVED], drafts=entries[State.DRAFT], stale=entries[State.STALE],
                  untranslated=entries[State.UNTRANSLATED], approved_words=words[State.APPROVED],
                  draft_words=words[State.DRAFT], stale_words=words[State.STALE],
                  untranslated_words=words[State.UNTRANSLATED], body_words=body, body_approved_words=body_approved)
