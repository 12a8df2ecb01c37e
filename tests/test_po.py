"""The PO writer against real GNU gettext: msgcat byte identity and msgfmt -c."""

from __future__ import annotations

import importlib
import io
import random
from pathlib import Path

import pytest
from helpers import SEEDS, msgcat, msgfmt_check

from pipeline.errors import CatalogError
from pipeline.po import Catalog, Message, dumps, load_po, read_po, wrap
from pipeline.segment import segment
from pipeline.sources import read_source

WORDS = ["a", "the", "US-led", "“quoted”", "‘single’", "(paren)", "[link](#)", "**bold**", "…", "–", "—",
         "/", "http://example.org/a/b?c=d", "3.5%", "$100", "don't", "e-mail", "A\\B", '"x"', "tab\there",
         "x\ny", "\n", "end.\n", "日本語", "à", "x/y", "1,000", "ab-cd-ef", "--", "foo—bar", "x;y",
         "supercalifragilisticexpialidocious" * 3]


def sample_catalog(seed: int) -> Catalog:
    rng = random.Random(seed)
    messages: list[Message] = []
    seen: set[str] = set()
    for path in SEEDS:
        doc = segment(read_source(path, f"seeds/{path.name}"))
        for block in doc.translatable():
            if block.text in seen:
                continue
            seen.add(block.text)
            messages.append(Message(
                msgid=block.text, msgstr=block.text[::-1], flags=("fuzzy",) if rng.random() < 0.5 else (),
                extracted_comments=(f"type: {block.kind}",),
                references=tuple(f"seeds/{path.name}:{block.line + k}" for k in range(rng.randint(1, 6))),
                previous_msgid=block.text[: rng.randint(0, 200)] if rng.random() < 0.3 else None,
                translator_comments=("machine translation: apertium eng-spa",)))
    for i in range(300):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 50))) + f" #{i}"
        messages.append(Message(msgid=text, msgstr=text.upper(), obsolete=rng.random() < 0.15,
                                previous_msgid=text[:30] if rng.random() < 0.2 else None))
    header = (("Project-Id-Version", "test"), ("Language", "es"),
              ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
              ("Plural-Forms", "nplurals=2; plural=(n != 1);"), ("X-Long", "word " * 40))
    return Catalog(header=header, header_comments=("A title", "", "Second line"), messages=tuple(messages))


@pytest.mark.parametrize("seed", range(4), ids=lambda s: f"seed{s}")
def test_msgcat_round_trip_is_byte_identical(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "sample.po"
    path.write_text(dumps(sample_catalog(seed)), encoding="utf-8")
    assert msgcat(path) == path.read_bytes()


def test_read_then_write_gives_the_same_file(tmp_path: Path) -> None:
    text = dumps(sample_catalog(9))
    again = dumps(read_po(io.BytesIO(text.encode()), "x.po"))
    assert again == text


def test_msgfmt_accepts_written_catalog(tmp_path: Path) -> None:
    path = tmp_path / "sample.po"
    path.write_text(dumps(sample_catalog(3)), encoding="utf-8")
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value, expected", [
    ("", ['msgid ""']),
    ("short", ['msgid "short"']),
    ("two\nlines", ['msgid ""', '"two\\n"', '"lines"']),
    ("x" * 80, ['msgid "' + "x" * 80 + '"']),  # no break opportunity: msgcat keeps one long line
], ids=["empty", "short", "newline", "unbreakable"])
def test_wrap_layout(value: str, expected: list[str]) -> None:
    assert wrap("msgid", value) == expected


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "a"\nmsgstr "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_po(path)
    assert info.value.path == path
    assert info.value.lineno == 6


def test_reader_agrees_with_polib() -> None:
    import polib

    text = dumps(sample_catalog(5))
    ours = read_po(io.BytesIO(text.encode()), "x.po")
    theirs = polib.pofile(text)
    # polib does not read "#~|" previous msgids, so those are compared for active entries only
    expected = [(e.msgid, e.msgstr, tuple(e.flags), None if e.obsolete else e.previous_msgid, bool(e.obsolete))
                for e in theirs]  # file order, obsolete entries included
    assert [(m.msgid, m.msgstr, m.flags, None if m.obsolete else m.previous_msgid, m.obsolete)
            for m in ours.messages] == expected


def test_obsolete_entry_right_after_an_active_one_does_not_swallow_it() -> None:
    text = (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            b'msgid "kept"\nmsgstr ""\n\n#~ msgid "gone"\n#~ msgstr "ido"\n')
    messages = read_po(io.BytesIO(text), "x.po").messages
    assert [(m.msgid, m.obsolete) for m in messages] == [("kept", False), ("gone", True)]


