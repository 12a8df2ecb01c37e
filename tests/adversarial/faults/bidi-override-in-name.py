"""A file name with a right-to-left override (U+202E) that disguises its extension: shown escaped."""
from pathlib import Path

EXPECT = "seeds/report\\u202etxt.exe.txt: file name cannot be used as a document id"


def arrange(root: Path) -> None:
    (root / "seeds" / "report\u202etxt.exe.txt").write_text("Title\n\nBody.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert "\u202e" not in output
