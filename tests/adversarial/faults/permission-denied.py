"""A catalog folder the user may not write (owned by another user): one line, the other languages merged."""
import os
from pathlib import Path

EXPECT = "i18n/fr/000_afd28e63ccbb2c86.po: cannot write: permission denied; nothing was changed"
AS_USER = 65534  # nobody: root may write anywhere, so the run is made as an ordinary user
BASELINE = True
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    folder = root / "i18n" / "fr"
    for path in [folder, *folder.iterdir()]:
        os.lchown(path, 0, 0)
    os.chmod(folder, 0o755)
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert "One more paragraph." not in (root / "i18n" / "fr" / "000_afd28e63ccbb2c86.po").read_text(encoding="utf-8")
    assert "One more paragraph." in (root / "i18n" / "es" / "000_afd28e63ccbb2c86.po").read_text(encoding="utf-8")
