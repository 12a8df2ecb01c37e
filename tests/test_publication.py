"""One consistent publication: whatever export or run is asked, exports/ holds no stale .epub,
the web edition lists every book on disk and nothing links to a book that is gone."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from helpers import approve, invoke

from pipeline.cli import cli

DOC = "002_a52b92a0a50288ae"


def _books(exports: Path) -> set[str]:
    return {f"{p.parent.name}/{p.name}" for p in exports.glob("*/*")
            if p.is_dir() and (p / "mimetype").is_file()}


def _pages(exports: Path) -> list[Path]:
    """The web edition's own pages: every HTML file outside the book folders."""
    books = {exports / b for b in _books(exports)}
    return [p for p in exports.rglob("*.html") if not any(b in p.parents for b in books)]


def _links(exports: Path) -> set[Path]:
    found = set()
    for page in _pages(exports):
        for href in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            if not urlsplit(href).scheme:
                found.add((page.parent / unquote(href)).resolve())
    return found


def assert_consistent(exports: Path) -> None:
    """Every link resolves; every book on disk is linked; every .epub holds exactly its folder."""
    links = _links(exports)
    gone = sorted(str(p) for p in links if not p.exists())
    assert not gone, gone
    for book in _books(exports):
        folder = (exports / book).resolve()
        assert any(folder in link.parents for link in links), f"{book} is not in the web edition"
    for epub in exports.glob("*/*.epub"):
        folder = epub.with_suffix("")
        assert folder.is_dir(), f"{epub.name} has no folder"
        with zipfile.ZipFile(epub) as archive:
            inside = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
        on_disk = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        assert inside == on_disk, f"{epub.name} differs from its folder"


@pytest.fixture()
def published(drafted_project: Path) -> Path:
    """The seeds after ``pipeline run`` with the pseudo engine (a copy of the session's project)."""
    return drafted_project / "exports"


def test_epub_and_web_are_on_by_default(published: Path) -> None:
    assert len(_books(published)) == 42
    assert len(list(published.glob("*/*.epub"))) == 42
    assert (published / "index.html").is_file()
    assert_consistent(published)


def test_settings_turn_them_off_and_flags_win(project: Path) -> None:
    toml = project / "pipeline.toml"
    toml.write_text(toml.read_text() + "\n[export]\nepub = false\nweb = false\n", encoding="utf-8")
    assert invoke("run", "-l", "es", "--engine", "pseudo").exit_code == 0
    exports = project / "exports"
    assert _books(exports) and not list(exports.glob("*/*.epub")) and not (exports / "index.html").exists()
    assert invoke("export", "-l", "es", "--epub", "--web").exit_code == 0
    assert len(list(exports.glob("*/*.epub"))) == len(_books(exports)) == 18
    assert_consistent(exports)


def test_bad_setting_names_its_line(project: Path) -> None:
    toml = project / "pipeline.toml"
    toml.write_text(toml.read_text() + '\n[export]\nepub = "yes"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    assert re.search(r"pipeline\.toml:\d+: \[export\] epub must be true or false", result.output)


def test_an_approval_reaches_every_artifact_whatever_export_is_asked(published: Path) -> None:
    approved = approve(published.parent / "i18n" / "es" / f"{DOC}.po", "The Kremlin has become",
                       "El Kremlin se ha convertido en uno de los aliados clave de Caracas.")
    assert invoke("export", "-l", "es", "--no-epub", "--no-web").exit_code == 0
    with zipfile.ZipFile(published / "es" / f"{DOC}.epub") as archive:
        assert approved in archive.read("OEBPS/content.xhtml").decode("utf-8")
    assert_consistent(published)


def test_a_stale_epub_left_by_an_earlier_export_is_rebuilt(published: Path) -> None:
    epub = published / "fr" / f"{DOC}.bilingual.epub"
    page = published / "fr" / f"{DOC}.bilingual" / "OEBPS" / "content.xhtml"
    old = epub.read_bytes()
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>edited</p></body>"))
    assert invoke("export", "-l", "pt", "--edition", "original").exit_code == 0
    assert epub.read_bytes() != old
    with zipfile.ZipFile(epub) as archive:
        assert b"<p>edited</p>" in archive.read("OEBPS/content.xhtml")


@pytest.mark.parametrize("args", [["-l", "pt"], ["--edition", "translation"], ["-l", "fr", "--edition", "original"],
                                  ["--min-approved", "0", "-l", "es"]])
def test_a_partial_export_never_drops_other_books_from_the_web_edition(published: Path,
                                                                       args: list[str]) -> None:
    before = _books(published)
    assert invoke("export", "--web", *args).exit_code == 0
    assert _books(published) == before
    assert_consistent(published)
    index = (published / "index.html").read_text(encoding="utf-8")
    assert f"es/{DOC}.bilingual/" in index and f"en/{DOC}/" in index


def test_nothing_links_to_a_gone_book(published: Path) -> None:
    result = invoke("export", "-l", "es", "--min-approved", "50")
    assert result.exit_code == 0
    assert not any(b.startswith("es/") for b in _books(published))
    assert not list((published / "es").glob("*.epub"))
    assert "es/" not in "".join(str(p.relative_to(published.resolve())) for p in _links(published)
                                if published.resolve() in p.parents)
    assert_consistent(published)
    # a withdrawn article leaves the web edition with its books
    (published.parent / "seeds" / f"{DOC}.txt").unlink()
    assert invoke("export", "-l", "pt").exit_code == 0
    assert not any(DOC in b for b in _books(published))
    assert DOC not in (published / "index.html").read_text(encoding="utf-8")
    assert_consistent(published)


def test_second_export_changes_no_file(published: Path) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in published.rglob("*") if p.is_file()}
    assert invoke("export").exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in published.rglob("*") if p.is_file()} == stamps


def test_books_written_before_records_were_kept_are_listed(published: Path) -> None:
    (published / ".published.json").unlink()
    assert invoke("export", "--web", "-l", "pt").exit_code == 0
    index = (published / "index.html").read_text(encoding="utf-8")
    assert f"es/{DOC}.bilingual/" in index and f"fr/{DOC}/" in index
    assert_consistent(published)
