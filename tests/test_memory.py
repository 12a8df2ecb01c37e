"""Review work spreads: approvals replace untouched drafts elsewhere; --redraft; memory suggestions.

The fast tests give every entry a machine draft the way the engines do
(``catalog.with_draft``: fuzzy, provenance and checksum), so no engine has to
run; the slow ones draft with real apertium.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, approve, invoke

from pipeline import catalog as cat
from pipeline.memory import SUGGESTION_PREFIX
from pipeline.po import dumps, load_po

APPEAL = "If you like this article or have found it useful"
A = "001_848bedc52bb3e968"  # both articles end with the donation appeal and "PS:"
B = "000_afd28e63ccbb2c86"
HUMAN = "Si le gustó este artículo, considere hacer una donación a International Viewpoint."


def _po(project: Path, doc: str) -> Path:
    return project / "i18n" / "es" / f"{doc}.po"


def _entry(path: Path, prefix: str) -> cat.Message:
    return next(m for m in load_po(path).active() if m.msgid.startswith(prefix))


def _fake_drafts(project: Path) -> None:
    """Every entry drafted by a stand-in engine, exactly as ``translate`` records a draft."""
    for path in sorted((project / "i18n" / "es").glob("*.po")):
        catalog = load_po(path)
        path.write_text(dumps(replace(catalog, messages=tuple(
            cat.with_draft(m, f"ES {m.msgid}", "fake engine 1.0") for m in catalog.messages))), encoding="utf-8")


@pytest.fixture()
def drafted(project: Path) -> Path:
    assert invoke("segment", "-l", "es").exit_code == 0
    _fake_drafts(project)
    assert [m.msgid for m in load_po(_po(project, A)).active() if m.msgid.startswith(APPEAL)]
    assert [m.msgid for m in load_po(_po(project, B)).active() if m.msgid.startswith(APPEAL)]
    return project


def test_an_approval_replaces_the_untouched_draft_of_the_same_paragraph_elsewhere(drafted: Path) -> None:
    approve(_po(drafted, A), APPEAL, HUMAN)
    result = invoke("translate", "-l", "es", "--engine", "none")
    assert result.exit_code == 0, result.output
    assert "1 untouched draft(s) replaced by a translation approved elsewhere" in result.output
    twin = _entry(_po(drafted, B), APPEAL)
    assert twin.msgstr == HUMAN and twin.fuzzy, "a copy is still reviewed in its new context"
    assert f"translation memory: i18n/es/{A}.po" in twin.translator_comments
    assert not cat.is_machine_draft(twin)
    before = _po(drafted, B).read_bytes()
    again = invoke("translate", "-l", "es", "--engine", "none")
    assert "replaced" not in again.output and _po(drafted, B).read_bytes() == before


def test_nothing_a_human_wrote_is_replaced(drafted: Path) -> None:
    approve(_po(drafted, A), "PS:", "PD:")
    approve(_po(drafted, A), APPEAL, HUMAN)
    catalog = load_po(_po(drafted, B))
    edited = tuple(replace(m, msgstr="PS (revisado):") if m.msgid == "PS:" else m for m in catalog.messages)
    _po(drafted, B).write_text(dumps(replace(catalog, messages=edited)), encoding="utf-8")
    approve(_po(drafted, B), APPEAL, "Una traducción aprobada aquí.")
    result = invoke("translate", "-l", "es", "--engine", "none", "--propagate-approvals")
    assert result.exit_code == 0, result.output
    assert _entry(_po(drafted, B), "PS:").msgstr == "PS (revisado):" and _entry(_po(drafted, B), "PS:").fuzzy
    assert _entry(_po(drafted, B), APPEAL).msgstr == "Una traducción aprobada aquí."
    assert "replaced" not in result.output


def test_the_same_text_of_another_kind_is_not_replaced(drafted: Path) -> None:
    catalog = load_po(_po(drafted, B))
    other = tuple(replace(m, extracted_comments=("type: paragraph",)) if m.msgid.startswith(APPEAL) else m
                  for m in catalog.messages)
    _po(drafted, B).write_text(dumps(replace(catalog, messages=other)), encoding="utf-8")
    approve(_po(drafted, A), APPEAL, HUMAN)
    assert invoke("translate", "-l", "es", "--engine", "none").exit_code == 0
    assert _entry(_po(drafted, B), APPEAL).msgstr.startswith("ES ")


def test_propagate_approvals_approves_the_copies_outright(drafted: Path) -> None:
    approve(_po(drafted, A), APPEAL, HUMAN)
    assert invoke("translate", "-l", "es", "--engine", "none").exit_code == 0
    assert _entry(_po(drafted, B), APPEAL).fuzzy
    result = invoke("translate", "-l", "es", "--engine", "none", "--propagate-approvals")
    assert result.exit_code == 0, result.output
    twin = _entry(_po(drafted, B), APPEAL)
    assert twin.msgstr == HUMAN and cat.state(twin) == "approved"


def test_similar_approved_paragraphs_are_offered_in_a_comment(drafted: Path) -> None:
    bold = _entry(_po(drafted, A), "**Copyright")
    plain = next(m for p in sorted((drafted / "i18n" / "es").glob("*.po")) for m in load_po(p).active()
                 if m.msgid == bold.msgid.strip("*"))
    assert cat.similarity(bold.msgid, plain.msgid) >= 0.9
    approve(_po(drafted, A), "**Copyright", "**Copyright © International Viewpoint - todos los derechos**")
    assert invoke("translate", "-l", "es", "--engine", "none").exit_code == 0
    offers = {p.name: [c for m in load_po(p).active() if m.msgid == plain.msgid
                       for c in m.translator_comments if c.startswith(SUGGESTION_PREFIX)]
              for p in sorted((drafted / "i18n" / "es").glob("*.po"))}
    offered = [c for found in offers.values() for c in found]
    assert offered and all(c.startswith(f"{SUGGESTION_PREFIX}(9") and f"i18n/es/{A}.po" in c
                           and c.endswith("todos los derechos**") for c in offered), offers
    holder = next(name for name, found in offers.items() if found)
    entry = next(m for m in load_po(drafted / "i18n" / "es" / holder).active() if m.msgid == plain.msgid)
    assert cat.is_machine_draft(entry) and entry.msgstr == f"ES {plain.msgid}", "the draft itself is untouched"


@pytest.mark.slow
def test_redraft_replaces_only_untouched_drafts_after_a_glossary_change(project: Path) -> None:
    shutil.copytree(ROOT / "glossary", project / "glossary")
    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es").exit_code == 0
    po = _po(project, A)
    military = [m.msgid for m in load_po(po).active() if re.search(r"\bmilitary\b", m.msgid, re.IGNORECASE)]
    assert len(military) >= 2
    approve(po, military[0])
    catalog = load_po(po)
    edited = tuple(replace(m, msgstr=m.msgstr + " (revisado)") if m.msgid == military[1] else m
                   for m in catalog.messages)
    po.write_text(dumps(replace(catalog, messages=edited)), encoding="utf-8")
    before = {m.msgid: m.msgstr for m in load_po(po).active()}

    unchanged = invoke("translate", "-l", "es", "--redraft")
    assert unchanged.exit_code == 0 and "0 draft(s)" in unchanged.output, unchanged.output
    with open(project / "glossary" / "es.csv", "a", encoding="utf-8") as handle:
        handle.write("military,castrense,\n")
    result = invoke("translate", "-l", "es", "--redraft")
    assert result.exit_code == 0, result.output
    assert "replacing earlier drafts" in result.output
    after = {m.msgid: m for m in load_po(po).active()}
    assert after[military[0]].msgstr == before[military[0]], "approved text is never re-drafted"
    assert after[military[1]].msgstr == before[military[1]], "a human edit is never re-drafted"
    redrafted = [m for path in sorted((project / "i18n" / "es").glob("*.po")) for m in load_po(path).active()
                 if re.search(r"\bmilitary\b", m.msgid, re.IGNORECASE) and m.msgid not in military[:2]]
    wrong = [(m.msgid, m.msgstr) for m in redrafted if "castrense" not in m.msgstr.lower() or not cat.is_machine_draft(m)]
    assert redrafted and not wrong, wrong


def test_redraft_with_the_pseudo_engine_after_a_glossary_change(project: Path) -> None:
    shutil.copytree(ROOT / "glossary", project / "glossary")
    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es", "--engine", "pseudo").exit_code == 0
    po = _po(project, A)
    strikes = [m.msgid for m in load_po(po).active() if re.search(r"\bmilitary\b", m.msgid)]
    approve(po, strikes[0])
    catalog = load_po(po)
    po.write_text(dumps(replace(catalog, messages=tuple(
        replace(m, msgstr="Revisado por una persona.") if m.msgid == strikes[1] else m for m in catalog.messages))),
        encoding="utf-8")
    approved, edited = _entry(po, strikes[0]).msgstr, _entry(po, strikes[1]).msgstr
    with open(project / "glossary" / "es.csv", "a", encoding="utf-8") as handle:
        handle.write("military,castrense,\n")
    result = invoke("translate", "-l", "es", "--engine", "pseudo", "--redraft")
    assert result.exit_code == 0 and "replacing earlier drafts" in result.output, result.output
    assert _entry(po, strikes[0]).msgstr == approved and _entry(po, strikes[1]).msgstr == edited
    others = [m for p in sorted((project / "i18n" / "es").glob("*.po")) for m in load_po(p).active()
              if re.search(r"\bmilitary\b", m.msgid) and m.msgid not in strikes[:2]]
    assert others and all("castrense" in m.msgstr and cat.is_machine_draft(m) for m in others)
    again = invoke("translate", "-l", "es", "--engine", "pseudo", "--redraft")
    assert "0 draft(s)" in again.output, "a second re-draft with nothing changed writes nothing"
