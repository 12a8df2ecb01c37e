"""Files of the sources folder that are not sources (a .docx, a subfolder): each named once as skipped."""
from pathlib import Path

EXPECT = None
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    (root / "seeds" / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    (root / "seeds" / "archive").mkdir()


def verify(root: Path, output: str) -> None:
    assert output.count("seeds/notes.docx: skipped: not a source document") == 1, output
    assert output.count("seeds/archive: skipped: a folder") == 1, output
