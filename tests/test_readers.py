"""The books and the web edition as the readers' and publishers' own tools see them.

Ace by DAISY (the EPUB accessibility checker), axe-core (on every web edition
page, in Debian's Chromium through chromedriver), EPUBCheck's usage messages
and Calibre's ``ebook-meta`` and ``ebook-convert`` run on a project with articles in
four languages (two English seeds, a Spanish article that declares its language,
a French one that does not, a Brazilian HTML page), drafted, partly reviewed and
exported.  None of these tools is
written here; ``scripts/setup-readers.sh`` installs them (Ace and axe from npm
into ``.readers/``).  Every failure shows the tool's own report.  Ace (its core,
as ``ace-cli`` calls it, ``tests/ace_many.js``) and ``ebook-meta``'s code
(``tests/calibre_meta.py``) run once per book in one process for all the books,
and ``epubcheck -u`` in the session's EPUBCheck JVM: the tools' own checks and
reports, with one start-up instead of one per book.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from helpers import DC, OPF, ROOT, SEEDS, XHTML, EpubChecker, epubcheck_jar, export_all, mixed_project

pytestmark = pytest.mark.slow

NODE_BIN = ROOT / ".readers" / "node_modules" / ".bin"
AXE_SOURCE = ROOT / ".readers" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PUBLISHER = "Colectivo Editorial Solidario"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
ISO_639_2 = {"en": "eng", "es": "spa", "pt": "por", "fr": "fra"}
SETUP = "run scripts/setup-readers.sh"
CALIBRE_META = Path(__file__).resolve().parent / "calibre_meta.py"
ACE_MANY = Path(__file__).resolve().parent / "ace_many.js"
AXE_MANY = Path(__file__).resolve().parent / "axe_many.js"
ENV = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "QT_QPA_PLATFORM": "offscreen",
       "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}


def _need(*tools: Path | str) -> None:
    for tool in tools:
        if not (Path(tool).exists() if isinstance(tool, Path) else shutil.which(tool)):
            pytest.skip(f"{tool} is not installed ({SETUP})")


SEEDS_USED = (SEEDS[0], SEEDS[2])  # one without a byline (the publisher is its creator), one with
ARTICLES = {"en": 2, "es": 1, "fr": 1, "pt": 1}  # written in each language
ORIGINALS = {"en": tuple(s.stem for s in SEEDS_USED), "es": ("solidaridad",), "fr": ("greve",), "pt": ("reforma",)}
# Ace and axe look at every edition kind in every language and at every original; PIPELINE_READERS=all
# makes them look at every book and page (measured so before each release: see the README's figures).
EVERY_BOOK = os.environ.get("PIPELINE_READERS") == "all"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mixed project with a publisher, drafted, half reviewed and exported with the web edition."""
    root = mixed_project(tmp_path_factory.mktemp("readers") / "mixed", SEEDS_USED,
                         extra=f'publisher = "{PUBLISHER}"\n')
    export_all(root)
    return root / "exports"


def _epubs(exports: Path) -> list[Path]:
    """Every .epub: per language its originals, the translations and bilingual editions of the other
    articles, and the two collections."""
    found = sorted(exports.glob("*/*.epub"))
    others = {lang: sum(ARTICLES.values()) - own for lang, own in ARTICLES.items()}
    assert len(found) == sum(ARTICLES[lang] + 2 * others[lang] + 2 for lang in ARTICLES), found
    return found


def _looked_at(exports: Path) -> list[Path]:
    """The books Ace and axe check: in each language its originals, one translation and one bilingual
    edition, and both collections (every template in every language); every book with EVERY_BOOK."""
    if EVERY_BOOK:
        return _epubs(exports)
    names = {lang: [*own, *(f"{doc}{suffix}" for doc in ["solidaridad" if lang == "en" else SEEDS_USED[1].stem]
                            for suffix in ("", ".bilingual")), "collection", "collection.bilingual"]
             for lang, own in ORIGINALS.items()}
    return [exports / lang / f"{name}.epub" for lang in sorted(names) for name in names[lang]]


def _opf(book: Path) -> ET.Element:
    return ET.parse(book.with_suffix("") / "OEBPS" / "content.opf").getroot()


