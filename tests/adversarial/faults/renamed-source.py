"""An article renamed with a one-word correction: its approved translations follow it, still approved."""
from pathlib import Path

EXPECT = None
BASELINE = True
COMMAND = ("run", "--engine", "none")
OLD, NEW = "000_afd28e63ccbb2c86", "us-out-of-venezuela"


def arrange(root: Path) -> None:
    from helpers import approve

    for lang in ("es", "pt", "fr"):
        approve(root / "i18n" / lang / f"{OLD}.po", "US out of Venezuela!", f"[{lang}] approved title")
    src = root / "seeds" / f"{OLD}.txt"
    text = src.read_text(encoding="utf-8").replace("Venezuela", "Venezuela", 1).replace(" the ", " the  ", 0)
    (root / "seeds" / f"{NEW}.txt").write_text(text.replace("Thanks.", "Thank you."), encoding="utf-8")
    src.unlink()


def verify(root: Path, output: str) -> None:
    from pipeline.catalog import state
    from pipeline.po import load_po

    assert f"{NEW}: renamed from {OLD}" in output, output
    for lang in ("es", "pt", "fr"):
        catalog = load_po(root / "i18n" / lang / f"{NEW}.po")
        title = next(m for m in catalog.active() if m.msgid == "US out of Venezuela!")
        assert title.msgstr == f"[{lang}] approved title" and state(title) == "approved", title
        assert not (root / "i18n" / lang / f"{OLD}.po").exists(), "the orphaned catalog was left to rot"
        assert (root / "i18n" / "retired" / lang / f"{OLD}.po").is_file(), "the old catalog was not kept"
        assert not (root / "exports" / lang / OLD).exists() and (root / "exports" / lang / NEW).is_dir()
    assert not (root / "i18n" / "templates" / f"{OLD}.pot").exists()
