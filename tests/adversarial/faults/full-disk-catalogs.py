"""The disk holding i18n/ is full while a merge rewrites catalogs: one line each, every catalog as it was."""
import ast
import subprocess
from pathlib import Path

EXPECT = "cannot write: the disk is full; nothing was changed"
MOUNT = ("i18n", "size=256k")
BASELINE = True
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "i18n").rglob("*.po"))}
    (root / "before.txt").write_text(repr(before))
    subprocess.run(["dd", "if=/dev/zero", f"of={root / 'i18n' / 'filler'}", "bs=4k"], capture_output=True, check=False)
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nA paragraph that needs room on disk.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    before = ast.literal_eval((root / "before.txt").read_text())
    for name, data in before.items():
        assert (root / name).read_bytes() == data, f"{name} changed on a full disk"
    assert not [p for p in (root / "i18n").rglob("*") if ".pipeline-" in p.name], "temporary files left"
