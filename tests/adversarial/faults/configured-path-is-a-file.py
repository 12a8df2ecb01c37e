"""[paths] exports names a file, not a folder: one line naming it, catalogs still written."""
from pathlib import Path

EXPECT = "exports: is not a folder; no book can be written there"


def arrange(root: Path) -> None:
    (root / "exports").write_text("not a folder\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert (root / "exports").read_text(encoding="utf-8") == "not a folder\n"
    assert len(list((root / "i18n").glob("*/*.po"))) == 6
