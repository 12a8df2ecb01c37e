"""A folder whose name ends in .txt: refused as not a regular file."""
from pathlib import Path

EXPECT = "seeds/folder.txt: not a regular file (a folder); not read"


def arrange(root: Path) -> None:
    (root / "seeds" / "folder.txt").mkdir()
    (root / "seeds" / "folder.txt" / "inside.txt").write_text("Hidden\n\nText.\n", encoding="utf-8")
