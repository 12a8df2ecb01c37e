"""A file name holding a terminal escape sequence and a newline: refused, the name shown escaped."""
from pathlib import Path

EXPECT = "seeds/evil\\x1b[31m\\nname.txt: file name cannot be used as a document id"


def arrange(root: Path) -> None:
    (root / "seeds" / "evil\x1b[31m\nname.txt").write_text("Title\n\nBody.\n", encoding="utf-8")


def verify(root: Path, output: str) -> None:
    assert "\x1b" not in output, "a raw escape sequence reached the terminal"
    for pot in (root / "i18n" / "templates").glob("*.pot"):
        assert "evil" not in pot.read_text(encoding="utf-8")
