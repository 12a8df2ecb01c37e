"""A glossary path that is a folder (glossary/es.csv/): one line naming it; other languages translated."""
from pathlib import Path

EXPECT = "glossary/es.csv: cannot read the glossary: Is a directory"
COMMAND = ("translate",)
BASELINE = True


def arrange(root: Path) -> None:
    (root / "glossary" / "es.csv").mkdir(parents=True)
