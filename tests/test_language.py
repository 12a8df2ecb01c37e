"""One Language type: BCP 47 and gettext spellings in, gettext folder names and ``lang`` tags out."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import invoke

from pipeline.errors import ConfigError
from pipeline.language import Language


@pytest.mark.parametrize("written, gettext, tag, base", [
    pytest.param("es", "es", "es", "es", id="plain"),
    pytest.param("ES", "es", "es", "es", id="upper-case"),
    pytest.param("es-419", "es_419", "es-419", "es", id="bcp47-region-number"),
    pytest.param("pt-BR", "pt_BR", "pt-BR", "pt", id="bcp47-region"),
    pytest.param("pt_br", "pt_BR", "pt-BR", "pt", id="gettext-lower-case"),
    pytest.param("sr-Latn", "sr_Latn", "sr-Latn", "sr", id="bcp47-script"),
    pytest.param("sr@latin", "sr@latin", "sr-Latn", "sr", id="gettext-modifier-script"),
    pytest.param("sr-Latn-RS", "sr_Latn_RS", "sr-Latn-RS", "sr", id="script-and-region"),
    pytest.param("zh-Hant-TW", "zh_Hant_TW", "zh-Hant-TW", "zh", id="chinese-traditional"),
    pytest.param("zh_TW", "zh_TW", "zh-TW", "zh", id="gettext-alias"),
    pytest.param("ca@valencia", "ca@valencia", "ca-valencia", "ca", id="gettext-modifier-variant"),
    pytest.param("ast", "ast", "ast", "ast", id="three-letters"),
])
def test_spellings_are_read_as_one_language(written: str, gettext: str, tag: str, base: str) -> None:
    language = Language.parse(written, "test")
    assert (str(language), language.tag, language.base) == (gettext, tag, base)
    assert language.same(tag) and language.same(gettext)


@pytest.mark.parametrize("written, message", [
    pytest.param("und", "names no language", id="undetermined"),
    pytest.param("mul", "names no language", id="multiple"),
    pytest.param("zxx", "names no language", id="no-linguistic-content"),
    pytest.param("qaa", "names no language", id="private-use"),
    pytest.param("tlh", "unknown language code", id="no-cldr-data"),
    pytest.param("es_XX", "unknown language code", id="unknown-region"),
    pytest.param("templates", "unknown language code", id="reserved-folder-name"),
    pytest.param("../es", "unknown language code", id="path"),
    pytest.param("", "empty language code", id="empty"),
])
def test_codes_that_name_no_language_are_refused(written: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Language.parse(written, "[project] target_languages")


def test_names_direction_and_plural_forms_come_from_babel() -> None:
    assert Language("es_419").name() == "Spanish (Latin America)"
    assert Language("sr@latin").name("en") == "Serbian (Latin)"
    assert Language("ar").rtl and not Language("sr@latin").rtl
    assert Language("ar").plural_forms().startswith("nplurals=6;")


def test_a_project_in_bcp47_languages_gets_gettext_folders_and_bcp47_lang_attributes(project: Path) -> None:
    toml = (project / "pipeline.toml").read_text(encoding="utf-8")
    (project / "pipeline.toml").write_text(
        toml.replace('target_languages = ["es", "pt", "fr"]', 'target_languages = ["es-419", "sr@latin", "pt-BR"]'),
        encoding="utf-8")
    result = invoke("run", "--engine", "pseudo", "--include-drafts")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "i18n").iterdir() if p.is_dir()) == [
        "es_419", "labels", "pt_BR", "sr@latin", "templates"]
    assert sorted(p.name for p in (project / "i18n" / "labels").iterdir()) == ["sr@latin.po"], \
        "the product ships Spanish and Portuguese words, not Serbian ones"
    for folder, header, tag in (("es_419", "es_419", "es-419"), ("sr@latin", "sr@latin", "sr-Latn"),
                                ("pt_BR", "pt_BR", "pt-BR")):
        po = next((project / "i18n" / folder).glob("*.po"))
        assert f'"Language: {header}\\n"' in po.read_text(encoding="utf-8")
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        epub = next((project / "exports" / folder).glob("*.epub"))
        with zipfile.ZipFile(epub) as book:
            opf = book.read("OEBPS/content.opf").decode("utf-8")
        assert f"<dc:language>{tag}</dc:language>" in opf, opf[:600]
