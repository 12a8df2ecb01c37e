"""A catalog that is a symbolic link (to a shared copy): refused and left as it is, never replaced by a copy."""
from pathlib import Path

EXPECT = "i18n/es/000_afd28e63ccbb2c86.po: is a symbolic link; left as it is"
BASELINE = True


def arrange(root: Path) -> None:
    po = root / "i18n" / "es" / "000_afd28e63ccbb2c86.po"
    shared = root / "shared-000.po"
    shared.write_bytes(po.read_bytes())
    po.unlink()
    po.symlink_to(shared)
    _edit_source(root)


def _edit_source(root: Path) -> None:
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nA corrected closing paragraph.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    po = root / "i18n" / "es" / "000_afd28e63ccbb2c86.po"
    assert po.is_symlink(), "the link was replaced"
    assert "A corrected closing paragraph." not in (root / "shared-000.po").read_text(encoding="utf-8")
    assert "A corrected closing paragraph." in (root / "i18n" / "pt" / "000_afd28e63ccbb2c86.po").read_text(
        encoding="utf-8"), "the other languages were not merged"
