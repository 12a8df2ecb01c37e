"""Exports against real validators: EPUBCheck on every bundle, a strict XML parser, escaping."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.bundle import epub_bytes
from pipeline.cli import cli
from pipeline.render import Edition, Translation, render_book
from pipeline.segment import segment
from pipeline.sources import SourceText

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def epubcheck(target: Path, expanded: bool) -> subprocess.CompletedProcess[str]:
    """Run EPUBCheck.  In expanded mode it zips the folder to <folder>.epub beside it and then
    deletes that file, which would clobber our own <doc>.epub: so check a private copy."""
    if not expanded:
        return subprocess.run(["java", "-jar", "/usr/bin/epubcheck", str(target)],
                              capture_output=True, text=True, check=False)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / target.name
        shutil.copytree(target, copy)
        return subprocess.run(["java", "-jar", "/usr/bin/epubcheck", "--mode", "exp", str(copy)],
                              capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import ROOT

    root = tmp_path_factory.mktemp("exported")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(ROOT / "pipeline.toml", root / "pipeline.toml")
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(root / "pipeline.toml"), "run", "--epub"])
    assert result.exit_code == 0, result.output
    return root


def test_every_bundle_passes_epubcheck_with_no_messages(exported: Path) -> None:
    bundles = sorted(p for p in (exported / "exports").glob("*/*") if p.is_dir())
    zipped = sorted((exported / "exports").glob("*/*.epub"))
    assert len(bundles) == 20 and len(zipped) == 20
    jobs = [(b, True) for b in bundles] + [(z, False) for z in zipped]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: (job[0], epubcheck(*job)), jobs))
    for target, result in results:
        assert result.returncode == 0, f"{target}: {result.stdout}{result.stderr}"
        assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in result.stdout, target


def test_xhtml_is_well_formed_and_languages_are_marked(exported: Path) -> None:
    for content in sorted((exported / "exports").glob("*/*/OEBPS/*.xhtml")):
        tree = ET.parse(content)  # strict XML parser: raises on anything malformed
        lang = content.parts[-4]
        root = tree.getroot()
        assert root.get("lang") == lang and root.get(XML_LANG) == lang
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), content
        for element in root.iter():
            if "untranslated" in (element.get("class") or ""):
                assert element.get("lang") == "en" and element.get(XML_LANG) == "en"
        if content.name == "content.xhtml":
            header = root.find(f".//{XHTML}header")
            assert header is not None and root.find(f".//{XHTML}h1") is not None
        else:
            assert all((a.text or "").strip() for a in root.iter(f"{XHTML}a")), "empty nav entry"


def test_original_shows_title_author_date_and_source(exported: Path) -> None:
    xhtml = (exported / "exports" / "en" / "002_a52b92a0a50288ae" / "OEBPS" / "content.xhtml").read_text()
    assert "<h1" in xhtml and "What’s wrong with US aggression against Venezuela?" in xhtml
    assert "By Social Movment" in xhtml
    assert '<time datetime="2026-01-03">January 3, 2026</time>' in xhtml
    assert '<a href="https://rev.org.ua/shho-ne-tak-z-napadom-na-venesuelu/">' in xhtml
    spanish = (exported / "exports" / "es" / "002_a52b92a0a50288ae" / "OEBPS" / "content.xhtml").read_text()
    assert '<time datetime="2026-01-03">3 de enero de 2026</time>' in spanish


def test_epub_zip_is_deterministic_with_mimetype_first(exported: Path) -> None:
    epub = exported / "exports" / "fr" / "001_848bedc52bb3e968.epub"
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    assert epub_bytes(files) == epub.read_bytes()


HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> & ]]> {{ 7*7 }} \x0b'


def test_hostile_text_stays_literal_and_valid(tmp_path: Path) -> None:
    doc = segment(SourceText("evil", "seeds/evil.txt",
                             f"A title {HOSTILE}\n\nA paragraph {HOSTILE} with [a link](javascript:alert(1))."))
    translations = {b.text: Translation(f"Traducción {HOSTILE}", True) for b in doc.translatable()}
    files = render_book(Edition(doc, "es", "en", translations, modified="2026-01-01T00:00:00Z"))
    content = files["OEBPS/content.xhtml"].decode()
    ET.fromstring(content)
    assert "<script>" not in content and "<img" not in content and "javascript:" not in content
    assert "&lt;script&gt;" in content and "{{ 7*7 }}" in content
    folder = tmp_path / "evil"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    result = epubcheck(folder, expanded=True)
    assert result.returncode == 0, result.stdout + result.stderr
