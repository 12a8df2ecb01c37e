"""pipeline.toml saved with a UTF-8 byte order mark (Windows Notepad): read as if it had none."""
from pathlib import Path

EXPECT = None
COMMAND = ("segment",)


def arrange(root: Path) -> None:
    config = root / "pipeline.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
