"""Work proportional to change: segment reads only the documents whose files changed.

The property that matters: an incremental run after any sequence of edits,
approvals and configuration changes writes exactly the bytes a run from
scratch (no cache) writes on the same inputs.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from helpers import approve, invoke

import pipeline.edition as edition_module
import pipeline.stages.export as export_stage
import pipeline.stages.recall as recall_stage
import pipeline.stages.segment as segment_stage
import pipeline.website as website
from pipeline.po import load_po


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "i18n").rglob("*")) if p.is_file() and p.name != ".pipeline.lock"}


def test_segment_after_one_edit_reads_only_that_document(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("segment").exit_code == 0
    read: list[str] = []
    real = segment_stage.read_source
    monkeypatch.setattr(segment_stage, "read_source", lambda path, shown: (read.append(path.name), real(path, shown))[1])
    again = invoke("segment")
    assert again.exit_code == 0
    assert read == [], "a no-op segment read sources"
    assert "segment: 0 catalog(s) written (5 of 5 article(s) unchanged since the last run, not read)" in \
        again.output, again.output
    src = sorted((project / "seeds").glob("*.txt"))[2]
    src.write_text(src.read_text(encoding="utf-8") + "\n\nA corrected ending.\n", encoding="utf-8")
    assert invoke("segment").exit_code == 0
    assert read == [src.name], read
    assert "A corrected ending." in (project / "i18n" / "es" / f"{src.stem}.po").read_text(encoding="utf-8")
    first = min((project / "seeds").glob("*.txt"))
    (project / "i18n" / "pt" / f"{first.stem}.po").unlink()
    read.clear()
    assert invoke("segment").exit_code == 0
    assert read == [first.name], "a deleted catalog was not re-created"


def _step(root: Path, rng: random.Random) -> str:
    sources = sorted((root / "seeds").glob("*.txt"))
    action = rng.choice(["edit", "add", "remove", "approve", "language", "restore"])
    src = rng.choice(sources)
    text = src.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    if action == "edit" and len(paragraphs) > 3:
        i = rng.randrange(2, len(paragraphs))
        paragraphs[i] = paragraphs[i].replace(" the ", " the very ", 1) + " (corrected)"
    elif action == "add":
        paragraphs.insert(rng.randrange(2, len(paragraphs) + 1), f"An added paragraph number {rng.randrange(99)}.")
    elif action == "remove" and len(paragraphs) > 4:
        del paragraphs[rng.randrange(3, len(paragraphs))]
    elif action == "approve":
        po = rng.choice(sorted((root / "i18n").glob("*/*.po")))
        approve(po, "", f"approved {rng.randrange(999)}")
        return action
    elif action == "language":
        config = root / "pipeline.toml"
        body = config.read_text(encoding="utf-8")
        swap = ('["es", "pt", "fr"]', '["es", "pt", "fr", "it"]')
        config.write_text(body.replace(*swap) if swap[0] in body else body.replace(*reversed(swap)),
                          encoding="utf-8")
        return action
    src.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return action


@pytest.mark.slow
def test_incremental_segment_equals_a_run_from_scratch(project: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("segment").exit_code == 0
    rng = random.Random(1612)
    for trial in range(12):
        action = _step(project, rng)
        assert invoke("segment").exit_code == 0, action
        scratch = tmp_path / f"scratch-{trial}"
        shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "exports"))
        for pot in (scratch / "i18n" / "templates").glob("*.pot"):
            pot.unlink()  # a template is the segmenter's own output: rebuilt from scratch
        monkeypatch.chdir(scratch)
        assert invoke("segment").exit_code == 0
        monkeypatch.chdir(project)
        incremental, fresh = _tree(project), _tree(scratch)
        assert incremental.keys() == fresh.keys(), (action, incremental.keys() ^ fresh.keys())
        for name in incremental:
            assert incremental[name] == fresh[name], f"after {action!r}: {name} differs from a run from scratch"


def test_parallel_segment_and_export_write_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both cores: the same catalogs and books, the same errors in the same order, as one process."""
    outputs = []
    for jobs in ("1", "2"):
        root = tmp_path / f"jobs-{jobs}"
        (root / "seeds").mkdir(parents=True)
        shutil.copy(Path(__file__).resolve().parent.parent / "pipeline.toml", root / "pipeline.toml")
        for n in range(24):
            (root / "seeds" / f"a{n:02d}.txt").write_text(
                f"Article {n}\n\nThe first paragraph of article {n}.\n\nThe second, about the strike {n}.\n",
                encoding="utf-8")
        (root / "seeds" / "a07.txt").write_bytes(b"Caf\xe9 latin-1\n")  # one bad document among them
        monkeypatch.chdir(root)
        monkeypatch.setenv("PIPELINE_JOBS", jobs)
        result = invoke("segment")
        assert result.exit_code == 1 and "a07.txt:1: not valid UTF-8" in result.output, result.output
        exported = invoke("export", "-l", "es", "--epub", "--web")
        assert exported.exit_code == 1, exported.output
        books = {p.relative_to(root).as_posix(): p.read_bytes()
                 for p in sorted((root / "exports").rglob("*")) if p.is_file()}
        assert len(books) > 200, len(books)
        outputs.append((result.output, _tree(root), exported.output, books))
    assert outputs[0] == outputs[1]


