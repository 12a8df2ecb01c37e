"""A glossary CSV with a 200,000-character field (over the csv module's limit): one line, no traceback."""
from pathlib import Path

EXPECT = "glossary/es.csv:2: not a valid CSV row: field larger than field limit (131072)"
COMMAND = ("translate",)
BASELINE = True


def arrange(root: Path) -> None:
    (root / "glossary").mkdir(exist_ok=True)
    (root / "glossary" / "es.csv").write_text("source,target\nVenezuela," + "x" * 200_000 + "\n",
                                              encoding="utf-8")