def _ace(books: list[Path], out: Path) -> list[tuple[list[str], dict[str, list[str]]]]:
    """Ace's failed assertions per book as ``page: rule (impact): element``, and its accessibility metadata.

    Ace's own core and axe runner, as ``ace-cli`` calls them, in one Node process for all the books
    (``tests/ace_many.js``: one Node start and one Chromium launch instead of one each); each book's
    ``report.json`` is the one ``ace-cli --outdir`` writes."""
    run = subprocess.run(["node", str(ACE_MANY), str(out), *map(str, books)],
                         env={**ENV, "NODE_PATH": str(NODE_BIN.parent)}, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    found = []
    for n, book in enumerate(books):
        report = json.loads((out / str(n) / "report.json").read_text(encoding="utf-8"))
        assert Path(report["earl:testSubject"]["url"]).name == book.name, (book, report["earl:testSubject"])
        failed = [f"{page['earl:testSubject']['url']}: {item['earl:test']['dct:title']} "
                  f"({item['earl:test']['earl:impact']}): {item['earl:result'].get('html', '')[:300]}"
                  for page in report["assertions"] for item in page.get("assertions", [])
                  if item["earl:result"]["earl:outcome"] != "pass"]
        found.append((failed, report["a11y-metadata"]))
    return found


def test_ace_finds_no_violation_of_any_impact_in_any_book(books: Path, tmp_path: Path) -> None:
    _need(NODE_BIN / "ace-cli", "node", CHROMIUM)
    _epubs(books)  # all there
    epubs = _looked_at(books)
    results = _ace(epubs, tmp_path / "ace")
    violations = {book.relative_to(books).as_posix(): failed for book, (failed, _) in zip(epubs, results) if failed}
    assert violations == {}, json.dumps(violations, indent=1, ensure_ascii=False)
    for book, (_, metadata) in zip(epubs, results):
        assert {"dcterms:conformsTo", "a11y:certifiedBy", "schema:accessibilitySummary", "schema:accessMode",
                "schema:accessModeSufficient", "schema:accessibilityFeature",
                "schema:accessibilityHazard"} <= set(metadata["present"]), (book, metadata)


def test_epubcheck_usage_messages_name_no_accessibility_gap(books: Path, epubcheck: EpubChecker) -> None:
    """``-u`` adds ACC-008 (no landmarks) and OPF-058 (a spine page outside the TOC) to what EPUBCheck says.

    The session's warm EPUBCheck JVM at the usage level ``-u`` sets: the same validator and messages as
    ``epubcheck -u`` (compared with the command's on one book), without a JVM start for each book."""
    sample = [books / "en" / "collection.epub", books / "en" / "002_a52b92a0a50288ae.epub",
              books / "fr" / "greve.epub", books / "en" / "reforma.bilingual.epub"]
    sample += [books / "es" / f"{name}.epub" for name in ("collection", "collection.bilingual",
                                                         "002_a52b92a0a50288ae", "002_a52b92a0a50288ae.bilingual")]
    reported = epubcheck.check(sample, usage=True)
    # the usage level is on: EPUBCheck's other usage notes (CSS-009, HTM-044, ...) are there, as with -u,
    # and for one book they are exactly what the command says
    assert all(any(m.startswith("USAGE(") for m in messages) for messages in reported.values()), reported
    jar = epubcheck_jar()
    assert jar is not None
    run = subprocess.run(["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar), "-u",
                          str(sample[0])], capture_output=True, text=True, timeout=300)
    said = [line.replace(f"{sample[0]}/", "", 1) for line in (run.stdout + run.stderr).splitlines()
            if re.match(r"(FATAL|ERROR|WARNING|INFO|USAGE)\(", line)]
    assert sorted(said) == sorted(reported[sample[0]]), (said, reported[sample[0]])
    gaps = re.compile(r"(ERROR|WARNING|FATAL)\(|USAGE\((ACC|OPF)-")
    found = {book.name: kept for book, messages in reported.items() if (kept := [m for m in messages if gaps.match(m)])}
    assert found == {}, json.dumps(found, indent=1)


def _pages(exports: Path) -> list[Path]:
    """The web edition's own pages (the landing page, each language's, each article's) and the pages
    of the books Ace looks at."""
    return [*sorted(exports.glob("*.html")), *(page for book in _looked_at(exports)
                                               for page in sorted(book.with_suffix("").glob("OEBPS/*.xhtml")))]


def _axe_cli(urls: list[str]) -> list[dict[str, Any]]:
    """``axe URL... --stdout``: @axe-core/cli itself."""
    run = subprocess.run([str(NODE_BIN / "axe"), *urls, "--stdout", "--axe-source", str(AXE_SOURCE),
                          "--chrome-path", str(CHROMIUM), "--chromedriver-path", str(CHROMEDRIVER),
                          "--chrome-options=headless,no-sandbox,disable-gpu"],
                         env=ENV, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return list(json.loads(run.stdout))


def _axe(urls: list[str]) -> list[dict[str, Any]]:
    """The CLI's run of axe-core in one browser, with axe.run() in each page (``tests/axe_many.js``)."""
    run = subprocess.run(["node", str(AXE_MANY), str(AXE_SOURCE), str(CHROMIUM), str(CHROMEDRIVER), *urls],
                         env={**ENV, "NODE_PATH": str(NODE_BIN.parent)}, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return list(json.loads(run.stdout))


def _outcome(result: dict[str, Any]) -> dict[str, list[tuple[str, list[str]]]]:
    """Every rule axe reports, by outcome, with the elements it names."""
    return {kind: sorted((rule["id"], sorted(json.dumps(node["target"]) + node["html"] for node in rule["nodes"]))
                         for rule in result[kind])
            for kind in ("violations", "passes", "incomplete", "inapplicable")}


def test_axe_finds_no_violation_on_any_web_edition_page(books: Path) -> None:
    _need(NODE_BIN / "axe", "node", AXE_SOURCE, CHROMIUM, CHROMEDRIVER)
    pages = _pages(books)
    results = _axe([p.as_uri() for p in pages])
    assert len(results) == len(pages) and all(r["testEngine"]["version"] == "4.14.1" for r in results)
    violations = {r["url"].split("/exports/")[-1]: [f"{v['id']} ({v['impact']}): "
                                                    + "; ".join(n["html"][:200] for n in v["nodes"][:3])
                                                    for v in r["violations"]]
                  for r in results if r["violations"]}
    assert violations == {}, json.dumps(violations, indent=1, ensure_ascii=False)
    assert all(r["passes"] for r in results)  # axe really looked at each page
    # @axe-core/cli itself, on a page of every kind (landing, language, article, a book's nav, text and
    # title page), says exactly the same, rule by rule and element by element
    kinds = ("index.html", "es.html", f"es.{SEEDS_USED[1].stem}.html", "nav.xhtml", "content.xhtml", "title.xhtml")
    sample = [next(n for n, page in enumerate(pages) if page.name == kind) for kind in kinds]
    by_cli = _axe_cli([pages[n].as_uri() for n in sample])
    assert [_outcome(r) for r in by_cli] == [_outcome(results[n]) for n in sample]


def test_collection_title_page_links_to_every_article(books: Path) -> None:
    for lang in ("en", "es"):
        page = ET.parse(books / lang / "collection" / "OEBPS" / "title.xhtml").getroot()
        links = [a.get("href") for a in page.iter(f"{XHTML}a")]
        assert links == [f"a{n}.xhtml#a{n}-title" for n in range(1, sum(ARTICLES.values()) + 1)]
        assert page.find(f".//{XHTML}main") is not None


def _fields(output: str) -> dict[str, str]:
    fields = (line.split(":", 1) for line in output.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields}


def _ebook_meta(book: Path) -> dict[str, str]:
    run = subprocess.run(["ebook-meta", str(book)], env=ENV, capture_output=True, text=True, timeout=300,
                         check=True)
    return _fields(run.stdout)


def _ebook_meta_many(books: list[Path]) -> dict[Path, dict[str, str]]:
    """What ``ebook-meta`` prints for each book, from calibre's own ``ebook-meta`` code run once per book in
    one calibre process (``tests/calibre_meta.py``): the same output, one interpreter start."""
    run = subprocess.run(["calibre-debug", "-e", str(CALIBRE_META), "--", *map(str, books)], env=ENV,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    parts = run.stdout.split("\x1e")[1:]
    found = {Path(part.partition("\n")[0]): _fields(part.partition("\n")[2]) for part in parts}
    assert list(found) == books, run.stdout[-2000:]
    return found


@pytest.fixture(scope="module")
def calibre(books: Path) -> dict[Path, dict[str, str]]:
    _need("ebook-meta", "ebook-convert", "calibre-debug")
    epubs = _epubs(books)
    with ThreadPoolExecutor(2) as pool:  # calibre renders each cover in a worker process: two overlap well
        halves = list(pool.map(_ebook_meta_many, [epubs[0::2], epubs[1::2]]))
    return {book: halves[n % 2][book] for n, book in enumerate(epubs)}


def test_calibre_reads_authors_publisher_languages_and_identifier(calibre: dict[Path, dict[str, str]]) -> None:
    for book, meta in calibre.items():
        opf = _opf(book)
        shown = json.dumps(meta, indent=1, ensure_ascii=False)
        assert "Unknown" not in meta.get("Author(s)", "Unknown"), f"{book}: {shown}"
        assert meta.get("Publisher") == PUBLISHER, f"{book}: {shown}"
        languages = [e.text or "" for e in opf.iter(f"{DC}language")]
        assert meta.get("Languages") == ", ".join(ISO_639_2[code] for code in languages), f"{book}: {shown}"
        package_id = next(e.text for e in opf.iter(f"{DC}identifier") if e.get("id") == opf.get("unique-identifier"))
        assert package_id and package_id.startswith("urn:uuid:")
        assert meta.get("Identifiers") == "pipeline:" + package_id.removeprefix("urn:uuid:"), f"{book}: {shown}"


def test_calibre_credits_every_author_of_a_collection(books: Path, calibre: dict[Path, dict[str, str]]) -> None:
    for lang in ("en", "es", "fr", "pt"):
        collection = calibre[books / lang / "collection.epub"]["Author(s)"].split(" & ")
        articles = [meta["Author(s)"] for book, meta in calibre.items()
                    if book.parent.name == lang and not book.name.startswith("collection")]
        others = sum(ARTICLES.values()) - ARTICLES[lang]
        assert len(articles) == ARTICLES[lang] + 2 * others
        assert set(collection) == set(articles) and PUBLISHER in collection  # a seed without a byline
        assert {"María López", "Jeanne Martin", "João Silva"} <= set(collection), collection


def test_calibre_reads_both_languages_of_a_partly_reviewed_translation(calibre: dict[Path, dict[str, str]],
                                                                       books: Path) -> None:
    assert calibre[books / "es" / "002_a52b92a0a50288ae.epub"]["Languages"] in ("spa, eng", "eng, spa")
    assert calibre[books / "es" / "002_a52b92a0a50288ae.bilingual.epub"]["Languages"] == "spa, eng"
    assert calibre[books / "en" / "002_a52b92a0a50288ae.epub"]["Languages"] == "eng"
    for lang, original in (("es", "solidaridad"), ("fr", "greve"), ("pt", "reforma")):
        assert calibre[books / lang / f"{original}.epub"]["Languages"] == ISO_639_2[lang], "an original is in its own"
    assert calibre[books / "en" / "greve.epub"]["Languages"] in ("fra, eng", "eng, fra")


def test_calibre_conversion_keeps_identifier_authors_publisher(books: Path, tmp_path: Path,
                                                               calibre: dict[Path, dict[str, str]]) -> None:
    source = books / "es" / "collection.epub"
    out = tmp_path / "converted.epub"
    run = subprocess.run(["ebook-convert", str(source), str(out)], env=ENV, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    before, after = calibre[source], _ebook_meta(out)
    for key in ("Identifiers", "Author(s)", "Publisher", "Languages", "Title"):
        assert after.get(key) == before.get(key), (key, before, after)


def test_translators_are_credited_by_name_with_the_trl_role(books: Path) -> None:
    """The reviewers signed their catalogs ``Revisor ES <es@example.org>``: the book names them, never the address."""
    for lang in ("es", "fr", "pt"):
        for name in ("002_a52b92a0a50288ae", "collection", "collection.bilingual"):
            opf = _opf(books / lang / f"{name}.epub")
            credited = {f"#{e.get('id')}": e.text for e in opf.iter(f"{DC}contributor")}
            roles = {m.get("refines"): m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "role"}
            assert list(credited.values()) == [f"Revisor {lang.upper()}"], (lang, name, credited)
            assert all(roles.get(ref) == "trl" for ref in credited), roles
