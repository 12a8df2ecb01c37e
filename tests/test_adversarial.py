"""The adversarial corpus: every file in tests/adversarial/ is one case with its expected answer.

Each case is dropped into a project beside two good articles and the whole
pipeline runs.  A rejected input must give one line naming the file, the line
or byte offset and what to do; exit 1; no traceback; no file for it; and the
good articles processed in full.  An accepted input must come out right.
The adversarial table in docs/testing.md lists every case (tested at the end).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import ROOT, SEEDS, EpubChecker, invoke, msgfmt_check, snapshot

from pipeline.po import load_po

ADV = Path(__file__).parent / "adversarial"
GOOD = [SEEDS[0], SEEDS[1]]
DOC = SEEDS[0].stem


@dataclass(frozen=True)
class Expect:
    """``message`` None: accepted; else the error line must contain it (and ``where``)."""

    message: str | None = None
    where: str = ""  # ":LINE:" for a line number, "" when the file name is the point
    msgids: tuple[str, ...] = ()  # accepted: entries that must be in the catalog


SOURCES = {
    "utf8-bom.txt": Expect(msgids=("Title after a byte order mark",
                                   "A paragraph in a file that starts with a UTF-8 BOM.")),
    "crlf.txt": Expect(msgids=("Title with Windows line ends", "A paragraph hard-wrapped with CRLF line ends.")),
    "lone-cr.txt": Expect(msgids=("Title with old Mac line ends",
                                  "A paragraph hard-wrapped with lone CR line ends.")),
    "windows-1252.txt": Expect("not valid UTF-8 (byte offset 3, byte 0xE9): looks like Windows-1252 text "
                               "('Café' in Windows-1252) (convert it: iconv -f WINDOWS-1252", ":1:"),
    "latin-1.txt": Expect("not valid UTF-8 (byte offset 3, byte 0xE9): looks like Latin-1 (ISO-8859-1) text "
                          "('Café' in Latin-1 (ISO-8859-1)) (convert it: iconv -f ISO-8859-1", ":1:"),
    "utf-16.txt": Expect("UTF-16 text, not UTF-8 (byte offset 0, byte 0xFF) (convert it: iconv -f UTF-16", ":1:"),
    "binary.txt": Expect("binary file, not text (byte offset 0, byte 0x89)", ":1:"),
    "empty.txt": Expect("empty file: nothing to translate (write the article into it, or remove the file"),
    "whitespace-only.txt": Expect("only whitespace: nothing to translate"),
    "control-characters.txt": Expect(msgids=("Control characters",
                                             "A NUL here, a vertical tab there and an escape[31m sequence.")),
    "lone-surrogate.txt": Expect("not valid UTF-8: an encoded UTF-16 surrogate (lone surrogate) at byte "
                                 "offset 36, byte 0xED", ":3:"),
    "html-and-jinja.txt": Expect(msgids=("Markup <b>and</b> {{ 7*7 }}",
                                         "<script>alert(1)</script> and {{ 7*7 }} and {% raw %} stay literal; "
                                         "so do &amp; and ]]>.")),
    "5mb-paragraph.json": Expect(),  # generated: one paragraph of 5,000,000 bytes
}

FILENAMES = {
    "with space.txt": Expect("file name cannot be used as a document id (it names catalogs and books) "
                             "(rename it to ASCII letters, digits, '.', '_' and '-' only, not starting with "
                             "'-' or '.', for example 'with-space.txt')"),
    "café.txt": Expect("for example 'cafe.txt'"),
    "-rf.txt": Expect("for example 'rf.txt'"),
    "...txt": Expect("file name cannot be used as a document id"),
    "collection.txt": Expect("file name is reserved for the books export writes"),
    "notes.bilingual.txt": Expect("file name is reserved for the books export writes"),
}

CATALOGS = {
    "unterminated-string.po": Expect("string is not enclosed in double quotes", ":25:"),
    "missing-quotes.po": Expect("cannot understand this line: 'msgstr Venezuela - estado español'", ":25:"),
    "duplicate-msgid.po": Expect("duplicate message definition (first at line 27) (remove one of the two",
                                 ":155:"),
    "duplicate-obsolete.po": Expect("duplicate message definition (first at line 155)", ":158:"),
    "obsolete-twin-of-approved.po": Expect("duplicate message definition (first at line 27) (remove one of the two "
                                           "entries (an obsolete #~ entry counts too))", ":154:"),
    "unknown-charset.po": Expect("unsupported charset in Content-Type: 'text/plain; charset=KOI9-X' "
                                 "(convert the catalog with 'msgconv -t UTF-8')", ":1:"),
    "declared-latin1.po": Expect("unsupported charset in Content-Type: 'text/plain; charset=ISO-8859-1'", ":1:"),
    "bytes-contradict-charset.po": Expect("not valid UTF-8 (byte offset 796)", ":25:"),
    "header-value-newline.po": Expect("header field 'POT-Creation-Date' appears twice (a value with a line "
                                      "break in it?)", ":1:"),
    "plural-divides-by-zero.po": Expect("Plural-Forms divides by zero (for n = 0)", ":1:"),
    "wrong-language.po": Expect("catalog is for language 'fr' but sits in the folder for 'es'", ":1:"),
    "empty.po": Expect("empty catalog file (a save that failed?) (restore it from version control", ":1:"),
    "reordered.pot": Expect(),  # templates are generated: rewritten in source order, catalogs untouched
}

CONFIG = {
    "unknown-key.toml": Expect("unknown key 'targets' in [project] (known keys:", ":4:"),
    "unknown-section.toml": Expect("unknown section [engine] (known sections:", ":4:"),
    "unknown-language.toml": Expect("unknown language code 'xx-Klingon' in [project] target_languages", ":2:"),
    "bcp47-codes.toml": Expect(),  # ES -> es, pt-BR -> pt_BR
    "engine-not-installed.toml": Expect("es: no argos model installed for en->es"),
    "unknown-engine.toml": Expect("unknown engine 'deepl' for 'default' in [engines]", ":5:"),
    "sources-missing.toml": Expect("no-such-folder: source folder does not exist (create it or fix [paths] "
                                   "sources in pipeline.toml)"),
    "name-with-newline.toml": Expect("[project] name contains a line break or control character", ":2:"),
    "not-toml.toml": Expect("not valid TOML: Expected ']' at the end of a table declaration", ":1:"),
    "source-is-target.toml": Expect(),  # the publication's languages: English articles get no English catalog
}

MODELS = {
    "dotdot-member.json": "archive member 'translate-en_es-9_9/../../evil.py' would escape the model folder",
    "absolute-member.json": "archive member '/tmp/evil.py' would escape the model folder",
    "symlink-member.json": "archive member 'translate-en_es-9_9/model/link' is a symbolic link",
    "two-top-folders.json": "archive must hold exactly one top folder, found 2",
    "no-metadata.json": "archive has no metadata.json in its top folder",
    "malformed-metadata.json": "metadata.json is unreadable",
    "metadata-without-codes.json": "metadata.json lacks from_code/to_code",
    "overwrites-installed-folder.json": "a model is already installed at",
    "same-pair-as-installed.json": "a model for en->es is already installed (translate-en_es-1.0) "
                                   "(pass --force to replace it)",
    "zip-bomb.json": "would unpack 1028 times larger than it is stored (a zip bomb?)",
    "truncated.json": "not a zip archive, or a truncated one",
    "not-a-zip.json": "not a zip archive, or a truncated one",
}


def test_every_case_file_has_an_expectation() -> None:
    for folder, table in (("sources", SOURCES), ("filenames", FILENAMES), ("catalogs", CATALOGS),
                          ("config", CONFIG), ("models", MODELS)):
        assert sorted(p.name for p in (ADV / folder).iterdir()) == sorted(table), folder


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, targets: str = '["es"]') -> Path:
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    for seed in GOOD:
        shutil.copy(seed, project / "seeds")
    (project / "pipeline.toml").write_text(f'[project]\ntarget_languages = {targets}\n'
                                           '[engines]\ndefault = "none"\n', encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def _errors(output: str) -> list[str]:
    assert "Traceback" not in output, output
    return [line for line in output.splitlines() if line.startswith("error:")]


def _good_articles_done(project: Path, seeds: list[Path] = GOOD) -> None:
    for seed in seeds:
        po = project / "i18n" / "es" / f"{seed.stem}.po"
        assert po.exists() and msgfmt_check(po).returncode == 0
        assert (project / "exports" / "es" / seed.stem / "OEBPS" / "content.xhtml").exists()


def _expect_error(output: str, path: str, expect: Expect) -> None:
    errors = _errors(output)
    assert len(errors) == 1, output
    assert expect.message is not None and expect.message in errors[0], errors[0]
    assert f"{path}{expect.where}" in errors[0], errors[0]


def _materialise(case: Path, folder: Path) -> Path:
    if case.suffix == ".json":  # a generated source: a paragraph of the given size
        recipe = json.loads(case.read_text(encoding="utf-8"))
        line = recipe["line"]
        body = (line * (recipe["bytes"] // len(line) + 1))[:recipe["bytes"]].rstrip() + "."
        target = folder / f"{case.stem}.txt"
        target.write_text(f"A very long article\n\n{body}\n", encoding="utf-8")
        return target
    return Path(shutil.copy(case, folder / case.name))


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n.startswith("5mb") else n
                                  for n in sorted(SOURCES)], ids=lambda n: n.rsplit(".", 1)[0])
def test_sources(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    source = _materialise(ADV / "sources" / name, project / "seeds")
    expect = SOURCES[name]
    result = invoke("run")
    _good_articles_done(project)
    po = project / "i18n" / "es" / f"{source.stem}.po"
    if expect.message:
        assert result.exit_code == 1
        _expect_error(result.output, f"seeds/{source.name}", expect)
        assert not po.exists() and not (project / "exports" / "es" / source.stem).exists()
        assert not (project / "i18n" / "templates" / f"{source.stem}.pot").exists()
        return
    assert result.exit_code == 0 and not _errors(result.output), result.output
    assert msgfmt_check(po).returncode == 0
    msgids = [m.msgid for m in load_po(po).active()]
    for wanted in expect.msgids:
        assert wanted in msgids, msgids
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]", m) for m in msgids)
    page = project / "exports" / "es" / source.stem / "OEBPS" / "content.xhtml"
    tree = ElementTree.parse(page)  # well-formed XML, whatever the text held
    text = "".join(tree.getroot().itertext())
    for wanted in expect.msgids[1:]:
        assert wanted in text
    if name == "html-and-jinja.txt":
        raw = page.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script" not in raw
        assert "{{ 7*7 }}" in raw and "49" not in raw
    if name == "5mb-paragraph.json":
        assert max(len(m) for m in msgids) >= 4_999_000


@pytest.mark.parametrize("name", sorted(FILENAMES), ids=lambda n: n.replace(" ", "_"))
def test_file_names(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    assert invoke("run").exit_code == 0
    expected = _files(project)
    shutil.copy(ADV / "filenames" / name, project / "seeds" / name)
    result = invoke("run")
    assert result.exit_code == 1
    _expect_error(result.output, f"seeds/{name}", FILENAMES[name])
    _good_articles_done(project)
    assert _files(project) - {f"seeds/{name}"} == expected  # nothing written for it, anywhere
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # nothing escaped upwards


def _files(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in project.rglob("*")
            if p.is_file() and ".cache" not in p.parts}


@pytest.mark.parametrize("name", sorted(CATALOGS), ids=lambda n: n.rsplit(".", 1)[0])
def test_catalogs(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    assert invoke("segment").exit_code == 0
    case = ADV / "catalogs" / name
    folder = "templates" if case.suffix == ".pot" else "es"
    target = project / "i18n" / folder / f"{DOC}{case.suffix}"
    shutil.copy(case, target)
    others = {k: v for k, v in snapshot(project).items() if DOC not in k}
    result = invoke("run")
    expect = CATALOGS[name]
    if expect.message:
        assert result.exit_code == 1
        _expect_error(result.output, f"i18n/{folder}/{DOC}{case.suffix}", expect)
        assert target.read_bytes() == case.read_bytes()  # left exactly as the reviewer has it
        assert not (project / "exports" / "es" / DOC).exists()
    else:
        assert result.exit_code == 0 and not _errors(result.output), result.output
        po = project / "i18n" / "es" / f"{DOC}.po"
        pot_ids = [m.msgid for m in load_po(target).messages]
        assert pot_ids == [m.msgid for m in load_po(po).active()]  # source order again
        assert target.read_bytes() != case.read_bytes()
    _good_articles_done(project, GOOD[1:])
    after = snapshot(project)
    assert all(after.get(k) == v for k, v in others.items() if k.startswith("i18n/"))


@pytest.mark.parametrize("name", sorted(CONFIG), ids=lambda n: n.rsplit(".", 1)[0])
def test_configuration(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    shutil.copy(ADV / "config" / name, project / "pipeline.toml")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    result = invoke("run")
    expect = CONFIG[name]
    if expect.message is None and name == "source-is-target.toml":
        assert result.exit_code == 0 and not _errors(result.output), result.output
        assert sorted(p.name for p in (project / "i18n").iterdir() if p.is_dir()) == ["es", "templates"], \
            "an English article has no English catalog"
        assert (project / "exports" / "en" / GOOD[0].stem / "OEBPS" / "content.xhtml").is_file()
        return
    if expect.message is None:
        assert result.exit_code == 0 and not _errors(result.output), result.output
        assert sorted(p.name for p in (project / "i18n").iterdir() if p.is_dir()) == ["es", "pt_BR", "templates"]
        page = project / "exports" / "pt_BR" / GOOD[0].stem / "OEBPS" / "content.xhtml"
        assert 'xml:lang="pt-BR"' in page.read_text(encoding="utf-8")
        return
    assert result.exit_code == 1
    path = "" if expect.where == "" else "pipeline.toml"
    _expect_error(result.output, path, expect)
    if name == "engine-not-installed.toml":  # only that language is skipped
        assert all((project / "i18n" / "pt" / f"{s.stem}.po").exists() for s in GOOD)
        assert (project / "exports" / "pt" / GOOD[0].stem).exists()
    elif name != "sources-missing.toml":
        assert not (project / "i18n").exists() and not (project / "exports").exists()


def _build_archive(recipe: dict[str, object], out: Path) -> Path:
    if "raw" in recipe:
        out.write_text(str(recipe["raw"]), encoding="utf-8")
        return out
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in recipe["members"]:  # type: ignore[attr-defined]
            name = member["name"]
            if "symlink" in member:
                info = zipfile.ZipInfo(name)
                info.external_attr = (0o120777 << 16)
                archive.writestr(info, member["symlink"])
            elif "zeros" in member:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as handle:
                    chunk = bytes(1024 * 1024)
                    for _ in range(member["zeros"] // len(chunk)):
                        handle.write(chunk)
            elif "random" in member:
                archive.writestr(name, random.Random(5).randbytes(member["random"]))
            else:
                data = json.dumps(member["json"]) if "json" in member else member["text"]
                archive.writestr(name, data)
    data = buffer.getvalue()
    if "truncate" in recipe:
        data = data[:int(len(data) * float(recipe["truncate"]))]  # type: ignore[arg-type]
    out.write_bytes(data)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MODELS), ids=lambda n: n.rsplit(".", 1)[0])
def test_model_archives(name: str, argos_installed: Path, tmp_path: Path) -> None:
    archive = _build_archive(json.loads((ADV / "models" / name).read_text(encoding="utf-8")),
                             tmp_path / f"{Path(name).stem}.argosmodel")
    before = sorted(p.relative_to(argos_installed).as_posix() for p in argos_installed.rglob("*"))
    result = invoke("models", "install", str(archive))
    assert result.exit_code == 1
    errors = _errors(result.output)
    assert len(errors) == 1 and MODELS[name] in errors[0] and str(archive) in errors[0], result.output
    after = sorted(p.relative_to(argos_installed).as_posix() for p in argos_installed.rglob("*"))
    assert after == before  # nothing written, nothing half-installed, nothing left over
    assert not (tmp_path.parent / "evil.py").exists() and not Path("/tmp/evil.py").exists()
    listed = invoke("models", "list")
    assert listed.exit_code == 0 and "translate-en_es-1.0" in listed.output  # the other model still works
    from pipeline.engines.argos import ArgosEngine, find_package

    info = find_package("en", "es")
    assert info is not None and all(ArgosEngine(info).translate(["The working class met."]))


@pytest.mark.slow
def test_hostile_approved_translations_render_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      epubcheck: EpubChecker) -> None:
    project = _project(tmp_path, monkeypatch)
    assert invoke("segment").exit_code == 0
    shutil.copy(ADV / "translations" / "hostile-approved.po", project / "i18n" / "es" / f"{DOC}.po")
    result = invoke("export", "--epub")
    assert result.exit_code == 0 and not _errors(result.output), result.output
    book = project / "exports" / "es" / DOC
    raw = (book / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    ElementTree.fromstring(raw.encode("utf-8"))
    assert "&lt;script&gt;alert('x')&lt;/script&gt; ¡EE.UU. fuera!" in raw and "<script" not in raw
    assert "{{ 7*7 }} {% raw %}x{% endraw %} ]]&gt; &amp;amp; &amp;" in raw
    assert "Texto &quot;&gt;&lt;img src=x onerror=alert(1)&gt; fin y [31m rojo" in raw
    assert "\x1b" not in raw and "\x0b" not in raw
    opf = (book / "OEBPS" / "content.opf").read_text(encoding="utf-8")
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; {{ name }}" in opf
    epub = project / "exports" / "es" / f"{DOC}.epub"
    assert epubcheck.check([epub]) == {epub: []}


def test_readme_table_lists_every_case() -> None:
    testing = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    table = testing[testing.index("## Adversarial inputs"):]
    for folder in ("sources", "filenames", "catalogs", "config", "models", "translations"):
        for case in (ADV / folder).iterdir():
            assert f"`{folder}/{case.name}`" in table, case.name
    assert os.path.isdir(ADV)
