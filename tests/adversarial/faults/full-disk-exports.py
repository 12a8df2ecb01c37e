"""The disk holding exports/ fills up during an export: each book is the old one or absent, never a mix."""
import ast
import subprocess
from pathlib import Path

EXPECT = "cannot write: the disk is full; nothing was changed"
MOUNT = ("exports", "size=1m")
BASELINE = True
COMMAND = ("export", "--epub")


def arrange(root: Path) -> None:
    book = root / "exports" / "es" / "000_afd28e63ccbb2c86"
    (root / "before.txt").write_text(repr({p.relative_to(book).as_posix(): p.read_bytes()
                                           for p in sorted(book.rglob("*")) if p.is_file()}))
    subprocess.run(["dd", "if=/dev/zero", f"of={root / 'exports' / 'filler'}", "bs=4k"], capture_output=True, check=False)
    po = root / "i18n" / "es" / "000_afd28e63ccbb2c86.po"  # a change every es book must show
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('"Language-Team: ', '"X-Note: changed\\n"\n"Language-Team: ', 1), encoding="utf-8")
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("Venezuela", "Venezuela (VE)", 1), encoding="utf-8")


def verify(root: Path, output: str) -> None:
    book = root / "exports" / "es" / "000_afd28e63ccbb2c86"
    before = ast.literal_eval((root / "before.txt").read_text())
    after = {p.relative_to(book).as_posix(): p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()}
    assert after == before or not after, "a book mixes old and new files"
    assert not [p for p in (root / "exports").rglob("*") if ".pipeline-" in p.name], "temporary files left"
