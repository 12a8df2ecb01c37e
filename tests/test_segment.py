"""Segmentation: golden POT files beside their inputs, and the metadata of every seed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.catalog import template
from pipeline.errors import SourceError
from pipeline.po import write_po
from pipeline.segment import parse_date, segment
from pipeline.sources import read_source

GOLDEN = Path(__file__).parent / "golden" / "segment"
CASES = sorted(GOLDEN.glob("*.txt"))


def render_pot(path: Path) -> str:
    doc = segment(read_source(path, f"seeds/{path.name}"))
    buffer = io.BytesIO()
    write_po(template(doc, "Solidarity articles", "en", "2026-01-01 00:00+0000"), buffer)
    return buffer.getvalue().decode("utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_pot(case: Path) -> None:
    expected = case.with_suffix(".expect.pot").read_text(encoding="utf-8")
    assert render_pot(case) == expected


def test_golden_inputs_are_the_seeds() -> None:
    seeds = Path(__file__).parent.parent / "seeds"
    for seed in seeds.glob("*.txt"):
        assert (GOLDEN / seed.name).read_bytes() == seed.read_bytes()


EXPECTED_META = {
    "000_afd28e63ccbb2c86": ("US out of Venezuela!", "https://internationalviewpoint.org/spip.php?article9342",
                             "2026-01-04", ""),
    "001_848bedc52bb3e968": ("Stop the imperialist aggression against Venezuela!",
                             "https://internationalviewpoint.org/spip.php?article9339", "2026-01-03", ""),
    "002_a52b92a0a50288ae": ("Social Movement: What’s wrong with US aggression against Venezuela?",
                             "https://rev.org.ua/shho-ne-tak-z-napadom-na-venesuelu/", "2026-01-03",
                             "Social Movment"),
    "003_70e39d520399d067": ("Joint Statement on the One-Month Anniversary of the US Kidnapping of President "
                             "Nicolás Maduro and First Combatant Cilia Flores", "", "2026-02-05",
                             "International League of Peoples’ Struggle"),
    "004_f54c4b78720f0974": ("The only way to really defend Venezuela is for the working class to smash US "
                             "and UK imperialism!", "", "", ""),
}


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_META), ids=sorted(EXPECTED_META))
def test_seed_metadata(doc_id: str) -> None:
    path = Path(__file__).parent.parent / "seeds" / f"{doc_id}.txt"
    doc = segment(read_source(path, f"seeds/{path.name}"))
    meta = doc.metadata
    assert (meta.title, meta.source_url, meta.date, meta.author) == EXPECTED_META[doc_id]
    # values that must not be machine-translated never become catalog entries
    texts = {b.text for b in doc.translatable()}
    assert not any(meta.source_url and meta.source_url in t for t in texts)
    assert all(parse_date(t) is None for t in texts)


def test_hard_wrapped_paragraph_is_joined_and_keeps_its_first_line() -> None:
    path = Path(__file__).parent.parent / "seeds" / "001_848bedc52bb3e968.txt"
    doc = segment(read_source(path, "x"))
    copyright_block = next(b for b in doc.blocks if b.role == "copyright")
    assert copyright_block.line == 15
    assert copyright_block.text.endswith("All rights reserved**")
    assert "\n" not in copyright_block.text


def test_identical_blocks_share_one_entry_with_both_references() -> None:
    path = Path(__file__).parent.parent / "seeds" / "000_afd28e63ccbb2c86.txt"
    pot = render_pot(path)
    assert pot.count('msgid "US out of Venezuela!"') == 1
    assert "#. type: title\n#. type: paragraph\n#: seeds/000_afd28e63ccbb2c86.txt:9 " \
           "seeds/000_afd28e63ccbb2c86.txt:23\n" in pot


def test_front_matter_and_sidecar_override_detected_metadata(tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text("---\ntitle: Better title\nauthor: Ana Pérez\n---\nDetected title\n\n"
                   "Publication date: Sunday 4 January 2026\n\nA first paragraph that is long enough.",
                   encoding="utf-8")
    doc = segment(read_source(src, "seeds/story.txt"))
    assert doc.metadata.title == "Better title"
    assert doc.metadata.author == "Ana Pérez"
    assert doc.metadata.date == "2026-01-04"
    assert next(b for b in doc.blocks if b.kind == "title").line == 5  # file lines, not body lines
    (tmp_path / "story.meta.toml").write_text('author = "Editors"\ndate = "2026-02-01"\n', encoding="utf-8")
    doc = segment(read_source(src, "seeds/story.txt"))
    assert (doc.metadata.author, doc.metadata.date) == ("Editors", "2026-02-01")


@pytest.mark.parametrize("data, fragment", [
    (b"Title\n\n\xff\xfe broken", "not valid UTF-8 (byte offset 7"),
    (b"---\ntitle: x\n", "never ends"),
    (b"---\ncolour: red\n---\nText", "front matter line"),
], ids=["bad-utf8", "open-front-matter", "unknown-front-matter-key"])
def test_bad_sources_name_file_and_line(tmp_path: Path, data: bytes, fragment: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_source(src, "bad.txt")
    assert fragment in str(info.value)
    assert str(src) in str(info.value)
    assert info.value.lineno is not None


def test_crlf_bom_and_double_spaces_are_normalised(tmp_path: Path) -> None:
    src = tmp_path / "win.txt"
    src.write_bytes("\ufeffA title\r\n\r\nA  paragraph\r\nwrapped  here.\r\n".encode("utf-8"))
    doc = segment(read_source(src, "win.txt"))
    assert [b.text for b in doc.blocks] == ["A title", "A paragraph wrapped here."]
