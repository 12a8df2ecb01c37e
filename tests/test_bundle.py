"""The ``.epub`` writer (pipeline/bundle.py): what zipfile writes, byte for byte, whatever it reuses."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bundle import _zip64, epub_bytes, write_expanded

_NAMES = st.sampled_from(["OEBPS/a1.xhtml", "OEBPS/a2.xhtml", "OEBPS/nav.xhtml", "OEBPS/images/é-1.png",
                          "META-INF/container.xml", "OEBPS/content.opf"])
_BOOKS = st.dictionaries(_NAMES, st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode), min_size=1)


def _book(members: dict[str, bytes]) -> dict[str, bytes]:
    return {"mimetype": b"application/epub+zip", **members}


@settings(max_examples=150, deadline=None)
@given(before=_BOOKS, after=_BOOKS, damage=st.binary(max_size=64))
def test_an_epub_is_the_same_bytes_whatever_an_earlier_one_held(before: dict[str, bytes], after: dict[str, bytes],
                                                               damage: bytes) -> None:
    """Members copied compressed from the last ``.epub`` (same name, same bytes) change nothing: the result
    is what zipfile itself writes for the same members, and reads back as them."""
    new = _book(after)
    fresh = epub_bytes(new)
    reference = _zip64(new, ["mimetype", *sorted(n for n in new if n != "mimetype")])  # zipfile's own writer
    assert fresh == reference
    earlier = epub_bytes(_book(before))
    assert epub_bytes(new, earlier) == fresh
    assert epub_bytes(new, fresh) == fresh  # every member copied compressed
    assert epub_bytes(new, epub_bytes({**new, **before})) == fresh  # some copied, some not
    assert epub_bytes(new, earlier[: len(earlier) // 2] + damage) == fresh  # a broken one is ignored
    with zipfile.ZipFile(io.BytesIO(fresh)) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert {name: archive.read(name) for name in archive.namelist()} == new


def test_a_member_with_the_same_crc_but_other_bytes_is_compressed_again() -> None:
    """Reuse is checked on the bytes, not assumed from the CRC: two texts with one CRC-32."""
    import zlib

    first, second = b"plumless", b"buckeroo"  # a known CRC-32 collision
    assert zlib.crc32(first) == zlib.crc32(second)
    earlier = epub_bytes(_book({"OEBPS/a1.xhtml": first}))
    with zipfile.ZipFile(io.BytesIO(epub_bytes(_book({"OEBPS/a1.xhtml": second}), earlier))) as archive:
        assert archive.read("OEBPS/a1.xhtml") == second


def test_a_book_rewritten_keeps_its_unchanged_files_as_they_were(tmp_path: Path) -> None:
    """Only the changed chapter is written again; the others are linked into the new folder (same inode)."""
    folder = tmp_path / "collection"
    files = _book({f"OEBPS/a{n}.xhtml": f"<p>chapter {n}</p>".encode() for n in range(1, 6)})
    assert write_expanded(folder, files)
    inodes = {name: os.stat(folder / name).st_ino for name in files}
    assert not write_expanded(folder, files)  # already right: not touched
    changed = {**files, "OEBPS/a3.xhtml": b"<p>chapter 3, approved</p>"}
    assert write_expanded(folder, changed)
    assert {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == changed
    kept = {name for name in files if os.stat(folder / name).st_ino == inodes[name]}
    assert kept == set(files) - {"OEBPS/a3.xhtml"}
    assert all(os.stat(folder / name).st_nlink == 1 for name in files)  # the old folder is gone


def test_an_epub_another_tool_rezipped_is_not_copied_from(tmp_path: Path) -> None:
    """Compressed members are copied only when asked (an .epub exactly as this program wrote it): another
    tool's deflate decompresses to the same bytes but is not what an export from scratch writes."""
    from pipeline.bundle import write_epub

    files = _book({f"OEBPS/a{n}.xhtml": f"<p>chapter {n} " .encode() * 40 for n in range(1, 4)})
    epub = tmp_path / "book.epub"
    with zipfile.ZipFile(epub, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as other:
        for name, data in files.items():
            other.writestr(name, data)
    assert epub_bytes(files, epub.read_bytes()) != epub_bytes(files)  # copying would keep the other deflate
    assert write_epub(epub, files)  # reuse not asked: written as from scratch
    assert epub.read_bytes() == epub_bytes(files)
    assert not write_epub(epub, files, reuse=True)


def test_a_compressed_member_with_bytes_after_its_end_is_not_copied() -> None:
    from pipeline.bundle import _deflate, _reused

    data = b"<p>a chapter</p>" * 20
    crc = __import__("zlib").crc32(data)
    assert _reused((crc, len(data), _deflate(data)), crc, data) == _deflate(data)
    assert _reused((crc, len(data), _deflate(data) + b"junk"), crc, data) is None
