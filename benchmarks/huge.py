"""One huge article, segmented and exported in a fresh process, against a 1 MB one times the size."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from figures import Table
from measuring import cli_time, seed_paragraphs


def bench_huge(table: Table, runs: int, megabytes: int) -> None:
    """One article of ``megabytes`` MB: ``segment`` and ``export`` from scratch in a fresh process, time
    and peak RSS, against the same for a 1 MB article times the size (linear growth is 1.0x)."""
    pool = seed_paragraphs()
    rng = random.Random(50)
    base = Path(tempfile.mkdtemp(prefix="bench-huge-"))
    results: dict[int, tuple[float, float, float, float]] = {}
    for size in dict.fromkeys((1, megabytes)):
        folder = base / f"{size}mb"
        (folder / "seeds").mkdir(parents=True)
        (folder / "pipeline.toml").write_text('[project]\nname = "bench"\nsource_language = "en"\n'
                                              'target_languages = ["es"]\n[engines]\ndefault = "none"\n')
        paragraphs, total, n = [f"A huge article of {size} MB"], 0, 0
        while total < size * 1_000_000:
            paragraph = f"{rng.choice(pool)} [{n}]"
            paragraphs.append(paragraph)
            total += len(paragraph.encode()) + 2
            n += 1
        (folder / "seeds" / "huge.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        segment, segment_rss = cli_time(folder, ["-q", "segment"], runs, fresh=["i18n", ".cache"])
        export, export_rss = cli_time(folder, ["-q", "export", "--epub", "--web"], runs,
                                       fresh=["exports", ".cache/pipeline/export-state.json"])
        results[size] = (segment, segment_rss, export, export_rss)
    segment, segment_rss, export, export_rss = results[megabytes]
    small = results[1]
    goals = ("(goal ≤ 10 s and ≤ 300 MB)", "(goal ≤ 20 s and ≤ 400 MB)") if megabytes == 50 else ("", "")
    table.add(f"segment from scratch, one {megabytes} MB article (a fresh process)", segment, segment_rss,
              f"a 1 MB article x {megabytes}", f"{segment / (small[0] * megabytes):.2f}x {goals[0]}".strip())
    table.add(f"export from scratch, one {megabytes} MB article (a fresh process)", export, export_rss,
              f"a 1 MB article x {megabytes}", f"{export / (small[2] * megabytes):.2f}x {goals[1]}".strip())
    shutil.rmtree(base, ignore_errors=True)
