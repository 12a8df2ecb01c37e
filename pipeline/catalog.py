"""Catalog rules: building templates from documents, merging them into PO files, counting.

Pure functions over ``po.Catalog`` values.  ``update`` owns every merge rule,
following GNU msgmerge: exact matches keep their translation and state, edited
messages inherit the nearest old translation as fuzzy with the old source as
the previous msgid, removed messages become obsolete and come back when their
text returns.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from . import __version__
from .po import Catalog, Message
from .segment import Document

FUZZY_THRESHOLD = 0.6  # msgmerge's FUZZY_THRESHOLD
MT_PREFIX = "machine translation: "
_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


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
        if block.kind not in kinds[block.text]:
            kinds[block.text].append(block.kind)
    messages = tuple(
        Message(msgid=text, extracted_comments=tuple(f"type: {k}" for k in kinds[text]),
                references=tuple(refs[text]))
        for text in order
    )
    header = (
        ("Project-Id-Version", f"{project} {doc.doc_id}"),
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
    comments = (f"Translation template for {doc.doc_id} ({project}).",
                f"Source: {doc.source}", "")
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


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def update(po: Catalog, pot: Catalog) -> Catalog:
    """Merge a template into a translation catalog (msgmerge semantics, see module doc)."""
    by_key = {m.key: m for m in po.messages}
    pot_keys = {m.key for m in pot.messages}
    candidates = [m for m in po.messages if m.msgstr]
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
        best, score = None, FUZZY_THRESHOLD
        for cand in candidates:
            if cand.key in pot_keys:
                continue
            s = _similarity(new.msgid, cand.msgid)
            if s >= score and (best is None or s > score):
                best, score = cand, s
        if best is not None:
            used.add(best.key)
            merged.append(replace(new, msgstr=best.msgstr, translator_comments=best.translator_comments,
                                  flags=best.with_flag("fuzzy", True).flags, previous_msgid=best.msgid))
        else:
            merged.append(new)
    for old in po.messages:
        if old.key in used or old.key in pot_keys:
            continue
        if old.obsolete or old.msgstr:
            merged.append(replace(old, obsolete=True, references=(), extracted_comments=()))
    header = Catalog(header=po.header).with_header(
        POT_Creation_Date=pot.header_value("POT-Creation-Date"),
        Project_Id_Version=pot.header_value("Project-Id-Version"),
    ).header
    return replace(po, header=header, messages=tuple(merged))


def is_machine_draft(msg: Message) -> bool:
    return any(c.startswith(MT_PREFIX) for c in msg.translator_comments)


def with_draft(msg: Message, text: str, provenance: str) -> Message:
    """Fill an empty entry with a machine draft: fuzzy, and says which engine wrote it."""
    comments = tuple(c for c in msg.translator_comments if not c.startswith(MT_PREFIX))
    return replace(msg, msgstr=text, flags=msg.with_flag("fuzzy", True).flags,
                   translator_comments=(*comments, MT_PREFIX + provenance))


@dataclass(frozen=True)
class Counts:
    """Entries and source words per state, as ``msgfmt --statistics`` sees them."""

    approved: int = 0
    drafts: int = 0
    untranslated: int = 0
    approved_words: int = 0
    draft_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.drafts + self.untranslated

    @property
    def total_words(self) -> int:
        return self.approved_words + self.draft_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Approved share of source words, the figure reviewers care about."""
        return 100.0 * self.approved_words / self.total_words if self.total_words else 100.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.approved, self.drafts, self.untranslated,
                self.approved_words, self.draft_words, self.untranslated_words)


def count(catalog: Catalog) -> Counts:
    approved = drafts = untranslated = aw = dw = uw = 0
    for msg in catalog.active():
        words = word_count(msg.msgid)
        if not msg.msgstr:
            untranslated, uw = untranslated + 1, uw + words
        elif msg.fuzzy:
            drafts, dw = drafts + 1, dw + words
        else:
            approved, aw = approved + 1, aw + words
    return Counts(approved, drafts, untranslated, aw, dw, uw)
