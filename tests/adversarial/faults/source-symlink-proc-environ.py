"""A source that is a symbolic link to /proc/self/environ (environment and API keys): refused, nothing leaks."""
import os
from pathlib import Path

EXPECT = "seeds/leak.txt: symbolic link to a file outside the sources folder; not read"


def arrange(root: Path) -> None:
    os.environ["PIPELINE_TEST_SECRET"] = "s3cr3t-api-key-do-not-publish"
    (root / "seeds" / "leak.txt").symlink_to("/proc/self/environ")


def verify(root: Path, output: str) -> None:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert b"s3cr3t-api-key" not in path.read_bytes(), f"the secret leaked into {path}"
    assert not list(root.glob("i18n/*/leak.po*"))
