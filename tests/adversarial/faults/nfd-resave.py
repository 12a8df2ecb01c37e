"""An article re-saved in Unicode NFD (decomposed accents): no msgid changes, no approval is demoted.

The article is Spanish (identified), so its catalogs are the other languages': pt here.
"""
import unicodedata
from pathlib import Path

EXPECT = None
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    path = root / "seeds" / "accents.txt"
    path.write_text("Café con leche\n\nLa canción de Ñandú, en Bogotá.\n", encoding="utf-8")
    _run(root)
    po = root / "i18n" / "pt" / "accents.po"
    text = po.read_text(encoding="utf-8").replace('msgstr ""\n\n#', 'msgstr ""\n\n#', 1)
    text = text.replace('msgid "La canción de Ñandú, en Bogotá."\nmsgstr ""',
                        'msgid "La canción de Ñandú, en Bogotá."\nmsgstr "La canción de Ñandú, en Bogotá."')
    po.write_text(text, encoding="utf-8")
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")


def _run(root: Path) -> None:
    from helpers import invoke

    assert invoke("segment").exit_code == 0


def verify(root: Path, output: str) -> None:
    text = (root / "i18n" / "pt" / "accents.po").read_text(encoding="utf-8")
    assert 'msgid "La canción de Ñandú, en Bogotá."\nmsgstr "La canción de Ñandú, en Bogotá."' in text
    assert "#, fuzzy\nmsgid \"La canci" not in text and "#| msgid" not in text
    assert unicodedata.is_normalized("NFC", text)
