"""An article withdrawn (its source deleted): its books leave exports/, its catalogs stay as reviewers' work."""
from pathlib import Path

EXPECT = None
BASELINE = True
COMMAND = ("run", "--engine", "none")
GONE = "001_848bedc52bb3e968"


def arrange(root: Path) -> None:
    (root / "seeds" / f"{GONE}.txt").rename(root / f"{GONE}.txt.bak")


def verify(root: Path, output: str) -> None:
    for lang in ("es", "pt", "fr"):
        assert (root / "i18n" / lang / f"{GONE}.po").is_file(), "a reviewer's catalog was removed"
        assert not any((root / "exports" / lang).glob(f"{GONE}*")), "a withdrawn book is still published"
        chapters = sorted((root / "exports" / lang / "collection" / "OEBPS").glob("a*.xhtml"))
        assert len(chapters) == 1, f"the collection still holds the withdrawn article: {chapters}"
    assert f"exports/es/{GONE}: withdrawn, its source is gone" in output, output
    assert "(source removed)" in output, output
    # the next run has nothing more to say about it
    from test_faults import _pipeline

    again = _pipeline(root, "export")
    assert "withdrawn" not in again.stdout, again.stdout
