"""A source that is a dangling symbolic link: refused with one line, not silently skipped."""
from pathlib import Path

EXPECT = "seeds/gone.txt: dangling symbolic link: its target does not exist"


def arrange(root: Path) -> None:
    (root / "seeds" / "gone.txt").symlink_to(root / "seeds" / "deleted-long-ago.txt")
