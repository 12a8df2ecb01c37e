"""A read-only catalog (chmod 444) after the source changed: never replaced, said in one line."""
import os
from pathlib import Path

EXPECT = "i18n/fr/000_afd28e63ccbb2c86.po: is read-only; left as it is"
BASELINE = True
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    po = root / "i18n" / "fr" / "000_afd28e63ccbb2c86.po"
    os.chmod(po, 0o444)
    (root / "before.po").write_bytes(po.read_bytes())
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    po = root / "i18n" / "fr" / "000_afd28e63ccbb2c86.po"
    assert po.read_bytes() == (root / "before.po").read_bytes()
    assert po.stat().st_mode & 0o777 == 0o444
    assert "One more paragraph." in (root / "i18n" / "es" / "000_afd28e63ccbb2c86.po").read_text(encoding="utf-8")
