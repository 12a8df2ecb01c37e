"""What an export remembers (pipeline/stages/recall.py): documents and editions read back exactly as they
were made, and never trusted past what the files say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, SEEDS, approve, invoke

import pipeline.stages.recall as recall_stage
from pipeline.edition import translation_edition
from pipeline.metadata import combined, facts_from_record, facts_record, read_page, read_pages
from pipeline.segment import segment
from pipeline.sources import read_source
from pipeline.stages.records import decode_document, decode_edition, encode_document, encode_edition

SOURCES = sorted([*SEEDS, *(ROOT / "tests" / "golden" / "articles").glob("structured-*"),
                  *(ROOT / "tests" / "golden" / "constructs").glob("*.md"),
                  *(ROOT / "tests" / "golden" / "constructs").glob("*.txt")])


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_a_document_reads_back_as_it_was_segmented(source: Path) -> None:
    doc = segment(read_source(source, source.name))
    again = decode_document(json.loads(json.dumps(encode_document(doc))))
    assert again == doc
    assert [a.data for a in again.images] == [a.data for a in doc.images]  # compared apart: repr=False


def test_an_edition_reads_back_as_it_was_read_from_its_catalog(drafted_project: Path) -> None:
    from pipeline.config import load_config
    from pipeline.language import Language
    from pipeline.workspace import Report

    config = load_config(drafted_project / "pipeline.toml")
    source = min((drafted_project / "seeds").glob("*.txt"))
    doc = segment(read_source(source, config.relative(source)))
    approve(drafted_project / "i18n" / "es" / f"{doc.doc_id}.po", "", "título aprobado")
    edition = translation_edition(config, doc, "es", Language("en"), False, Report())
    assert edition is not None and any(t.approved for t in edition.translations.values())
    assert decode_edition(json.loads(json.dumps(encode_edition(edition))), doc) == edition
    from dataclasses import replace

    worded = replace(edition, words={"title": "Título", "author": "Autora", "collection": "Colección"})
    again = decode_edition(json.loads(json.dumps(encode_edition(worded), sort_keys=True)), doc)
    assert list(again.words.items()) == list(worded.words.items())  # in their order: a collection's key reads it


@pytest.mark.parametrize("record", [None, [], [[["en", "x"]], 0, 0, 0, False, False], [[], 1, 2], "facts"],
                         ids=["none", "empty", "not-a-number", "short", "text"])
def test_page_facts_that_are_not_a_record_are_refused(record: object) -> None:
    assert facts_from_record(record) is None


def test_facts_of_pages_read_one_by_one_add_up_to_reading_them_together(drafted_project: Path) -> None:
    pages = [p.read_bytes() for p in sorted((drafted_project / "exports").glob("*/collection*/OEBPS/*.xhtml"))]
    assert len(pages) > 10
    one_by_one = [facts_from_record(json.loads(json.dumps(facts_record(read_page(p))))) for p in pages]
    assert combined(f for f in one_by_one if f is not None) == read_pages(pages)


def test_a_broken_or_foreign_record_is_read_again_from_the_files(drafted_project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = drafted_project
    shutil.rmtree(project / "exports")
    assert invoke("export", "-l", "es").exit_code == 0
    before = {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "exports").rglob("*"))
              if p.is_file()}
    records = sorted((project / ".cache" / "pipeline" / "export").glob("?" * 24 + ".json"))  # not the summaries
    assert len(records) == len(list((project / "seeds").glob("*.txt")))
    records[0].write_text("{not json", encoding="utf-8")
    kept = json.loads(records[1].read_text(encoding="utf-8"))
    kept["doc"]["blocks"][0][0] = "no such kind"  # same key, content this code does not write
    records[1].write_text(json.dumps(kept), encoding="utf-8")
    shutil.rmtree(project / "exports")
    segmented: list[str] = []
    real = recall_stage.segment
    monkeypatch.setattr(recall_stage, "segment", lambda src: (segmented.append(src.display), real(src))[1])
    assert invoke("export", "-l", "es").exit_code == 0
    assert len(segmented) == 2, segmented  # those two, and only those, were read again
    after = {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "exports").rglob("*"))
             if p.is_file()}
    assert after == before


def test_an_image_replaced_beside_the_sources_is_read_again(drafted_project: Path) -> None:
    project = drafted_project
    picture = ROOT / "tests" / "golden" / "articles" / "picket.png"
    shutil.copy(picture, project / "seeds" / "picket.png")
    (project / "seeds" / "pictured.md").write_text("# Pictured\n\n![A picket line](picket.png)\n\nA paragraph.\n",
                                                   encoding="utf-8")
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    assert invoke("export", "-l", "es").exit_code == 0
    books = sorted((project / "exports" / "es").glob("pictured*/OEBPS/images/pictured-1.png"))
    assert books and all(b.read_bytes() == picture.read_bytes() for b in books)
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00" \
          b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    (project / "seeds" / "picket.png").write_bytes(gif)  # same name, other bytes (a GIF, recognised as one)
    assert invoke("export", "-l", "es").exit_code == 0
    assert sorted((project / "exports" / "es").glob("pictured*/OEBPS/images/pictured-1.gif")), \
        sorted(p.name for p in (project / "exports" / "es").rglob("pictured-1.*"))


def test_a_record_with_its_key_but_damaged_editions_is_read_again(drafted_project: Path) -> None:
    project = drafted_project
    assert invoke("export", "-l", "es").exit_code == 0
    for record in (project / ".cache" / "pipeline" / "export").glob("?" * 24 + ".json"):
        kept = json.loads(record.read_text(encoding="utf-8"))
        kept["editions"] = 7
        record.write_text(json.dumps(kept), encoding="utf-8")
    (project / ".cache" / "pipeline" / "books.json").write_text('{"es/collection": 3}', encoding="utf-8")
    shutil.rmtree(project / "exports")
    result = invoke("export", "-l", "es")
    assert result.exit_code == 0, result.output
    assert (project / "exports" / "es" / "collection" / "OEBPS" / "content.opf").is_file()


def test_a_linked_folder_pointed_elsewhere_is_read_again(drafted_project: Path) -> None:
    """Images under a linked folder: the link is not walked, so where it points is part of the key."""
    project = drafted_project
    picture = ROOT / "tests" / "golden" / "articles" / "picket.png"
    for folder in ("media", "media2"):
        (project / "seeds" / folder).mkdir()
    shutil.copy(picture, project / "seeds" / "media" / "a.png")
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00" \
          b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    (project / "seeds" / "media2" / "a.png").write_bytes(gif)
    (project / "seeds" / "img").symlink_to("media")
    (project / "seeds" / "linked.md").write_text("# Linked\n\n![A picket](img/a.png)\n\nText.\n", encoding="utf-8")
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    assert invoke("export", "-l", "es").exit_code == 0
    found = sorted(p.name for p in (project / "exports" / "es").glob("linked*/OEBPS/images/*"))
    (project / "seeds" / "img").unlink()
    (project / "seeds" / "img").symlink_to("media2")
    assert invoke("export", "-l", "es").exit_code == 0
    again = sorted(p.name for p in (project / "exports" / "es").glob("linked*/OEBPS/images/*"))
    assert found and found != again, (found, again)
