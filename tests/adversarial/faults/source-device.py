"""A source that is a symbolic link to a character device (/dev/zero): refused, never read forever."""
from pathlib import Path

EXPECT = "seeds/zero.txt: symbolic link to a file outside the sources folder; not read"


def arrange(root: Path) -> None:
    (root / "seeds" / "zero.txt").symlink_to("/dev/zero")
