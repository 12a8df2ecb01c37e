"""[paths] exports = "/" (or the project folder itself): refused before anything is written or swept."""
from pathlib import Path

EXPECT = "[paths] exports = '/' is the project folder itself or one above it"
ALL_FAIL = True


def arrange(root: Path) -> None:
    config = root / "pipeline.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('exports = "exports"', 'exports = "/"'),
                      encoding="utf-8")


def verify(root: Path, output: str) -> None:
    lines = (root / "pipeline.toml").read_text(encoding="utf-8").splitlines()
    lineno = next(n for n, line in enumerate(lines, 1) if line.startswith('exports = "/"'))
    assert f"pipeline.toml:{lineno}: {EXPECT}" in output, output