@pytest.mark.parametrize("msgid, draft, expected", [
    ("Para\n", "Texto", "Texto\n"), ("\nPara", "Texto\n", "\nTexto"), ("Para", "\nTexto\n", "Texto"),
    ("Para", "Texto", "Texto"), ("Para\n", "", ""),
], ids=["adds-trailing", "moves", "removes", "same", "empty"])
def test_drafts_agree_with_their_msgid_on_newlines(tmp_path: Path, msgid: str, draft: str, expected: str) -> None:
    """A draft that msgfmt -c would refuse (and so the reader) is never written."""
    from pipeline.catalog import with_draft

    msg = with_draft(Message(msgid=msgid), draft, "apertium eng-spa")
    assert msg.msgstr == expected
    path = tmp_path / "draft.po"
    path.write_text(dumps(Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),), messages=(msg,))),
                    encoding="utf-8")
    assert msgfmt_check(path).returncode == 0
    assert load_po(path).messages[0].msgstr == expected


def test_plural_entries_are_never_drafted() -> None:
    from pipeline.catalog import with_draft, with_memory

    msg = Message(msgid="File", msgid_plural="Files", msgstr_plural=("", ""))
    assert with_draft(msg, "Fichero", "apertium eng-spa") == msg
    assert with_memory(msg, "Fichero", "i18n/es/other.po") == msg


def test_a_changed_header_field_rewrites_only_its_line(tmp_path: Path) -> None:
    from pipeline.po import loads_po

    text = ('msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"PO-Revision-Date: 2020-01-01 00:00+0000\\n"\n'
            '"X-Poedit-Basepath:..\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"X-Generator: Poedit 3.2"\n\n'
            'msgid "A"\nmsgstr "B"\n')
    catalog = loads_po(text.encode(), "x.po")
    assert dumps(catalog) == text  # already in msgcat form: kept byte for byte
    changed = dumps(catalog.with_header(PO_Revision_Date="2026-01-01 00:00+0000", Language="es"))
    assert changed == text.replace("2020-01-01", "2026-01-01").replace(
        '"X-Generator: Poedit 3.2"\n', '"X-Generator: Poedit 3.2\\n"\n"Language: es\\n"\n')
    path = tmp_path / "x.po"
    path.write_text(changed, encoding="utf-8")
    assert msgfmt_check(path).returncode == 0
    assert msgcat(path) == changed.encode()


# ------------------------------------------------------------------ without libunistring

_PLAIN_WORDS = ["a", "de", "the", "solidarité", "Venezuela", "2026", "workers,", "árbol.", "x" * 70, "Ñandú;",
                "internationalisation", "ok:"]


@pytest.mark.parametrize("seed", range(3), ids=lambda s: f"seed{s}")
def test_fallback_breaker_matches_msgcat_where_spaces_are_the_only_breaks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Without libunistring the writer breaks after single spaces only: msgcat's layout for prose
    whose only break opportunities are spaces (no hyphens, slashes, CJK or double spaces)."""
    monkeypatch.setattr(importlib.import_module("pipeline.po.wrap"), "_linebreaker", lambda: None)
    rng = random.Random(seed)
    messages = tuple(Message(msgid=" ".join(rng.choice(_PLAIN_WORDS) for _ in range(rng.randint(1, 60))) + f" {i}",
                             msgstr=" ".join(rng.choice(_PLAIN_WORDS) for _ in range(rng.randint(0, 60))))
                     for i in range(200))
    catalog = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),), messages=messages)
    path = tmp_path / "fallback.po"
    path.write_text(dumps(catalog), encoding="utf-8")
    assert msgcat(path) == path.read_bytes()


def test_fallback_breaker_writes_catalogs_gettext_reads_back_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libunistring would break elsewhere (hyphens, slashes, CJK), the layout may differ from
    msgcat's, but the strings gettext reads are exactly the ones written."""
    monkeypatch.setattr(importlib.import_module("pipeline.po.wrap"), "_linebreaker", lambda: None)
    catalog = sample_catalog(7)
    catalog = Catalog(header=catalog.header, messages=catalog.messages + (
        Message(msgid="state-of-the-art/left-wing " * 8 + "中文的句子没有空格" * 6, msgstr="x"),))
    path = tmp_path / "fallback.po"
    path.write_text(dumps(catalog), encoding="utf-8")
    assert msgcat(path) != path.read_bytes(), "libunistring breaks after hyphens and between CJK characters"
    again = read_po(io.BytesIO(msgcat(path)), "msgcat output")
    assert [(m.msgid, m.msgstr) for m in again.messages] == [(m.msgid, m.msgstr) for m in catalog.messages
                                                             if not m.obsolete] + [
        (m.msgid, m.msgstr) for m in catalog.messages if m.obsolete]
    assert msgfmt_check(path).returncode == 0
