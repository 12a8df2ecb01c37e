"""Golden files per construct: a small article beside its expected POT and the body of its book.

Each ``tests/golden/constructs/<case>.{txt,md,html}`` is segmented and rendered
(original edition); the catalog must equal ``<case>.pot`` and the article body
(between ``</header>`` and ``</article>``) ``<case>.xhtml``.  After a deliberate
change, regenerate every expected file with::

    .venv/bin/python tests/test_constructs.py

and review the diff.  Every construct's original, translation and bilingual
books also pass EPUBCheck with no message (slow).
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.catalog import template
from pipeline.po import write_po
from pipeline.render import Edition, Translation, render_book
from pipeline.segment import Document, segment
from pipeline.sources import read_source

FOLDER = Path(__file__).parent / "golden" / "constructs"
CASES = sorted(p for p in FOLDER.iterdir() if p.suffix in (".txt", ".md", ".html"))


def _doc(case: Path) -> Document:
    return segment(read_source(case, f"seeds/{case.name}"))


def render_pot(case: Path) -> str:
    buffer = io.BytesIO()
    write_po(template(_doc(case), "Solidarity articles", "en", "2026-01-01 00:00+0000"), buffer)
    return buffer.getvalue().decode("utf-8")


def _body(page: str) -> str:
    return page.split("</header>\n", 1)[1].split("</article>", 1)[0]


def render_xhtml(case: Path) -> str:
    files = render_book(Edition(_doc(case), "en", "en", kind="original"))
    return _body(files["OEBPS/content.xhtml"].decode("utf-8"))


def _books(case: Path) -> dict[str, dict[str, bytes]]:
    doc = _doc(case)
    approved = {b.text: Translation(f"«{b.text}»", True) for b in doc.translatable()}
    return {"original": render_book(Edition(doc, "en", "en", kind="original")),
            "translation": render_book(Edition(doc, "es", "en", approved, kind="translation")),
            "bilingual": render_book(Edition(doc, "es", "en", approved, kind="bilingual"))}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_construct_pot(case: Path) -> None:
    assert render_pot(case) == case.with_suffix(".pot").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_construct_xhtml(case: Path) -> None:
    assert render_xhtml(case) == case.with_suffix(".xhtml").read_text(encoding="utf-8")


_LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_book_has_a_live_unsafe_link_or_active_markup(case: Path) -> None:
    for kind, files in _books(case).items():
        for name, data in files.items():
            if not name.endswith((".xhtml", ".opf", ".html")):
                continue
            page = data.decode("utf-8")
            for target in _LINK.findall(page):
                assert target.startswith(("https://", "http://", "mailto:", "#", "images/")) or (
                    re.fullmatch(r"[\w.-]+\.(?:xhtml|css)(?:#[\w-]+)?", target)), (kind, name, target)
            assert not re.search(r"<(?:script|iframe|form|object|embed)\b|<[a-z][^>]*\son\w+=", page), (kind, name)


@pytest.mark.slow
def test_every_construct_book_passes_epubcheck(tmp_path: Path, epubcheck) -> None:  # type: ignore[no-untyped-def]
    books = []
    for case in CASES:
        for kind, files in _books(case).items():
            folder = tmp_path / f"{case.stem}.{kind}"
            for name, data in files.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
            books.append(folder)
    results = epubcheck.check(books)
    assert {book.name: messages for book, messages in results.items() if messages} == {}
    assert len(results) == 3 * len(CASES)


def regenerate() -> None:
    for case in CASES:
        case.with_suffix(".pot").write_text(render_pot(case), encoding="utf-8")
        case.with_suffix(".xhtml").write_text(render_xhtml(case), encoding="utf-8")
        print(f"wrote {case.with_suffix('.pot').name}, {case.with_suffix('.xhtml').name}")


if __name__ == "__main__":
    regenerate()
