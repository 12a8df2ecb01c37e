"""Other programs' hidden temporary files in i18n/, exports/ and the cache survive; the pipeline's own go."""
from pathlib import Path

EXPECT = None
BASELINE = True
COMMAND = ("segment",)
THEIRS = ("i18n/es/.000.po.tmp", "i18n/es/.000.po.swp", "i18n/es/000.po~", "exports/.sync.tmp",
          ".cache/pipeline/.other-tool.tmp", "i18n/es/.x.pipeline-notours.tmp")
OURS = ("i18n/es/.000_afd28e63ccbb2c86.po.pipeline-k2j4h6g8.tmp",
        ".cache/pipeline/.segment-state.json.pipeline-a1b2c3d4.tmp")


def arrange(root: Path) -> None:
    for name in THEIRS + OURS:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"someone's data")


def verify(root: Path, output: str) -> None:
    assert all((root / name).exists() for name in THEIRS), [n for n in THEIRS if not (root / n).exists()]
    assert not any((root / name).exists() for name in OURS)
