"""The review lifecycle: sources change, reviewers approve, nothing reviewed is ever lost.

Everything here runs the real command (CliRunner) with real apertium, and
checks catalogs with GNU gettext where it has an opinion.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import approve, invoke, msgcat, msgfmt_check

from pipeline.catalog import APPROVED_NOTE, is_machine_draft, state
from pipeline.config import load_config
from pipeline.counts import count
from pipeline.errors import ConflictError
from pipeline.po import dumps, load_po
from pipeline.stages.translate import translate_language

pytestmark = pytest.mark.slow  # every test drafts with real apertium

DOC = "002_a52b92a0a50288ae"
OTHER = "003_70e39d520399d067"
EDITED_FROM = "The Kremlin has become one of Caracas' key allies"
EDITED_TO = "The Kremlin has become one of Caracas' closest allies"
DRAFT_FROM = "Russian Foreign Minister Sergey Lavrov"


@pytest.fixture()
def drafted(project: Path) -> Path:
    result = invoke("run", "-l", "es")
    assert result.exit_code == 0, result.output
    return project


def _po(root: Path, doc: str = DOC, lang: str = "es") -> Path:
    return root / "i18n" / lang / f"{doc}.po"


def _entry(path: Path, prefix: str):  # type: ignore[no-untyped-def]
    return next(m for m in load_po(path).messages if m.msgid.startswith(prefix))


def _edit_source(root: Path, old: str, new: str, doc: str = DOC) -> None:
    source = root / "seeds" / f"{doc}.txt"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")


def test_source_edits_keep_reviewed_work_and_mark_it_stale(drafted: Path) -> None:
    po = _po(drafted)
    reviewed = approve(po, EDITED_FROM, "El Kremlin es uno de los aliados clave de Caracas.")
    draft_before = _entry(po, DRAFT_FROM)
    _edit_source(drafted, EDITED_FROM, EDITED_TO)
    _edit_source(drafted, "Sergey Lavrov", "Serguéi Lavrov")
    assert invoke("segment", "-l", "es").exit_code == 0

    stale = _entry(po, EDITED_TO)
    assert stale.msgstr == reviewed and stale.fuzzy and stale.previous_msgid.startswith(EDITED_FROM)
    assert state(stale) == "stale" and any(c.startswith(APPROVED_NOTE) for c in stale.translator_comments)
    stale_draft = _entry(po, "Russian Foreign Minister Serguéi Lavrov")
    assert stale_draft.msgstr == draft_before.msgstr and is_machine_draft(stale_draft)
    assert "#| msgid" in po.read_text(encoding="utf-8")
    assert msgfmt_check(po).returncode == 0 and msgcat(po) == po.read_bytes()

    before = po.read_bytes()
    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es").exit_code == 0
    assert po.read_bytes() == before, "translate without --refresh-stale must not touch stale entries"

    result = invoke("translate", "-l", "es", "--refresh-stale")
    assert result.exit_code == 0 and "1 of them replacing stale drafts" in result.output, result.output
    assert _entry(po, EDITED_TO).msgstr == reviewed, "approved text is never re-drafted"
    refreshed = _entry(po, "Russian Foreign Minister Serguéi Lavrov")
    assert "Serguéi" in refreshed.msgstr and refreshed.previous_msgid is None and refreshed.fuzzy


def test_refresh_never_replaces_a_human_edit_left_as_needs_work(drafted: Path) -> None:
    po = _po(drafted)
    catalog = load_po(po)
    edited = tuple(replace(m, msgstr="Texto corregido a mano.") if m.msgid.startswith(DRAFT_FROM) else m
                   for m in catalog.messages)
    po.write_text(dumps(replace(catalog, messages=edited)), encoding="utf-8")
    _edit_source(drafted, "Sergey Lavrov", "Serguéi Lavrov")
    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es", "--refresh-stale").exit_code == 0
    assert _entry(po, "Russian Foreign Minister Serguéi Lavrov").msgstr == "Texto corregido a mano."


def test_removed_paragraph_returns_with_its_approved_translation(drafted: Path) -> None:
    po = _po(drafted)
    entry = _entry(po, EDITED_FROM)
    reviewed = approve(po, EDITED_FROM, "Traducción revisada.")
    source = drafted / "seeds" / f"{DOC}.txt"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace(entry.msgid, ""), encoding="utf-8")
    assert invoke("segment", "-l", "es").exit_code == 0
    gone = [m for m in load_po(po).messages if m.msgid == entry.msgid]
    assert gone and gone[0].obsolete and gone[0].msgstr == reviewed
    source.write_text(original, encoding="utf-8")
    assert invoke("run", "-l", "es").exit_code == 0
    back = _entry(po, EDITED_FROM)
    assert not back.obsolete and not back.fuzzy and back.msgstr == reviewed


def test_translation_memory_fills_before_the_engine(drafted: Path) -> None:
    reviewed = approve(_po(drafted), EDITED_FROM, "El Kremlin es aliado clave de Caracas.")
    paragraph = _entry(_po(drafted), EDITED_FROM).msgid
    new_source = drafted / "seeds" / "005_quote.txt"
    new_source.write_text("A new article quoting an old one\n\n" + paragraph + "\n\n"
                          "A fresh paragraph that no catalog has seen before today.\n", encoding="utf-8")
    result = invoke("run", "-l", "es")
    assert result.exit_code == 0, result.output
    assert "2 draft(s) by apertium eng-spa (2 texts sent, 0 from the cache); 1 from the translation memory" in result.output
    reused = _entry(_po(drafted, "005_quote"), EDITED_FROM)
    assert reused.msgstr == reviewed and reused.fuzzy and not is_machine_draft(reused)
    assert f"translation memory: i18n/es/{DOC}.po" in reused.translator_comments


def test_status_separates_states_and_agrees_with_msgfmt(drafted: Path) -> None:
    approve(_po(drafted), EDITED_FROM)
    approve(_po(drafted), DRAFT_FROM)
    _edit_source(drafted, EDITED_FROM, EDITED_TO)
    _edit_source(drafted, "The morning of 3 January", "On the morning of 3 January")
    (drafted / "seeds" / f"{OTHER}.txt").write_text(
        (drafted / "seeds" / f"{OTHER}.txt").read_text(encoding="utf-8") + "\n\nA brand new last line.\n",
        encoding="utf-8")
    assert invoke("segment", "-l", "es").exit_code == 0
    result = invoke("status", "-l", "es", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    row = next(d for d in data["documents"] if d["document"] == DOC)
    assert (row["approved"], row["stale"]) == (1, 2) and row["drafts"] > 0
    assert next(d for d in data["documents"] if d["document"] == OTHER)["untranslated"] == 1
    totals = [0, 0, 0]
    for po in sorted((drafted / "i18n" / "es").glob("*.po")):
        stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True,
                               text=True, check=True, env={"LC_ALL": "C"}).stderr
        found = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats))
        for i, kind in enumerate(("translated", "fuzzy", "untranslated")):
            totals[i] += found.get(kind, 0)
        assert count(load_po(po)).msgfmt == tuple(found.get(k, 0) for k in ("translated", "fuzzy",
                                                                             "untranslated")), po.name
    assert tuple(totals) == tuple(data["total"]["msgfmt"].values())
    table = invoke("status", "-l", "es").output
    assert "stale" in table and f"msgfmt --statistics: {totals[0]} translated, {totals[1]} fuzzy" in table


def test_poedit_style_save_changes_only_what_the_reviewer_touched(drafted: Path) -> None:
    """A Poedit save, simulated: hand edits of the text, then gettext's own msgcat rewrites it."""
    po = _po(drafted)
    before = po.read_text(encoding="utf-8")
    entry = _entry(po, EDITED_FROM)
    text = before.replace('"PO-Revision-Date: 2026-01-01 00:00+0000\\n"',
                          '"PO-Revision-Date: 2026-02-03 10:11+0100\\n"')
    text = text.replace('"Last-Translator: \\n"', '"Last-Translator: Ana Revisora <ana@example.org>\\n"')
    text = text.replace('"X-Generator: pipeline 0.1.0\\n"', '"X-Generator: Poedit 3.2.2\\n"')
    flag = text.rindex("#, fuzzy\n", 0, text.index(entry.msgid[:30]))
    text = text[:flag] + text[flag + len("#, fuzzy\n"):]
    po.write_text(text, encoding="utf-8")
    subprocess.run(["msgcat", "--force-po", "--width=79", "-o", str(po), str(po)], check=True)
    saved = po.read_bytes()
    changed = [line for line in difflib.unified_diff(before.splitlines(), saved.decode().splitlines(),
                                                      lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(changed) == sorted([
        '-"PO-Revision-Date: 2026-01-01 00:00+0000\\n"', '+"PO-Revision-Date: 2026-02-03 10:11+0100\\n"',
        '-"Last-Translator: \\n"', '+"Last-Translator: Ana Revisora <ana@example.org>\\n"',
        '-"X-Generator: pipeline 0.1.0\\n"', '+"X-Generator: Poedit 3.2.2\\n"', "-#, fuzzy"])

    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es").exit_code == 0
    assert po.read_bytes() == saved, "pipeline rewrote a catalog the reviewer had just saved"
    assert invoke("export", "-l", "es").exit_code == 0
    xhtml = (drafted / "exports" / "es" / DOC / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    approved_text = entry.msgstr.split(" ")[0:4]
    assert " ".join(approved_text) in xhtml
    assert "Ana Revisora" in (drafted / "exports" / "es" / DOC / "OEBPS" / "content.opf").read_text(
        encoding="utf-8")


def test_a_save_during_the_run_wins_and_is_reported(drafted: Path) -> None:
    """A reviewer saves while the engine works: the run must not write over that save."""
    po = _po(drafted)
    _edit_source(drafted, EDITED_FROM, EDITED_TO)
    catalog = load_po(po)
    emptied = tuple(replace(m, msgstr="", flags=()) if m.msgid.startswith(DRAFT_FROM) else m
                    for m in catalog.messages)
    po.write_text(dumps(replace(catalog, messages=emptied)), encoding="utf-8")

    def reviewer_saves(done: int, total: int) -> None:
        approve(po, "Social Movement", "Movimiento social: ¿qué está mal?")

    config = load_config(drafted / "pipeline.toml")
    report = translate_language(config, "es", "apertium", "2026-01-02 00:00+0000", reviewer_saves)
    assert [type(e) for e in report.errors] == [ConflictError]
    assert str(po) in str(report.errors[0]) and "changed on disk" in str(report.errors[0])
    assert _entry(po, "Social Movement").msgstr == "Movimiento social: ¿qué está mal?"
    assert not _entry(po, DRAFT_FROM).msgstr
    assert translate_language(config, "es", "apertium", "2026-01-02 00:00+0000").errors == []
    assert _entry(po, DRAFT_FROM).msgstr and not _entry(po, "Social Movement").fuzzy


def test_second_run_is_refused_while_one_holds_the_lock(drafted: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipeline.fsutil import "
         "exclusive\nwith exclusive(Path('i18n/.pipeline.lock')):\n print('locked', flush=True)\n"
         " time.sleep(60)"], cwd=drafted, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = {p: p.read_bytes() for p in (drafted / "i18n").rglob("*.po")}
        _edit_source(drafted, EDITED_FROM, EDITED_TO)
        for command in (["segment"], ["translate"], ["run"], ["export"]):
            result = invoke(*command)
            assert result.exit_code == 1
            assert f"another pipeline run (process {holder.pid}) is working on this project" in result.output
        assert {p: p.read_bytes() for p in before} == before
    finally:
        holder.kill()
        holder.wait()
    assert invoke("segment").exit_code == 0, "the lock dies with its holder"


BROKEN = [
    pytest.param('msgid "Hello\nmsgstr ""\n', 1, "string is not enclosed in double quotes",
                 id="unterminated-quote"),
    pytest.param('msgid "One"\nmsgstr "Uno"\n\nmsgid "One"\nmsgstr "Otro"\n', 4, "duplicate message definition",
                 id="duplicate-msgid"),
    pytest.param('msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n', 1,
                 "unsupported charset", id="bad-charset"),
    pytest.param('msgid ""\nmsgstr ""\n"Last-Translator: Ana\\nRevisora\\n"\n', 1,
                 "header line without 'Name: value'", id="header-embedded-newline"),
]


@pytest.mark.parametrize("body, line, message", BROKEN)
def test_broken_catalog_stops_that_file_only_and_is_left_untouched(drafted: Path, body: str, line: int,
                                                                     message: str) -> None:
    po = _po(drafted)
    po.write_text(body, encoding="utf-8")
    broken = po.read_bytes()
    _edit_source(drafted, EDITED_FROM, EDITED_TO)
    _edit_source(drafted, "Stop the imperialist aggression", "Stop the aggression",
                 doc="001_848bedc52bb3e968")
    for command in (["segment", "-l", "es"], ["translate", "-l", "es"], ["export", "-l", "es"]):
        result = invoke(*command)
        assert result.exit_code == 1
        assert f"i18n/es/{DOC}.po:{line}: {message}" in result.output, result.output
        assert po.read_bytes() == broken
    assert _entry(_po(drafted, "001_848bedc52bb3e968"), "Stop the aggression").fuzzy


def test_memory_saves_engine_calls_on_the_seeds(drafted: Path) -> None:
    """The seeds share two paragraphs (PS: and the donation appeal) between 000 and 001."""
    reviewed = _po(drafted, "000_afd28e63ccbb2c86")
    reviewed.write_text(reviewed.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8")
    _po(drafted, "001_848bedc52bb3e968").unlink()
    result = invoke("run", "-l", "es")
    assert "9 draft(s) by apertium eng-spa (0 texts sent, 9 from the cache); 2 from the translation memory" \
        in result.output, result.output
