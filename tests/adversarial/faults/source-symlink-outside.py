"""A source that is a symbolic link to a file outside the sources folder: refused, not read."""
from pathlib import Path

EXPECT = "seeds/elsewhere.txt: symbolic link to a file outside the sources folder; not read"


def arrange(root: Path) -> None:
    (root / "private.txt").write_text("Private notes\n\nNot for publication.\n", encoding="utf-8")
    (root / "seeds" / "elsewhere.txt").symlink_to(root / "private.txt")


def verify(root: Path, output: str) -> None:
    assert not (root / "i18n" / "templates" / "elsewhere.pot").exists()
