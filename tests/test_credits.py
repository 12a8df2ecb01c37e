"""Translators credited by name on the page and in dc:contributor; no e-mail address in any output;
a translator can opt out."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import invoke

from pipeline.credits import strip_email, translators
from pipeline.po import Catalog, dumps, load_po

DOC = "002_a52b92a0a50288ae"
ADDRESSES = (b"ana@example.org", b"rui@example.net", b"example.org", b"example.net")


def _catalog(last: str, *comments: str) -> Catalog:
    return Catalog(header=(("Last-Translator", last),), header_comments=comments)


@pytest.mark.parametrize("last, comments, anonymous, expected", [
    ("Ana Revisora <ana@example.org>", (), (), ("Ana Revisora",)),  # what Poedit writes
    ("<ana@example.org>", (), (), ()),  # name left empty in Poedit: no credit, no address
    ("ana@example.org", (), (), ()),
    ("FULL NAME <EMAIL@ADDRESS>", ("FIRST AUTHOR <EMAIL@ADDRESS>, 2026.",), (), ()),
    ("", (), (), ()),
    ("Ana Revisora <ana@example.org>", ("Rui Tradutor <rui@example.net>, 2025, 2026.",
                                        "Ana Revisora <ana@example.org>, 2026."), (), ("Ana Revisora", "Rui Tradutor")),
    ("Ana Revisora <ana@example.org>", ("Rui Tradutor <rui@example.net>, 2026.",), ("ANA@example.org",),
     ("Rui Tradutor",)),
    ("Ana Revisora <ana@example.org>", ("Rui Tradutor <rui@example.net>, 2026.",), ("rui tradutor",),
     ("Ana Revisora",)),
    ("José Ñúñez (jose@example.org)", ("Machine-drafted by pipeline; an entry is approved when it is not fuzzy.",),
     (), ("José Ñúñez",)),
])
def test_names_without_addresses(last: str, comments: tuple[str, ...], anonymous: tuple[str, ...],
                                 expected: tuple[str, ...]) -> None:
    found = translators(_catalog(last, *comments), anonymous)
    assert found == expected
    assert not any("@" in name for name in found)


def test_strip_email() -> None:
    assert strip_email("Ana <ana@example.org>, mail me at ana@example.org") == "Ana, mail me at"


def _sign(po: Path) -> None:
    """The header as Poedit saves it, plus a gettext credit line of an earlier translator."""
    catalog = load_po(po).with_header(Last_Translator="Ana Revisora <ana@example.org>")
    comments = (*catalog.header_comments[:-1], "Rui Tradutor <rui@example.net>, 2026.", "")
    po.write_text(dumps(replace(catalog, header_comments=comments)), encoding="utf-8")


def _outputs(exports: Path) -> dict[str, bytes]:
    """Every byte readers and the web get: files, and the files inside every .epub."""
    found = {p.relative_to(exports).as_posix(): p.read_bytes() for p in exports.rglob("*") if p.is_file()}
    for epub in exports.rglob("*.epub"):
        with zipfile.ZipFile(epub) as archive:
            found.update({f"{epub.name}!{n}": archive.read(n) for n in archive.namelist()})
    return found


@pytest.fixture()
def credited(project: Path) -> Path:
    assert invoke("run", "-l", "es", "--engine", "apertium").exit_code == 0
    _sign(project / "i18n" / "es" / f"{DOC}.po")
    assert invoke("export", "-l", "es").exit_code == 0
    return project


@pytest.mark.slow
def test_credited_by_name_never_by_address(credited: Path, epubcheck) -> None:  # type: ignore[no-untyped-def]
    exports = credited / "exports"
    leaks = [name for name, data in _outputs(exports).items() if any(a in data for a in ADDRESSES)]
    assert not leaks, leaks
    for book in (f"es/{DOC}", f"es/{DOC}.bilingual", "es/collection", "es/collection.bilingual"):
        opf = (exports / book / "OEBPS" / "content.opf").read_text(encoding="utf-8")
        assert '<dc:contributor id="translator1">Ana Revisora</dc:contributor>' in opf, book
        assert '<dc:contributor id="translator2">Rui Tradutor</dc:contributor>' in opf, book
    page = (exports / "es" / DOC / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    assert '<p class="translators">Traducción: Ana Revisora, Rui Tradutor</p>' in page
    title_page = (exports / "es" / "collection" / "OEBPS" / "title.xhtml").read_text(encoding="utf-8")
    assert '<p class="translators">Traducción: Ana Revisora, Rui Tradutor</p>' in title_page
    other = (exports / "es" / "000_afd28e63ccbb2c86" / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    assert 'class="translators"' not in other, "an unsigned catalog credits nobody"
    assert "Ana Revisora" not in (exports / "en" / DOC / "OEBPS" / "content.opf").read_text(encoding="utf-8")
    books = [exports / "es" / f"{DOC}.epub", exports / "es" / "collection.epub"]
    assert all(not messages for messages in epubcheck.check(books).values())


@pytest.mark.slow
def test_a_translator_can_opt_out(credited: Path) -> None:
    toml = credited / "pipeline.toml"
    toml.write_text(toml.read_text() + '\n[credits]\nanonymous = ["ana@example.org"]\n', encoding="utf-8")
    assert invoke("export", "-l", "es").exit_code == 0
    exports = credited / "exports"
    assert not any(b"Ana Revisora" in data for data in _outputs(exports).values())
    page = (exports / "es" / DOC / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    assert '<p class="translators">Traducción: Rui Tradutor</p>' in page
    # the name left empty in Poedit: nobody credited, nothing of the address shown
    po = credited / "i18n" / "es" / f"{DOC}.po"
    po.write_text(dumps(replace(load_po(po).with_header(Last_Translator="<ana@example.org>"),
                                header_comments=())), encoding="utf-8")
    assert invoke("export", "-l", "es").exit_code == 0
    assert 'class="translators"' not in (exports / "es" / DOC / "OEBPS" / "content.xhtml").read_text("utf-8")
    assert "dc:contributor" not in (exports / "es" / DOC / "OEBPS" / "content.opf").read_text("utf-8")


def test_bad_credits_setting(project: Path) -> None:
    toml = project / "pipeline.toml"
    toml.write_text(toml.read_text() + '\n[credits]\nanonymous = "ana"\n', encoding="utf-8")
    result = invoke("status")
    assert result.exit_code == 1 and "[credits] anonymous must be a list of names or e-mail addresses" in result.output


def test_only_addresses_are_removed_from_a_name() -> None:
    assert translators(_catalog("<b>Ana</b> & {{ name }} <ana@example.org>")) == ("<b>Ana</b> & {{ name }}",)
    assert translators(_catalog("Ana <>")) == ("Ana",)
    assert translators(_catalog("Ana <ana@example.org>, Rui Tradutor <rui@example.net>")) == ("Ana", "Rui Tradutor")