def test_export_when_nothing_changed_reads_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A no-op export reads no source and no catalog; after one approval it reads that one catalog and
    no source (the documents and the other editions are remembered); a book removed by hand comes back."""
    assert invoke("run", "--engine", "none", "-l", "es").exit_code == 0
    assert invoke("export", "-l", "es").exit_code == 0
    segmented: list[str] = []
    read: list[str] = []
    real_segment, real_read = recall_stage.segment, edition_module.read_catalog
    monkeypatch.setattr(recall_stage, "segment", lambda src: (segmented.append(src.display), real_segment(src))[1])
    monkeypatch.setattr(edition_module, "read_catalog",
                        lambda path, lang: (read.append(path.name), real_read(path, lang))[1])
    again = invoke("export", "-l", "es")
    assert again.exit_code == 0
    assert (segmented, read) == ([], []), "a no-op export read the sources or catalogs"
    assert "export: 0 book(s) or file(s) written (nothing it reads or wrote changed since the last export)" in \
        again.output, again.output
    whole: list[str] = []  # articles read in full, not from their summary
    real_whole = recall_stage.Recall._read
    monkeypatch.setattr(recall_stage.Recall, "_read",
                        lambda self, name, key, said: (whole.append(self._paths[name].stem),
                                                       real_whole(self, name, key, said))[1])
    doc = min((project / "seeds").glob("*.txt")).stem
    approve(project / "i18n" / "es" / f"{doc}.po", "", "título aprobado")
    assert invoke("export", "-l", "es").exit_code == 0
    assert (segmented, read) == ([], [f"{doc}.po"]), (segmented, read)
    assert whole == [doc], whole  # the others' books and chapters needed only their summaries
    assert "título aprobado" in (project / "exports" / "es" / doc / "OEBPS" / "content.xhtml").read_text(
        encoding="utf-8")
    shutil.rmtree(project / "exports" / "es" / doc)  # a book removed by hand is written again
    assert invoke("export", "-l", "es").exit_code == 0
    assert (project / "exports" / "es" / doc / "OEBPS" / "content.xhtml").is_file()
    (project / "seeds" / f"{doc}.txt").write_text("A new title\n\nA new first paragraph.\n", encoding="utf-8")
    assert invoke("export", "-l", "es").exit_code == 0  # an edited source is read again, and only it
    assert len(segmented) == 1 and segmented[0].endswith(f"{doc}.txt"), segmented


def _exports(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "exports").rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_incremental_export_equals_a_run_from_scratch(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Books kept from an earlier export (not rendered again) are byte for byte what a fresh export writes."""
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    rng = random.Random(2604)
    for trial in range(8):
        action = _step(project, rng)
        assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0, action
        scratch = tmp_path / f"scratch-{trial}"
        shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "exports"))
        monkeypatch.chdir(scratch)
        assert invoke("export", "-l", "es", "--epub", "--web").exit_code == 0
        monkeypatch.chdir(project)
        assert invoke("export", "-l", "es", "--epub", "--web").exit_code == 0
        incremental, fresh = _exports(project), _exports(scratch)
        assert incremental.keys() == fresh.keys(), (action, incremental.keys() ^ fresh.keys())
        for name in incremental:
            assert incremental[name] == fresh[name], f"after {action!r}: {name} differs from an export from scratch"


