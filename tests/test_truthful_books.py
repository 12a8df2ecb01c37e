"""Books tell the truth: a reviewer's text stays a reviewer's text, and shares count the body only."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import approve, invoke

from pipeline.po import dumps, load_po

DOC = "002_a52b92a0a50288ae"
TITLE = "Social Movement: What’s wrong with US aggression against Venezuela?"
EDITED = "Social Movement: What is wrong with US aggression against Venezuela?"
REVIEWED = "Movimiento social: ¿qué tiene de malo la agresión de EE. UU. contra Venezuela? (revisado)"
APPEAL_DOC = "000_afd28e63ccbb2c86"


def _page(root: Path, name: str = DOC) -> str:
    return (root / "exports" / "es" / name / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")


@pytest.fixture()
def corrected(project: Path) -> Path:
    """The title approved by a reviewer, then the source corrected by one word."""
    assert invoke("run", "--engine", "none", "-l", "es").exit_code == 0
    assert approve(project / "i18n" / "es" / f"{DOC}.po", TITLE, REVIEWED) == REVIEWED
    src = project / "seeds" / f"{DOC}.txt"
    text = src.read_text(encoding="utf-8")
    assert TITLE in text
    src.write_text(text.replace(TITLE, EDITED), encoding="utf-8")  # every occurrence: title and heading
    assert invoke("segment", "-l", "es").exit_code == 0
    return project


def test_a_reviewed_title_stays_in_the_book_marked_after_a_source_correction(corrected: Path) -> None:
    assert invoke("export", "-l", "es").exit_code == 0
    page = _page(corrected)
    assert REVIEWED in page, page[:2000]
    assert 'class="outdated-label"' in page, page[:3000]
    notice = next(line for line in page.splitlines() if 'class="notice"' in line)
    assert "† Esta traducción se aprobó para una versión anterior del párrafo" in notice, notice


@pytest.mark.parametrize("flags", [["--unapproved", "draft"], ["--unapproved", "original"]], ids=["draft", "original"])
def test_a_reviewers_text_is_never_labelled_machine_translation(corrected: Path, flags: list[str]) -> None:
    assert invoke("export", "-l", "es", *flags).exit_code == 0
    page = _page(corrected)
    for line in page.splitlines():
        if "(revisado)" in line:
            assert "Traducción automática sin revisar" not in line, line


def test_the_outdated_policy_original_shows_the_corrected_source(corrected: Path) -> None:
    assert invoke("export", "-l", "es", "--outdated", "original", "--unapproved", "draft").exit_code == 0
    page = _page(corrected)
    assert "(revisado)" not in page and EDITED in page, page[:2000]


def test_the_approved_share_counts_body_words_only(project: Path) -> None:
    """Approving only the donation appeal (boilerplate) leaves the article at 0% approved."""
    assert invoke("run", "--engine", "none", "-l", "es").exit_code == 0
    po = project / "i18n" / "es" / f"{APPEAL_DOC}.po"
    assert approve(po, "If you like this article", "Si le gustó este artículo, done.")
    status = json.loads(invoke("status", "--json", "-l", "es").output)
    row = next(r for r in status["documents"] if r["document"] == APPEAL_DOC)
    assert row["approved_words"] > 50 and row["percent"] == 0.0, row
    result = invoke("export", "-l", "es", "--min-approved", "10")
    assert f"es/{APPEAL_DOC}: skipped, 0.0% approved is below --min-approved 10%" in result.output, result.output
    assert not (project / "exports" / "es" / APPEAL_DOC).exists()


def test_the_notice_says_what_is_true_at_0_and_100_percent(project: Path) -> None:
    """No review is claimed for an unreviewed book; a fully approved one says so, without a share."""
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    notice = next(line for line in _page(project).splitlines() if 'class="notice"' in line)
    assert "aún sin revisar" in notice and "revisada por voluntarios" not in notice, notice
    po = project / "i18n" / "es" / f"{DOC}.po"
    catalog = load_po(po)  # a reviewer approves every entry
    po.write_text(dumps(replace(catalog, messages=tuple(m.with_flag("fuzzy", False) for m in catalog.messages))),
                  encoding="utf-8")
    assert invoke("export", "-l", "es").exit_code == 0
    notice = next(line for line in _page(project).splitlines() if 'class="notice"' in line)
    assert "Traducción revisada y aprobada por voluntarios." in notice, notice
