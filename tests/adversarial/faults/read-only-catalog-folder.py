"""i18n/ on a read-only file system: no catalog can be merged; each said once, nothing half-written."""
import subprocess
from pathlib import Path

EXPECT = "i18n/.pipeline.lock: cannot create the lock file: the file system is read-only"
MOUNT = ("i18n", "size=4m")
BASELINE = True
COMMAND = ("segment",)
ALL_FAIL = True


def arrange(root: Path) -> None:
    src = root / "seeds" / "000_afd28e63ccbb2c86.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(root / "i18n")], check=True)