def test_a_collection_rendered_again_reads_its_articles_in_full(project: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter removed by hand: the collection renders every chapter again, from whole articles read
    back from the records (the export had only their summaries), as an export from scratch would."""
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    doc = min((project / "seeds").glob("*.txt")).stem
    approve(project / "i18n" / "es" / f"{doc}.po", "", "título aprobado")
    (project / "exports" / "es" / "collection" / "OEBPS" / "a2.xhtml").unlink()
    records = project / ".cache" / "pipeline" / "export"
    (sorted(records.glob("?" * 24 + ".json"))[-1]).unlink()  # and one article's record is gone
    assert invoke("export", "-l", "es", "--epub").exit_code == 0
    scratch = tmp_path / "scratch"
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "exports"))
    monkeypatch.chdir(scratch)
    assert invoke("export", "-l", "es", "--epub").exit_code == 0
    incremental, fresh = _exports(project), _exports(scratch)
    assert incremental.keys() == fresh.keys()
    assert [name for name in incremental if incremental[name] != fresh[name]] == []


def test_export_after_one_approval_renders_only_the_books_it_changed(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_JOBS", "1")
    assert invoke("run", "--engine", "none", "-l", "es").exit_code == 0
    rendered: list[str] = []
    real = export_stage.render_parts

    def counted(group: tuple[export_stage.Edition, ...], title: str, known: list[object]) -> object:
        fresh = sum(1 for k in known if k is None) if known else len(group)
        rendered.append(f"{group[0].kind} {len(group)} {bool(title)}: {fresh} rendered")
        return real(group, title, known)  # type: ignore[arg-type]

    monkeypatch.setattr(export_stage, "render_parts", counted)
    doc = min((project / "seeds").glob("*.txt")).stem
    approve(project / "i18n" / "es" / f"{doc}.po", "", "título aprobado")
    assert invoke("export", "-l", "es").exit_code == 0
    # Its translation and bilingual books, and the two collections that hold them, where only its
    # chapter is rendered again; nothing else.
    assert sorted(rendered) == ["bilingual 1 False: 1 rendered", "bilingual 5 True: 1 rendered",
                                "translation 1 False: 1 rendered", "translation 5 True: 1 rendered"], rendered
    assert "título aprobado" in (project / "exports" / "es" / doc / "OEBPS" / "content.xhtml").read_text(
        encoding="utf-8")
    rendered.clear()
    shutil.rmtree(project / "exports" / "es" / doc)  # a book removed by hand is rendered again, alone
    assert invoke("export", "-l", "es").exit_code == 0
    assert rendered == ["translation 1 False: 1 rendered"], rendered


def _png(red: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes([0, red, 0, 0]))) + chunk(b"IEND", b""))


def test_a_kept_book_follows_its_images_and_its_own_files(project: Path) -> None:
    """An image replaced in place, and a file of a book edited by hand, both bring the book back."""
    (project / "seeds" / "pic.png").write_bytes(_png(255))
    (project / "seeds" / "zz_pictures.md").write_text("# Pictures\n\n![A picket](pic.png)\n\nThe strike went on.\n",
                                                       encoding="utf-8")
    assert invoke("run", "--engine", "none", "-l", "es").exit_code == 0
    packaged = [p for p in (project / "exports" / "es" / "zz_pictures" / "OEBPS" / "images").glob("*.png")]
    assert len(packaged) == 1 and packaged[0].read_bytes() == _png(255)
    (project / "seeds" / "pic.png").write_bytes(_png(7))  # same name, same size, other picture
    assert invoke("export", "-l", "es").exit_code == 0
    assert packaged[0].read_bytes() == _png(7), "a replaced image did not reach the book"
    page = project / "exports" / "es" / "zz_pictures" / "OEBPS" / "content.xhtml"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<p>scribbled</p></body>"))
    doc = min((project / "seeds").glob("*.txt")).stem
    approve(project / "i18n" / "es" / f"{doc}.po", "", "título aprobado")  # any change: the export runs
    assert invoke("export", "-l", "es").exit_code == 0
    assert page.read_bytes() == original, "a book edited by hand was kept"


def test_the_web_lists_render_only_the_rows_an_approval_changed(project: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The landing and language pages list every article; after one approval only its row and its
    collections' row are rendered again, and the pages are what an export from scratch writes."""
    assert invoke("run", "--engine", "pseudo", "-l", "es").exit_code == 0
    assert invoke("export", "-l", "es", "--web").exit_code == 0
    rendered: list[str] = []
    real = website._row
    monkeypatch.setattr(website, "_row", lambda site, lang, doc_id, page, w: (
        rendered.append(f"{lang}:{doc_id}"), real(site, lang, doc_id, page, w))[1])
    doc = min((project / "seeds").glob("*.txt")).stem
    catalog = project / "i18n" / "es" / f"{doc}.po"
    longest = max((m.msgid for m in load_po(catalog).active()), key=len)
    before = (project / "exports" / "es.html").read_text(encoding="utf-8")
    approve(catalog, longest, "Un párrafo aprobado.")  # the article's share of approved words moves
    assert invoke("export", "-l", "es", "--web").exit_code == 0
    assert sorted(rendered) == ["es:", f"es:{doc}"], rendered
    assert (project / "exports" / "es.html").read_text(encoding="utf-8") != before
    scratch = tmp_path / "scratch"
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "exports"))
    monkeypatch.chdir(scratch)
    assert invoke("export", "-l", "es", "--web").exit_code == 0
    for page in ("index.html", "en.html", "es.html"):
        assert (project / "exports" / page).read_bytes() == (scratch / "exports" / page).read_bytes(), page
