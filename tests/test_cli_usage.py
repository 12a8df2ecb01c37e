"""The command behaves as Click users expect: help, global options anywhere, language lists,
one exit-code scheme, the project found from any subfolder, `init`, honest summaries."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT, invoke

from pipeline.cli import cli

BROKEN = "000_afd28e63ccbb2c86"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception), (result.output, result.exc_info)
    return result.exit_code, result.output


def _break(project: Path, lang: str = "es") -> Path:
    po = project / "i18n" / lang / f"{BROKEN}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""', "msgstr unterminated", 1), encoding="utf-8")
    return po


@pytest.fixture()
def segmented(project: Path) -> Path:
    assert invoke("segment").exit_code == 0
    return project


@pytest.mark.parametrize("args", [["-h"], ["status", "-h"], ["models", "install", "-h"], ["init", "-h"]])
def test_short_help_everywhere(project: Path, args: list[str]) -> None:
    code, out = _run(*args)
    assert code == 0 and out.startswith("Usage: ")


def test_global_options_after_the_subcommand(segmented: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert _run("status", "-q")[0] == 0
    quiet = CliRunner().invoke(cli, ["segment", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    loud = CliRunner().invoke(cli, ["segment"])
    assert loud.output.startswith("segment: ")
    # --config after the subcommand chooses another project, whose paths are its own
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(ROOT / "seeds", other / "seeds")
    (other / "pipeline.toml").write_text('[project]\ntarget_languages = ["pt"]\n', encoding="utf-8")
    assert _run("segment", "--config", str(other / "pipeline.toml"))[0] == 0
    assert (other / "i18n" / "pt" / f"{BROKEN}.po").is_file() and not (other / "i18n" / "es").exists()
    code, out = _run("status", "--json", "--config", str(other / "pipeline.toml"))
    assert code == 0 and {r["language"] for r in json.loads(out)["documents"]} == {"pt"}


@pytest.mark.parametrize("langs", [["-l", "es,pt"], ["-l", "es", "-l", "pt"], ["-l", "pt, es"],
                                   ["--lang=es,pt,es"]])
def test_language_lists(segmented: Path, langs: list[str]) -> None:
    code, out = _run("status", "--json", *langs)
    assert code == 0
    assert sorted({r["language"] for r in json.loads(out)["documents"]}) == ["es", "pt"]


@pytest.mark.parametrize("value", ["xx-Klingon", "de", "es,de", "123", "ES_es_x", "zz", ",", ""])
@pytest.mark.parametrize("command", ["status", "segment", "translate", "export", "run", "check"])
def test_bad_lang_is_always_a_usage_error(segmented: Path, command: str, value: str) -> None:
    code, out = _run(command, "-l", value)
    assert code == 2, out
    assert "Invalid value for '-l' / '--lang'" in out
    assert "es, pt, fr" in out or "not a language code" in out or "no language code given" in out


def test_project_found_from_a_subfolder_and_paths_relative_to_its_root(segmented: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _break(segmented)
    deep = segmented / "seeds" / "deeper"
    deep.mkdir()
    monkeypatch.chdir(deep)
    for command in (["status"], ["check"], ["segment"], ["export", "-l", "es"]):
        code, out = _run(*command)
        assert code == 1, (command, out)
        assert f"i18n/es/{BROKEN}.po:" in out, (command, out)
        assert str(segmented) not in out, (command, out)
    code, out = _run("status", "-l", "pt")
    assert code == 0 and f"i18n/pt/{BROKEN}.po" in out


def test_outside_any_project_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _run("status")
    assert code == 1
    assert "no pipeline.toml in" in out and "pipeline init" in out


def test_init_makes_a_project_that_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _run("init", "newsroom", "-l", "es,pt", "--name", "Newsroom")
    assert code == 0, out
    assert "created pipeline.toml" in out and "next: cd newsroom && pipeline run" in out
    root = tmp_path / "newsroom"
    assert sorted(p.name for p in root.iterdir()) == ["exports", "glossary", "i18n", "pipeline.toml", "sources"]
    monkeypatch.chdir(root / "sources")  # found from a subfolder
    code, out = _run("run", "--engine", "pseudo")
    assert code == 0, out
    assert (root / "i18n" / "pt" / "sample-article.po").is_file()
    assert (root / "exports" / "es" / "sample-article" / "OEBPS" / "content.xhtml").is_file()
    assert "Newsroom" in (root / "exports" / "es" / "collection" / "OEBPS" / "title.xhtml").read_text()
    code, again = _run("init", str(root))
    assert code == 1 and "pipeline.toml: a project already exists here" in again
    assert _run("init", str(tmp_path / "x"), "-l", "en")[0] == 2
    assert _run("init", str(tmp_path / "y"), "-l", "klingon")[0] == 2
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_status_shows_a_broken_catalog_as_a_row(segmented: Path) -> None:
    _break(segmented)
    code, out = _run("status", "-l", "es")
    assert code == 1
    row = next(line for line in out.splitlines() if line.startswith(f"i18n/es/{BROKEN}.po"))
    assert "not readable:" in row and re.search(rf"{BROKEN}\.po:\d+: ", row)
    assert "1 catalog(s) could not be read and are not counted" in out
    code, out = _run("status", "-l", "es", "--json")
    data = json.loads(out[:out.rindex("}") + 1])
    assert code == 1 and data["unreadable"] == 1
    broken = [r for r in data["documents"] if "error" in r]
    assert [r["catalog"] for r in broken] == [f"i18n/es/{BROKEN}.po"] and len(data["documents"]) == 5


def test_check_summary_matches_its_exit_code(segmented: Path) -> None:
    code, out = _run("check", "-l", "es")
    assert code == 0 and out.strip().endswith("0 error(s), 0 warning(s); passed")
    _break(segmented)
    code, out = _run("check", "-l", "es")
    assert code == 1
    assert "1 file(s) could not be checked" in out and "passed" not in out


@pytest.mark.slow
def test_no_progress_labels_when_not_a_terminal(segmented: Path) -> None:
    result = CliRunner().invoke(cli, ["translate", "-l", "es", "--engine", "apertium"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if not line.startswith("es: no glossary")]  # a notice
    assert lines == [line for line in lines if line.startswith("translate es: ")] and len(lines) == 1, lines


def test_a_bad_configuration_found_from_a_subfolder_is_named_from_the_root(project: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    toml = project / "pipeline.toml"
    toml.write_text(toml.read_text() + "\n[project2]\n", encoding="utf-8")
    monkeypatch.chdir(project / "seeds")
    code, out = _run("status")
    assert code == 1 and re.search(r"^error: pipeline\.toml:\d+: unknown section \[project2\]", out, re.M), out
    assert str(project) not in out


def test_status_before_any_segment_is_not_100_percent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run("init", "-l", "es")[0] == 0
    code, out = _run("status")
    assert code == 1
    assert "error: i18n: no catalogs yet (run 'pipeline segment' (or 'pipeline run') to create them)" in out
    total = next(line for line in out.splitlines() if line.startswith("total"))
    assert total.rstrip().endswith("n/a") and "100.0%" not in out
