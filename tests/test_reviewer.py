"""Reviewers find their work: titles in status and in the catalogs, and the review queue."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, invoke, msgfmt_check

from pipeline.po import dumps, load_po

DOC = "002_a52b92a0a50288ae"
TITLE = "Social Movement: What’s wrong with US aggression against Venezuela?"


@pytest.fixture()
def segmented(project: Path) -> Path:
    assert invoke("segment").exit_code == 0
    return project


def test_catalogs_name_their_article(segmented: Path) -> None:
    pot = load_po(segmented / "i18n" / "templates" / f"{DOC}.pot")
    assert pot.header_value("Project-Id-Version") == f"Solidarity articles {DOC}: {TITLE}"
    assert pot.header_comments[0] == f"Translation template for “{TITLE}” ({DOC}, Solidarity articles)."
    for lang, name in (("es", "Spanish"), ("pt", "Portuguese"), ("fr", "French")):
        path = segmented / "i18n" / lang / f"{DOC}.po"
        po = load_po(path)
        assert po.header_value("Project-Id-Version") == f"Solidarity articles {DOC}: {TITLE}"
        assert po.header_comments[0] == f"{name} translation of Solidarity articles {DOC}: {TITLE}."
        assert msgfmt_check(path).returncode == 0


def _old_style(path: Path, first_comment: str) -> None:
    """A catalog as earlier versions wrote it: no title in its header."""
    po = load_po(path)
    old = po.with_header(Project_Id_Version=f"Solidarity articles {DOC}")
    path.write_text(dumps(replace(old, header_comments=(first_comment, "Reviewed by the Lisbon group.", ""))),
                    encoding="utf-8")


def test_existing_catalogs_get_the_title_and_keep_translator_comments(segmented: Path) -> None:
    pt = segmented / "i18n" / "pt" / f"{DOC}.po"
    es = segmented / "i18n" / "es" / f"{DOC}.po"
    _old_style(pt, f"Portuguese translation of Solidarity articles {DOC}.")
    _old_style(es, "Notes of the Madrid collective, written by hand.")
    assert invoke("segment").exit_code == 0
    assert load_po(pt).header_comments == (f"Portuguese translation of Solidarity articles {DOC}: {TITLE}.",
                                           "Reviewed by the Lisbon group.", "")
    assert load_po(es).header_comments[:2] == ("Notes of the Madrid collective, written by hand.",
                                               "Reviewed by the Lisbon group.")
    assert load_po(es).header_value("Project-Id-Version").endswith(TITLE)
    # the title is corrected in the source: every catalog follows
    source = segmented / "seeds" / f"{DOC}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("What’s wrong", "What is wrong"),
                      encoding="utf-8")
    assert invoke("segment").exit_code == 0
    fixed = TITLE.replace("What’s wrong", "What is wrong")
    assert load_po(pt).header_comments[0] == f"Portuguese translation of Solidarity articles {DOC}: {fixed}."
    assert load_po(pt).header_value("Project-Id-Version") == f"Solidarity articles {DOC}: {fixed}"


def test_status_shows_title_and_catalog(segmented: Path) -> None:
    table = invoke("status", "-l", "es").output
    line = next(row for row in table.splitlines() if row.startswith(f"i18n/es/{DOC}.po"))
    assert line.endswith(TITLE[:59] + "…")
    data = json.loads(invoke("status", "--json").output)
    row = next(r for r in data["documents"] if r["document"] == DOC and r["language"] == "fr")
    assert row["title"] == TITLE and row["catalog"] == f"i18n/fr/{DOC}.po"
    assert len(data["documents"]) == 15 and all(r["title"] for r in data["documents"])


def _revised(path: Path, when: str) -> None:
    path.write_text(dumps(load_po(path).with_header(PO_Revision_Date=when)), encoding="utf-8")


@pytest.mark.slow
def test_reviewer_queue_oldest_then_largest(segmented: Path) -> None:
    assert invoke("translate", "-l", "es", "--engine", "apertium").exit_code == 0
    es = segmented / "i18n" / "es"
    # Every entry of one article approved: nothing waits there.
    done = es / "000_afd28e63ccbb2c86.po"
    catalog = load_po(done)
    done.write_text(dumps(replace(catalog, messages=tuple(m.with_flag("fuzzy", False) for m in catalog.messages))),
                    encoding="utf-8")
    _revised(es / "004_f54c4b78720f0974.po", "2025-12-30 23:30-0300")  # = 2025-12-31 02:30 UTC
    _revised(es / "001_848bedc52bb3e968.po", "2025-12-31 09:00+0200")  # = 2025-12-31 07:00 UTC
    result = invoke("status", "--reviewer", "-l", "es", "--json")
    assert result.exit_code == 0
    queue = json.loads(result.output)["waiting"]
    names = [Path(item["catalog"]).stem for item in queue]
    assert names[:2] == ["004_f54c4b78720f0974", "001_848bedc52bb3e968"]
    rest = queue[2:]
    assert len({item["revised"] for item in rest}) == 1  # same date: largest first
    assert [item["words"] for item in rest] == sorted((item["words"] for item in rest), reverse=True)
    assert "000_afd28e63ccbb2c86" not in names and len(names) == 4
    assert all(item["title"] and item["drafts"] > 0 for item in queue)
    text = invoke("status", "--reviewer", "-l", "es").output.splitlines()
    assert text[0] == "4 catalog(s) wait for review, oldest and largest first:"
    assert text[1].startswith("i18n/es/004_f54c4b78720f0974.po  es  ")
    assert "since 2025-12-31T02:30:00Z" in text[1]


def test_reviewer_queue_empty(segmented: Path) -> None:
    result = invoke("status", "--reviewer", "-l", "es")
    # untranslated entries are not a reviewer's work yet: translate fills them first
    assert result.exit_code == 0 and result.output.strip() == "nothing waits for review"


@pytest.mark.slow
@pytest.mark.skipif(any(shutil.which(t) is None for t in ("poedit", "Xvfb", "xdotool")),
                    reason="needs poedit, xvfb and xdotool (scripts/setup.sh test installs them)")
def test_poedit_shows_the_article_title(segmented: Path, tmp_path: Path) -> None:
    """Real Poedit under Xvfb: its window title names the catalog's article."""
    home = tmp_path / "home"
    (home / ".config" / "poedit").mkdir(parents=True)
    (home / ".config" / "poedit" / "config").write_text("translator_name=Ana\nenable_spellchecking=0\n")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        env = {**os.environ, "DISPLAY": f":{pipe.readline().strip()}", "HOME": str(home),
               "XDG_CONFIG_HOME": str(home / ".config"), "NO_AT_BRIDGE": "1"}
    poedit = subprocess.Popen(["poedit", str(segmented / "i18n" / "es" / f"{DOC}.po")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        names: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(TITLE in n for n in names):
            time.sleep(0.5)
            found = subprocess.run(["xdotool", "search", "--name", "Poedit", "getwindowname", "%@"], env=env,
                                   capture_output=True, text=True)
            names = found.stdout.splitlines()
        assert any(n.startswith(f"{DOC}.po") and TITLE in n for n in names), names
    finally:
        poedit.kill()
        poedit.wait()
        server.kill()
        server.wait()


def test_status_shows_a_markdown_title_as_readers_see_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title with bold and a link reads 'The strike at Ford' in status, not its Markdown."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "pipeline.toml", tmp_path / "pipeline.toml")
    (tmp_path / "seeds" / "strike.md").write_text(
        '---\ntitle: "The **strike** at [Ford](https://ford.example)"\n---\n\nA paragraph.\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("segment", "-l", "es").exit_code == 0
    result = invoke("status", "-l", "es", "--json")
    titles = [row["title"] for row in json.loads(result.output)["documents"]]
    assert titles == ["The strike at Ford"], result.output
