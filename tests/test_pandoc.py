"""Side by side with Pandoc: the same structured article gives the same headings, list items,
table cells and footnotes in our original book and in ``pandoc -o x.epub``; both pass EPUBCheck."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import EpubChecker
from lxml import etree

from pipeline.bundle import epub_bytes
from pipeline.render import Edition, render_book
from pipeline.segment import segment
from pipeline.sources import read_source

ARTICLE = Path(__file__).parent / "golden" / "pandoc" / "structured.md"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _text(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    parts = [element.text or ""]
    for child in element:
        if etree.QName(child).localname not in skip and not (child.get("role") or "").endswith("backlink"):
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return " ".join("".join(parts).replace("↩︎", "").split())


def _structure(pages: list[bytes]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"headings": [], "items": [], "cells": [], "notes": []}
    for page in pages:
        root = etree.fromstring(page)
        for element in root.iter():
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if name in ("h2", "h3", "h4", "h5", "h6"):
                found["headings"].append(f"{name}:{_text(element)}")
            elif name == "li" and element.get(EPUB_TYPE) != "footnote" and not element.xpath(
                    "ancestor::x:nav", namespaces=NS):
                found["items"].append(_text(element, skip=("ul", "ol")))
            elif name in ("th", "td"):
                found["cells"].append(f"{name}:{_text(element)}")
            elif element.get(EPUB_TYPE) == "footnote":
                found["notes"].append(_text(element, skip=("sup",)))
    return found


@pytest.mark.slow
def test_same_structure_as_pandoc_and_both_pass_epubcheck(tmp_path: Path, epubcheck: EpubChecker) -> None:
    if shutil.which("pandoc") is None:
        pytest.skip("needs pandoc (apt-get install pandoc)")
    theirs = tmp_path / "pandoc.epub"
    subprocess.run(["pandoc", str(ARTICLE), "-o", str(theirs)], check=True, capture_output=True, timeout=120)
    with zipfile.ZipFile(theirs) as archive:
        their_pages = [archive.read(n) for n in sorted(archive.namelist()) if n.startswith("EPUB/text/ch")]
    files = render_book(Edition(segment(read_source(ARTICLE, "structured.md")), "en", "en", kind="original"))
    ours = tmp_path / "ours.epub"
    ours.write_bytes(epub_bytes(files))
    mine, pandoc = _structure([files["OEBPS/content.xhtml"]]), _structure(their_pages)
    assert mine == pandoc
    assert len(mine["headings"]) == 3 and len(mine["items"]) == 7 and len(mine["cells"]) == 9
    assert len(mine["notes"]) == 2
    assert epubcheck.check([ours, theirs]) == {ours: [], theirs: []}
