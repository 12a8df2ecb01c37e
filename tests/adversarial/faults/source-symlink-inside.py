"""A source that is a symbolic link to another file of the sources folder: read like that file."""
from pathlib import Path

EXPECT = None


def arrange(root: Path) -> None:
    (root / "drafts").mkdir()
    real = root / "seeds" / "real-article.txt"
    real.write_text("An article under two names\n\nIts one paragraph.\n", encoding="utf-8")
    (root / "seeds" / "alias.txt").symlink_to("real-article.txt")


def verify(root: Path, output: str) -> None:
    assert "Its one paragraph." in (root / "i18n" / "templates" / "alias.pot").read_text(encoding="utf-8")
