"""A catalog shared with a group (mode 0660): rewritten by a merge, it keeps its mode and group."""
import os
from pathlib import Path

EXPECT = None
BASELINE = True
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    po = root / "i18n" / "es" / "000_afd28e63ccbb2c86.po"
    os.chmod(po, 0o660)
    group = max(os.getgroups() or [os.getgid()])
    os.chown(po, -1, group)
    (root / "group").write_text(str(group))
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    po = root / "i18n" / "es" / "000_afd28e63ccbb2c86.po"
    assert "One more paragraph." in po.read_text(encoding="utf-8"), "not merged"
    st = po.stat()
    assert (st.st_mode & 0o7777, st.st_gid) == (0o660, int((root / "group").read_text()))
