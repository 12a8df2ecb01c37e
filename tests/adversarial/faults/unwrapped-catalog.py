"""A catalog saved unwrapped (msgcat --no-wrap, Poedit with wrapping off): not rewritten when nothing changed."""
import subprocess
from pathlib import Path

EXPECT = None
BASELINE = True
COMMAND = ("segment",)
DOC = "000_afd28e63ccbb2c86"


def arrange(root: Path) -> None:
    po = root / "i18n" / "es" / f"{DOC}.po"
    unwrapped = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, check=True).stdout
    assert unwrapped != po.read_bytes(), "the seed catalog has no long line: the case proves nothing"
    po.write_bytes(unwrapped)
    (root / "saved.po").write_bytes(unwrapped)
    src = root / "seeds" / "001_848bedc52bb3e968.txt"  # another article changes: segment really runs
    src.write_text(src.read_text(encoding="utf-8") + "\n\nA late paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert (root / "i18n" / "es" / f"{DOC}.po").read_bytes() == (root / "saved.po").read_bytes()
    assert "A late paragraph." in (root / "i18n" / "es" / "001_848bedc52bb3e968.po").read_text(encoding="utf-8")
