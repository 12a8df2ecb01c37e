"""Publishing policy through the command: what readers see of unapproved text, thresholds, RTL."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import OPF, XHTML, EpubChecker, invoke

from pipeline.po import dumps, load_po

DOC = "002_a52b92a0a50288ae"


def _approve_half(po: Path) -> None:
    catalog = load_po(po)
    po.write_text(dumps(replace(catalog, messages=tuple(
        m.with_flag("fuzzy", n % 2 == 1) for n, m in enumerate(catalog.messages)))), encoding="utf-8")


@pytest.fixture()
def half_reviewed(drafted_project: Path) -> Path:
    _approve_half(drafted_project / "i18n" / "es" / f"{DOC}.po")
    return drafted_project


def _page(root: Path, name: str = DOC) -> str:
    return (root / "exports" / "es" / name / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")


@pytest.mark.parametrize("option, shown, hidden", [
    pytest.param([], 'class="paragraph untranslated" lang="en"', 'class="paragraph target draft"', id="original"),
    pytest.param(["--unapproved", "draft"], '<span class="draft-label">Traducción automática sin revisar:</span>',
                 'class="paragraph untranslated"', id="draft"),
    pytest.param(["--unapproved", "nothing"], 'class="paragraph target"', 'untranslated', id="nothing"),
])
def test_unapproved_paragraphs_follow_the_policy(half_reviewed: Path, option: list[str], shown: str,
                                                  hidden: str) -> None:
    assert invoke("export", "-l", "es", "--edition", "translation", *option).exit_code == 0
    page = _page(half_reviewed)
    assert shown in page and hidden not in page
    draft = next(m for m in load_po(half_reviewed / "i18n" / "es" / f"{DOC}.po").active() if m.fuzzy)
    first_words = " ".join(draft.msgstr.split(" ")[:4])
    assert (first_words in page) == (option == ["--unapproved", "draft"])


def test_min_approved_skips_documents_and_says_why(half_reviewed: Path) -> None:
    result = invoke("export", "-l", "es", "--edition", "translation", "--min-approved", "30")
    assert result.exit_code == 0, result.output
    for doc in ("000_afd28e63ccbb2c86", "001_848bedc52bb3e968", "004_f54c4b78720f0974"):
        assert f"es/{doc}: skipped, 0.0% approved is below --min-approved 30%" in result.output
        assert not (half_reviewed / "exports" / "es" / doc).exists()
    assert (half_reviewed / "exports" / "es" / DOC).is_dir() and f"es/{DOC}: skipped" not in result.output
    assert invoke("export", "-l", "es", "--edition", "translation", "--min-approved", "90").exit_code == 0
    assert not (half_reviewed / "exports" / "es" / "collection").exists()
    assert invoke("export", "-l", "es", "--edition", "translation", "--min-approved", "30").exit_code == 0
    nav = ET.parse(half_reviewed / "exports" / "es" / "collection" / "OEBPS" / "nav.xhtml").getroot()
    assert len([a for a in nav.iter(f"{XHTML}a") if a.get("href").endswith("-title")]) == 1


@pytest.mark.slow
def test_right_to_left_language(project: Path, epubcheck: EpubChecker) -> None:
    config = project / "pipeline.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('target_languages = ["es", "pt", "fr"]', 'target_languages = ["ar"]')
                      .replace('default = "auto"', 'default = "none"'), encoding="utf-8")
    assert 'target_languages = ["ar"]' in config.read_text(encoding="utf-8")
    assert invoke("segment").exit_code == 0
    po = project / "i18n" / "ar" / f"{DOC}.po"
    catalog = load_po(po)
    po.write_text(dumps(replace(catalog, messages=tuple(
        replace(m, msgstr=f"فقرة مترجمة رقم {n}") if n % 2 == 0 else m
        for n, m in enumerate(catalog.messages)))), encoding="utf-8")
    result = invoke("export", "--epub")
    assert result.exit_code == 0, result.output
    book = project / "exports" / "ar" / DOC
    root = ET.parse(book / "OEBPS" / "content.xhtml").getroot()
    assert root.get("dir") == "rtl" and root.get("lang") == "ar"
    fallback = [e for e in root.iter() if "untranslated" in (e.get("class") or "")]
    assert fallback and all(e.get("dir") == "ltr" and e.get("lang") == "en" for e in fallback)
    spine = ET.parse(book / "OEBPS" / "content.opf").getroot().find(f"{OPF}spine")
    assert spine.get("page-progression-direction") == "rtl"
    pairs = ET.parse(project / "exports" / "ar" / f"{DOC}.bilingual" / "OEBPS" / "content.xhtml").getroot()
    sides = [(c.get("lang"), c.get("dir")) for d in pairs.iter(f"{XHTML}div") for c in d
             if "pair" in (d.get("class") or "") and len(d) == 2]
    assert sides and set(sides) == {("en", "ltr"), ("ar", None)}
    targets = [book, project / "exports" / "ar" / f"{DOC}.epub", project / "exports" / "ar" / f"{DOC}.bilingual.epub"]
    assert epubcheck.check(targets) == {target: [] for target in targets}


@pytest.mark.parametrize("name", ["collection.txt", "news.bilingual.txt", "news.original.txt"])
def test_source_names_that_would_collide_with_books_are_refused(project: Path, name: str) -> None:
    (project / "seeds" / name).write_text("A title\n\nA paragraph.\n", encoding="utf-8")
    result = invoke("segment", "-l", "es")
    assert result.exit_code == 1
    assert f"seeds/{name}: file name is reserved for the books export writes" in result.output
    assert (project / "i18n" / "es" / f"{DOC}.po").exists(), "the other documents are still processed"
