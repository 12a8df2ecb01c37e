"""A source that is a FIFO (named pipe): refused at once, the run never hangs waiting on it."""
import os
from pathlib import Path

EXPECT = "seeds/pipe.txt: not a regular file (a FIFO); not read"


def arrange(root: Path) -> None:
    os.mkfifo(root / "seeds" / "pipe.txt")
