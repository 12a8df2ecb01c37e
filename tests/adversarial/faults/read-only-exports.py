"""exports/ on a file system mounted read-only: one line per book said, catalogs still merged."""
import subprocess
from pathlib import Path

EXPECT = "cannot write: the file system is read-only; nothing was changed"
MOUNT = ("exports", "size=4m")
BASELINE = True


def arrange(root: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(root / "exports")], check=True)
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert "One more paragraph." in (root / "i18n" / "es" / "000_afd28e63ccbb2c86.po").read_text(encoding="utf-8")
