"""A link inside i18n/ to a folder outside the project: the start-of-run sweep never follows it."""
from pathlib import Path

EXPECT = None
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir()
    (outside / ".doc.po.pipeline-abcdefgh.tmp").write_bytes(b"not the pipeline's to remove")
    (root / "i18n").mkdir(exist_ok=True)
    (root / "i18n" / "shared").symlink_to(outside)


def verify(root: Path, output: str) -> None:
    assert (root.parent / f"{root.name}-outside" / ".doc.po.pipeline-abcdefgh.tmp").exists()
