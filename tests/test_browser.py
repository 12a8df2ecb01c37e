"""A real reader engine: headless Chromium renders the web edition, a cover and a bilingual book.

The web edition's pages are laid out at desktop (1280 px) and phone (390 px)
widths and photographed; with ``PIPELINE_SCREENSHOTS=1`` the pictures replace
the README's, in ``docs/screenshots/`` (otherwise they go to a temporary folder).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import exported_project

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(BROWSER is None, reason="needs chromium (scripts/setup.sh installs it)")]
DOC = "002_a52b92a0a50288ae"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exported_project(tmp_path_factory, "site")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href" and value]


def test_web_edition_links_every_book(site: Path) -> None:
    index = site / "exports" / "index.html"
    parser = _Links()
    parser.feed(index.read_text(encoding="utf-8"))
    targets = {(index.parent / unquote(href)).resolve() for href in parser.hrefs}
    assert all(t.exists() for t in targets), [t for t in targets if not t.exists()]
    epubs = set((site / "exports").glob("*/*.epub"))
    assert {p.resolve() for p in epubs} <= targets and len(epubs) == 42
    assert re.search(r"\d+% aprobada", (site / "exports" / "es.html").read_text(encoding="utf-8"))


SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {"landing": "index.html", "language": "es.html", "article": f"es.{DOC}.html"}
LAYOUT = """<!DOCTYPE html><html><body style="margin:0"><pre id="out">pending</pre>
<iframe id="page" src="%s" style="width:%dpx;height:900px;border:0"></iframe>
<script>
document.getElementById('page').addEventListener('load', function () {
  var doc = this.contentDocument, root = doc.documentElement, wide = [];
  doc.querySelectorAll('main *, header *').forEach(function (el) {
    var box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1)) { wide.push(el.tagName + '.' + el.className); }
  });
  var nav = doc.querySelector('header nav'), main = doc.querySelector('main');
  document.getElementById('out').textContent = JSON.stringify(
    {lang: root.lang, dir: root.dir, overflow: root.scrollWidth > root.clientWidth, wide: wide.slice(0, 5),
     main: main ? main.getBoundingClientRect().height : 0,
     switcher: nav ? Array.from(nav.querySelectorAll('a')).map(function (a) {
       var box = a.getBoundingClientRect(); return [a.lang, a.hreflang, box.width > 0 && box.height > 0]; }) : null});
});
</script></body></html>"""


def _layout(tmp_path: Path, page: Path, width: int) -> dict[str, object]:
    probe = tmp_path / f"layout-{width}.html"
    probe.write_text(LAYOUT % (page.as_uri(), width), encoding="utf-8")
    result = chromium(tmp_path, "--allow-file-access-from-files", "--virtual-time-budget=10000",
                      f"--window-size={width + 40},1000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found and found.group(1) != "pending", result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


@pytest.mark.parametrize("width, name", [(1280, "desktop"), (390, "phone")])
def test_web_edition_pages_fit_desktop_and_phone_and_are_photographed(site: Path, tmp_path: Path,
                                                                    width: int, name: str) -> None:
    keep = os.environ.get("PIPELINE_SCREENSHOTS") == "1"
    folder = SHOTS if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for kind, relative in PAGES.items():
        page = site / "exports" / relative
        layout = _layout(tmp_path, page, width)
        assert layout["lang"] == ("en" if kind == "landing" else "es") and layout["dir"] == "ltr", layout
        assert not layout["overflow"] and not layout["wide"], (relative, width, layout)  # no sideways scrolling
        assert layout["main"] > 100, layout
        if kind != "landing":  # every language in the switcher, on screen, marked with its language
            assert layout["switcher"] == [[lang, lang, True] for lang in ("en", "es", "pt", "fr")], layout
        shot = folder / f"web-{kind}-{name}.png"
        result = chromium(tmp_path, "--hide-scrollbars", f"--window-size={width},{800 if width > 400 else 844}",
                          f"--screenshot={shot}", page.as_uri())
        assert shot.is_file() and 10_000 < shot.stat().st_size < 150_000, (shot, result.stderr[-2000:])
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cover_renders(site: Path, tmp_path: Path) -> None:
    keep = os.environ.get("PIPELINE_SCREENSHOTS") == "1"
    shot = (SHOTS if keep else tmp_path) / "cover.png"
    cover = site / "exports" / "es" / f"{DOC}.bilingual" / "OEBPS" / "images" / "cover.svg"
    result = chromium(tmp_path, "--hide-scrollbars", "--window-size=600,900", f"--screenshot={shot}", cover.as_uri())
    assert shot.is_file() and 5_000 < shot.stat().st_size < 150_000, result.stderr[-2000:]


PROBE = """<!DOCTYPE html><html><body style="margin:0"><pre id="out">pending</pre>
<iframe id="book" src="%s" style="width:100vw;height:100vh;border:0"></iframe>
<script>
document.getElementById('book').addEventListener('load', function () {
  var doc = this.contentDocument, blocks = [], pairs = [];
  doc.querySelectorAll('p, h1, h2').forEach(function (el) {
    var lang = el.matches(':lang(en)') ? 'en' : el.matches(':lang(es)') ? 'es' : '?';
    blocks.push([el.className, lang, el.getBoundingClientRect().width > 0]);
  });
  doc.querySelectorAll('div.pair').forEach(function (div) {
    if (div.children.length == 2) {
      var a = div.children[0].getBoundingClientRect(), b = div.children[1].getBoundingClientRect();
      pairs.push([Math.round(a.top), Math.round(a.left), Math.round(b.top), Math.round(b.left)]);
    }
  });
  document.getElementById('out').textContent = JSON.stringify(
    {type: doc.contentType, lang: doc.documentElement.lang, errors: doc.getElementsByTagName('parsererror').length,
     blocks: blocks, pairs: pairs});
});
</script></body></html>"""


@pytest.mark.parametrize("width, side_by_side", [(1400, True), (390, False)], ids=["wide", "phone"])
def test_bilingual_book_renders_both_languages(site: Path, tmp_path: Path, width: int, side_by_side: bool) -> None:
    page = site / "exports" / "es" / f"{DOC}.bilingual" / "OEBPS" / "content.xhtml"
    probe = tmp_path / "probe.html"
    probe.write_text(PROBE % page.as_uri(), encoding="utf-8")
    result = chromium(tmp_path, "--allow-file-access-from-files", "--virtual-time-budget=10000",
                      f"--window-size={width},2000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found and found.group(1) != "pending", result.stdout[-2000:] + result.stderr[-2000:]
    data = json.loads(html.unescape(found.group(1)))
    assert data["type"] == "application/xhtml+xml" and data["errors"] == 0 and data["lang"] == "es"
    sources = [b for b in data["blocks"] if "source" in b[0].split()]
    targets = [b for b in data["blocks"] if "target" in b[0].split()]
    assert sources and targets and all(b[2] for b in data["blocks"])
    assert {b[1] for b in sources} == {"en"} and {b[1] for b in targets} == {"es"}
    assert data["pairs"]
    for src_top, src_left, tgt_top, tgt_left in data["pairs"]:
        if side_by_side:
            assert src_top == tgt_top and tgt_left > src_left
        else:
            assert tgt_top > src_top and tgt_left == src_left
