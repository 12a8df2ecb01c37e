"""The CommonMark spec's examples through the whole model: segment, approve msgstr = msgid, export.

The examples come from markdown-it-py's source distribution
(``tests/test_cmark_spec/commonmark.json``), fetched with
``pip download --no-binary :all: --no-deps markdown-it-py`` during the test's
set-up (skipped where PyPI cannot be reached).  Every example must give
well-formed XHTML, and the translation book of an identity translation must
hold exactly the original book's text, in the same order and structure.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from typing import Any

import pytest
from helpers import renderer_marks, token_marks
from lxml import etree

from pipeline.render import Edition, Translation, render_book
from pipeline.segment import segment
from pipeline.sources import SourceFormat, SourceText

_ATTRS = re.compile(r'\s(?:lang|xml:lang|dir|class)="[^"]*"')


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    import markdown_it

    folder = tmp_path_factory.mktemp("sdist")
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "-q",
                           "-d", str(folder), f"markdown-it-py=={markdown_it.__version__}"],
                          capture_output=True, text=True, timeout=300, check=False)
    archive = next(folder.glob("*.tar.gz"), None)
    if done.returncode != 0 or archive is None:
        pytest.skip(f"markdown-it-py's source distribution could not be fetched: {done.stderr.strip()[-200:]}")
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("test_cmark_spec/commonmark.json"))
        handle = tar.extractfile(member)
        assert handle is not None
        return list(json.load(handle))


def _books(markdown: str) -> tuple[bytes, bytes]:
    doc = segment(SourceText(doc_id="example", display="example.md", text=markdown, fmt=SourceFormat.MARKDOWN))
    identity = {b.text: Translation(b.text, True) for b in doc.translatable()}
    original = render_book(Edition(doc, "en", "en", kind="original"))["OEBPS/content.xhtml"]
    translated = render_book(Edition(doc, "es", "en", identity, kind="translation"))["OEBPS/content.xhtml"]
    return original, translated


def _article(page: bytes) -> str:
    text = page.decode("utf-8")
    text = text.split("<article>", 1)[1].split("</article>", 1)[0]
    return re.sub(r">\s+<", "><", _ATTRS.sub("", re.sub(r'<p class="notice">.*?</p>', "", text)))


@pytest.mark.slow
def test_every_spec_example_round_trips_as_well_formed_xhtml(examples: list[dict[str, Any]]) -> None:
    failures = []
    for example in examples:
        original, translated = _books(example["markdown"])
        for page in (original, translated):
            etree.fromstring(page)  # strict XML: raises on anything malformed
        if _article(original) != _article(translated):
            failures.append(example["example"])
    assert len(examples) > 600
    assert failures == [], f"{len(failures)} of {len(examples)} examples differ: {failures[:20]}"


@pytest.mark.slow
def test_every_unit_of_every_example_is_read_by_the_engines_as_the_renderer_reads_it(
        examples: list[dict[str, Any]]) -> None:
    """The engines' and checks' tokens (``markup.tokenize``) are the renderer's parse, with offsets."""
    from pipeline.markup import join, tokenize

    differ = []
    units = 0
    for example in examples:
        doc = segment(SourceText(doc_id="example", display="example.md", text=example["markdown"],
                                 fmt=SourceFormat.MARKDOWN))
        for block in doc.translatable():
            units += 1
            if join(tokenize(block.text)) != block.text or token_marks(block.text) != renderer_marks(block.text):
                differ.append(example["example"])
    assert units > 600
    assert differ == [], f"{len(differ)} of {units} units read differently: {differ[:20]}"
    print(f"{units} units of {len(examples)} examples read alike")
