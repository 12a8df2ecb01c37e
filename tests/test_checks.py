"""QA checks: each one on a text that must fail it and one that must pass, then the commands."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, approve, invoke

from pipeline.checks import CHECKS, GLOSSARY, check_text
from pipeline.po import dumps, load_po

CASES = [
    # (source, translation, failing checks)
    ("Read **this** now, please.", "Lee esto ahora, por favor.", {"markup"}),
    ("See [the report](#) for more.", "Vea [el informe](#informe) para más.", {"markup"}),
    ("See [the report](#) and `code`.", "Vea [el informe](#) y `code`.", set()),
    ("Read __this__ now, please.", "Lee **esto** ahora, por favor.", set()),  # the same bold, either way
    ("Run `make check` first.", "Ejecute make check primero.", {"markup"}),  # code is verbatim
    ("A claim[^1] and a figure.", "Una afirmación y una cifra.", {"markup"}),  # the footnote reference lost
    ("Write to info@example.org or see https://example.org/a.", "Escriba a info@example.org o vea el sitio.", {"urls"}),
    ("Visit https://example.org/a today.", "Visite https://example.org/a hoy.", set()),
    ("On 3 January 2026, 1,500 workers struck.", "El 3 de enero de 2026, 1.500 trabajadores.", set()),
    ("On 3 January 2026, 1,500 workers struck.", "El 4 de enero de 2026, 1.500 trabajadores.", {"numbers"}),
    ("It grew 2.5 percent in 12 months.", "Creció un 2,5 por ciento en 12 meses.", set()),
    ("A quote (with brackets) here.", "Una cita (con paréntesis aquí.", {"brackets"}),
    ('He said "no" twice.', 'Dijo "no dos veces.', {"brackets"}),
    ("Line one\nline two", "Línea uno línea dos", {"newlines"}),
    ("Ends with a break\n", "Termina con un salto", {"newlines"}),
    ("Leading text here.", " Texto inicial aquí.", {"whitespace"}),
    ("Venezuela Solidarity Campaign", "Venezuela Solidarity Campaign", {"untranslated"}),
    ("OK", "OK", set()),
    ("Two words here.", "Dos  palabras aquí.", {"double-space"}),
    ("This is a fairly long sentence about the strike.", "Huelga.", {"length"}),
    ("This is a fairly long sentence about the strike.",
     "Esta es una frase bastante larga sobre la huelga.", set()),
]


@pytest.mark.parametrize("source, target, expected", CASES,
                         ids=[f"{sorted(e)[0] if e else 'clean'}-{i}" for i, (_, _, e) in enumerate(CASES)])
def test_check_catches_exactly_what_it_should(source: str, target: str, expected: set[str]) -> None:
    assert {check.name for check, _ in check_text(source, target)} == expected


def test_every_check_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for check in (*CHECKS, GLOSSARY):
        assert f"| `{check.name}` | {check.severity} |" in readme, check.name


@pytest.fixture()
def reviewed(drafted_project: Path) -> Path:
    project = drafted_project
    po = project / "i18n" / "es" / "001_848bedc52bb3e968.po"
    approve(po, "Stop the imperialist aggression", "¡Alto a la agresión imperialista contra Venezuela!")
    approve(po, "The Donald Trump administration",
            "La administración de Donald Trump ha llevado a cabo un ataque aéreo militar.")
    return project


def test_check_lists_problems_with_file_and_line(reviewed: Path) -> None:
    po = reviewed / "i18n" / "es" / "001_848bedc52bb3e968.po"
    short = next(m for m in load_po(po).messages if m.msgid.startswith("The Donald Trump"))
    result = invoke("check", "-l", "es")
    assert result.exit_code == 0, "warnings alone do not fail"
    assert f"i18n/es/001_848bedc52bb3e968.po:{short.lineno}: warning [length]" in result.output
    assert "check: 0 error(s), 1 warning(s)" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("i18n/")]
    assert all("(approved:" in line for line in lines), "drafts are only checked with --all"


def test_drafts_are_checked_only_with_all(reviewed: Path) -> None:
    po = reviewed / "i18n" / "es" / "001_848bedc52bb3e968.po"
    catalog = load_po(po)
    po.write_text(dumps(replace(catalog, messages=tuple(
        replace(m, msgstr=m.msgstr + " 99") if m.msgid.startswith("The uncertainty") else m
        for m in catalog.messages))), encoding="utf-8")
    assert invoke("check", "-l", "es").exit_code == 0
    result = invoke("check", "-l", "es", "--all")
    assert result.exit_code == 1
    assert 'error [numbers] numbers or dates changed: added 99 (draft: "The uncertainty' in result.output


def test_check_fails_on_an_error_check(reviewed: Path) -> None:
    po = reviewed / "i18n" / "es" / "001_848bedc52bb3e968.po"
    entry = next(m for m in load_po(po).messages if m.msgid.startswith("During the early hours"))
    assert "January 3" in entry.msgid
    approve(po, "During the early hours", entry.msgstr.replace("3", "4", 1))
    result = invoke("check", "-l", "es")
    assert result.exit_code == 1
    assert (f"i18n/es/001_848bedc52bb3e968.po:{entry.lineno}: error [numbers] numbers or dates changed: "
            "missing 3; added 4") in result.output


def test_strict_export_withholds_entries_that_fail_an_error_check(reviewed: Path) -> None:
    po = reviewed / "i18n" / "es" / "001_848bedc52bb3e968.po"
    approve(po, "**Copyright", "Copyright © International Viewpoint - todos los derechos reservados")
    entry = next(m for m in load_po(po).messages if m.msgid.startswith("**Copyright"))
    content = reviewed / "exports" / "es" / "001_848bedc52bb3e968" / "OEBPS" / "content.xhtml"

    assert invoke("export", "-l", "es").exit_code == 0
    assert "todos los derechos reservados" in content.read_text(encoding="utf-8")

    result = invoke("export", "-l", "es", "--strict")
    assert result.exit_code == 1
    assert (f"i18n/es/001_848bedc52bb3e968.po:{entry.lineno}: not published (--strict): fails markup"
            in result.output)
    page = content.read_text(encoding="utf-8")
    assert "todos los derechos reservados" not in page
    assert "¡Alto a la agresión imperialista contra Venezuela!" in page
