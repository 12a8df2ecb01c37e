"""The lock file replaced by a symbolic link to a precious file: refused, the target never truncated."""
from pathlib import Path

EXPECT = "i18n/.pipeline.lock: lock file is a symbolic link; refusing to use it"
ALL_FAIL = True


def arrange(root: Path) -> None:
    (root / "precious.txt").write_text("years of work\n", encoding="utf-8")
    (root / "i18n").mkdir(exist_ok=True)
    (root / "i18n" / ".pipeline.lock").symlink_to(root / "precious.txt")


def verify(root: Path, output: str) -> None:
    assert (root / "precious.txt").read_text(encoding="utf-8") == "years of work\n"
