"""Merge rules (msgmerge semantics) and counting, compared with GNU msgmerge where it applies."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.catalog import (
    APPROVED_NOTE,
    fingerprint,
    is_machine_draft,
    memory,
    new_translation,
    state,
    template,
    update,
    with_draft,
)
from pipeline.counts import count
from pipeline.po import Catalog, Message, dumps, load_po
from pipeline.segment import segment
from pipeline.sources import SourceText

BASE = ("A title for testing\n\n"
        "The first paragraph talks about the weather in the mountains today.\n\n"
        "The second paragraph explains why the workers went on strike last week.\n\n"
        "The third paragraph will be removed in the next version of the text.")
EDITED = ("A title for testing\n\n"
          "The first paragraph talks about the weather in the mountains today.\n\n"
          "The second paragraph explains why the dockers went on strike last week.\n\n"
          "A brand new closing paragraph about something else entirely, with numbers 1 2 3.")


def pot_of(text: str) -> Catalog:
    doc = segment(SourceText("doc", "seeds/doc.txt", text))
    return template(doc, "test", "en", "2026-01-01 00:00+0000")


def approved(po: Catalog) -> Catalog:
    messages = tuple(m.with_flag("fuzzy", False) if m.msgstr else m for m in po.messages)
    return Catalog(po.header, po.header_comments, po.header_fuzzy, messages)


def translated_base() -> Catalog:
    pot = pot_of(BASE)
    po = update(new_translation(pot, "es", "Spanish", "nplurals=2; plural=(n != 1);", "2026-01-01 00:00+0000"), pot)
    drafted = tuple(with_draft(m, "ES " + m.msgid, "apertium eng-spa") for m in po.messages)
    return approved(Catalog(po.header, po.header_comments, po.header_fuzzy, drafted))


def test_source_edit_keeps_reviewed_work() -> None:
    merged = update(translated_base(), pot_of(EDITED))
    by_id = {m.msgid: m for m in merged.messages}
    same = by_id["The first paragraph talks about the weather in the mountains today."]
    assert same.msgstr.startswith("ES The first") and not same.fuzzy
    edited = by_id["The second paragraph explains why the dockers went on strike last week."]
    assert edited.fuzzy
    assert edited.msgstr == "ES The second paragraph explains why the workers went on strike last week."
    assert edited.previous_msgid == "The second paragraph explains why the workers went on strike last week."
    new = by_id["A brand new closing paragraph about something else entirely, with numbers 1 2 3."]
    assert new.msgstr == "" and new.previous_msgid is None
    gone = by_id["The third paragraph will be removed in the next version of the text."]
    assert gone.obsolete and gone.msgstr.startswith("ES The third")


def test_removed_paragraph_comes_back_with_its_translation() -> None:
    merged = update(update(translated_base(), pot_of(EDITED)), pot_of(BASE))
    back = next(m for m in merged.messages if m.msgid.startswith("The third"))
    assert not back.obsolete and back.msgstr.startswith("ES The third") and not back.fuzzy


def test_merge_is_idempotent() -> None:
    once = update(translated_base(), pot_of(EDITED))
    assert dumps(update(once, pot_of(EDITED))) == dumps(once)


def test_agrees_with_gnu_msgmerge(tmp_path: Path) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(dumps(translated_base()), encoding="utf-8")
    pot.write_text(dumps(pot_of(EDITED)), encoding="utf-8")
    out = tmp_path / "gnu.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(old), str(pot)], check=True)
    gnu = {m.msgid: m for m in load_po(out).messages}
    ours = {m.msgid: m for m in update(translated_base(), pot_of(EDITED)).messages}
    assert set(gnu) == set(ours)
    for msgid, mine in ours.items():
        theirs = gnu[msgid]
        assert (mine.msgstr, mine.fuzzy, mine.previous_msgid, mine.obsolete) == \
               (theirs.msgstr, theirs.fuzzy, theirs.previous_msgid, theirs.obsolete), msgid


def test_counts_follow_msgfmt_statistics(tmp_path: Path) -> None:
    po = update(translated_base(), pot_of(EDITED))
    path = tmp_path / "x.po"
    path.write_text(dumps(po), encoding="utf-8")
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True, check=True, env={"LC_ALL": "C"}).stderr
    c = count(po)
    translated, fuzzy, untranslated = c.msgfmt
    assert stats.strip() == (f"{translated} translated messages, {fuzzy} fuzzy translation, "
                             f"{untranslated} untranslated message.")
    assert (c.approved, c.drafts, c.stale, c.untranslated) == (2, 0, 1, 1)


def test_draft_carries_provenance_and_fuzzy() -> None:
    msg = with_draft(Message("Hello"), "Hola", "argos translate-en_es-1.0")
    assert msg.fuzzy and msg.translator_comments == (
        f"machine translation: argos translate-en_es-1.0 [{fingerprint('Hola')}]",)
    assert is_machine_draft(msg)


@pytest.mark.parametrize("touch", [
    pytest.param(lambda m: m.with_flag("fuzzy", False), id="approved"),
    pytest.param(lambda m: replace(m, msgstr="Hola, corregido"), id="edited-still-fuzzy"),
])
def test_human_touch_ends_machine_draft(touch) -> None:  # type: ignore[no-untyped-def]
    assert not is_machine_draft(touch(with_draft(Message("Hello"), "Hola", "apertium eng-spa")))


def test_stale_approved_entry_loses_machine_provenance() -> None:
    """Once approved, a draft is human work: a later source edit must not make it refreshable."""
    merged = update(translated_base(), pot_of(EDITED))
    stale = next(m for m in merged.messages if m.msgid.startswith("The second"))
    assert state(stale) == "stale" and not is_machine_draft(stale)
    assert any(c.startswith(APPROVED_NOTE) for c in stale.translator_comments)


def test_stale_machine_draft_stays_refreshable() -> None:
    pot = pot_of(BASE)
    po = update(new_translation(pot, "es", "Spanish", "nplurals=2; plural=(n != 1);", "2026-01-01 00:00+0000"), pot)
    drafted = replace(po, messages=tuple(with_draft(m, "ES " + m.msgid, "apertium eng-spa")
                                         for m in po.messages))
    stale = next(m for m in update(drafted, pot_of(EDITED)).messages if m.msgid.startswith("The second"))
    assert state(stale) == "stale" and is_machine_draft(stale)
    assert stale.previous_msgid.startswith("The second paragraph explains why the workers")


def test_memory_holds_approved_translations_only() -> None:
    a = Catalog(messages=(Message("One", "Uno"), Message("Two", "Dos", flags=("fuzzy",)),
                          Message("Three", "Tres", obsolete=True)))
    b = Catalog(messages=(Message("One", "Uno bis"), Message("Four", "")))
    assert memory([("a.po", a), ("b.po", b)]) == {"One": ("Uno", "a.po"), "Three": ("Tres", "a.po")}


def test_reverted_edit_restores_the_approval() -> None:
    """An approved paragraph edited and then changed back needs no second review."""
    back = update(update(translated_base(), pot_of(EDITED)), pot_of(BASE))
    second = next(m for m in back.messages if m.msgid.startswith("The second"))
    assert state(second) == "approved" and second.msgstr.startswith("ES The second paragraph")
    assert not any(c.startswith(APPROVED_NOTE) for c in second.translator_comments)


def test_revert_after_the_reviewer_edited_the_stale_text_stays_fuzzy() -> None:
    stale = update(translated_base(), pot_of(EDITED))
    touched = replace(stale, messages=tuple(
        replace(m, msgstr="Texto nuevo") if m.msgid.startswith("The second") else m for m in stale.messages))
    second = next(m for m in update(touched, pot_of(BASE)).messages if m.msgid.startswith("The second"))
    assert second.fuzzy and second.msgstr == "Texto nuevo"
