"""[paths] exports = "/" (or the project folder itself): refused before anything is written or swept."""
from pathlib import Path

EXPECT = "pipeline.toml:11: [paths] exports = '/' is the project folder itself or one above it"
ALL_FAIL = True


def arrange(root: Path) -> None:
    config = root / "pipeline.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('exports = "exports"', 'exports = "/"'),
                      encoding="utf-8")
