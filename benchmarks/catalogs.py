"""The catalogs of a synthetic corpus: ``segment`` from scratch, after edits (against GNU
``msgmerge --previous``), after one edit and as a no-op; and ``export`` against the
atomic+fsync write floor."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from figures import Table
from measuring import cli_time, measure, seed_paragraphs

if TYPE_CHECKING:
    from pipeline.config import Config


def make_corpus(folder: Path, articles: int, rng: random.Random) -> None:
    """``articles`` source files of about 40 paragraphs, and a project file with one target."""
    pool = [s for text in seed_paragraphs() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    (folder / "pipeline.toml").write_text('[project]\nname = "bench"\nsource_language = "en"\n'
                                          'target_languages = ["es"]\n[engines]\ndefault = "none"\n')
    for n in range(articles):
        paragraphs = [f"Article number {n}: a synthetic title"]
        for p in range(40):
            paragraphs.append(" ".join(rng.sample(pool, rng.randint(1, 3))) + f" [{n}.{p}]")
        (seeds / f"a{n:06d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def translate_everything(folder: Path) -> None:
    """Give every entry a translation, as if reviewers had approved the whole corpus."""
    from dataclasses import replace

    from pipeline.po import dumps, load_po

    for po in (folder / "i18n" / "es").glob("*.po"):
        catalog = load_po(po)
        po.write_text(dumps(replace(catalog, messages=tuple(
            replace(m, msgstr="ES " + m.msgid) for m in catalog.messages))), encoding="utf-8")


def edit_corpus(folder: Path, rng: random.Random) -> None:
    """Edit 5 %, remove 2 % and add 2 % of the paragraphs (titles untouched)."""
    for source in sorted((folder / "seeds").glob("*.txt")):
        paragraphs = source.read_text(encoding="utf-8").strip().split("\n\n")
        out = [paragraphs[0]]
        for paragraph in paragraphs[1:]:
            roll = rng.random()
            if roll < 0.02:
                continue
            if roll < 0.07:
                words = paragraph.split(" ")
                words[rng.randrange(len(words) - 1)] = rng.choice(["workers", "people", "union", "today"])
                paragraph = " ".join(words)
            out.append(paragraph)
            if rng.random() < 0.02:
                out.append(f"An added paragraph about the strike, number {rng.randrange(10**9)}.")
        source.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def bench_catalogs(table: Table, runs: int, articles: int, scale: int = 10) -> None:
    from pipeline.config import load_config
    from pipeline.stages.segment import segment_project

    now = "2026-01-01 00:00+0000"
    scratch: dict[int, float] = {}
    for size in dict.fromkeys((articles, articles * scale)):
        base = Path(tempfile.mkdtemp(prefix=f"bench-corpus-{size}-"))
        make_corpus(base / "corpus", size, random.Random(size))
        config = load_config(base / "corpus" / "pipeline.toml")

        def fresh() -> None:
            shutil.rmtree(base / "corpus" / "i18n", ignore_errors=True)

        seconds, rss = measure(lambda: segment_project(config, now), runs, setup=fresh)
        scratch[size] = seconds
        table.add(f"segment from scratch, {size:,} articles ({size * 41:,} paragraphs)", seconds, rss)
        segment_project(config, now)
        translate_everything(base / "corpus")
        shutil.copytree(base / "corpus" / "i18n", base / "before")
        edit_corpus(base / "corpus", random.Random(7))

        def restore() -> None:
            shutil.rmtree(base / "corpus" / "i18n")
            shutil.copytree(base / "before", base / "corpus" / "i18n")

        merge, merge_rss = measure(lambda: segment_project(config, now), runs, setup=restore)
        restore()
        segment_project(config, now)
        gnu, agree, edited = _msgmerge(base, config)
        table.add(f"segment after edits, {size:,} articles (merge with fuzzy matching)", merge, merge_rss,
                  "GNU msgmerge --previous, one call per catalog", f"{_faster(gnu / merge)} (goal ≥ 5x faster); "
                  f"same fuzzy match for {agree:.1f} % of {edited:,} edited paragraphs (goal ≥ 95 %)")
        table.add(f"GNU msgmerge --previous on the same {size:,} catalogs", gnu, 0.0)
        if size == articles:
            _single_catalog(table, base, config, runs)
        _one_edit(table, base / "corpus", config, size, runs)
        if size == articles:
            _export(table, base / "corpus", config, size, runs)
        noop, noop_rss = cli_time(base / "corpus", ["-q", "segment"], runs)
        start, start_rss = cli_time(base / "corpus", None, runs)
        table.add(f"no-op segment re-run, {size:,} articles", noop, noop_rss,
                  "python + light imports", f"{noop / start:.1f}x (goal ≤ 3x)")
        shutil.rmtree(base, ignore_errors=True)
    if scale > 1:
        ratio = scratch[articles * scale] / scratch[articles]
        table.add(f"growth: segment from scratch, {scale}x the articles", scratch[articles * scale], 0.0,
                  f"{articles:,} articles", f"{ratio:.1f}x the time (goal ≤ {1.1 * scale:g}x)")


def _faster(ratio: float) -> str:
    """``ratio`` (reference time / ours) in words that read right on both sides of 1."""
    return f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"


def _one_edit(table: Table, folder: Path, config: Config, size: int, runs: int) -> None:
    """Work proportional to change: one article edited, against a no-op run, both in this process."""
    from pipeline.stages.segment import segment_project

    now = "2026-01-01 00:00+0000"
    segment_project(config, now)
    article = sorted((folder / "seeds").glob("*.txt"))[size // 2]
    counter = iter(range(10**6))

    def edit() -> None:
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\nA correction added by an editor, number {next(counter)}.\n")

    noop, noop_rss = measure(lambda: segment_project(config, now), runs)
    one, one_rss = measure(lambda: segment_project(config, now), runs, setup=edit)
    table.add(f"no-op segment, {size:,} articles (in-process)", noop, noop_rss)
    table.add(f"segment after one article edited, {size:,} articles (in-process)", one, one_rss,
              "no-op segment", f"{one / noop:.1f}x (goal ≤ 3x)")


def _export(table: Table, folder: Path, config: Config, size: int, runs: int) -> None:
    """A fresh export of every book (folders and .epub, the web edition), a no-op one, and the floor:
    the same bytes written atomically with fsync."""
    from pipeline.fsutil import write_atomic
    from pipeline.stages.export import ExportOptions, export_project

    options = ExportOptions(epub=True, web=True)

    def fresh() -> None:  # nothing an earlier export left: no book, no state, no remembered document
        shutil.rmtree(folder / "exports", ignore_errors=True)
        shutil.rmtree(config.cache_dir / "export", ignore_errors=True)
        for name in ("export-state.json", "books.json", "site.json"):
            (config.cache_dir / name).unlink(missing_ok=True)

    seconds, rss = measure(lambda: export_project(config, ("es",), options), runs, setup=fresh)
    export_project(config, ("es",), options)
    files = [(p.relative_to(folder), p.read_bytes()) for p in sorted((folder / "exports").rglob("*")) if p.is_file()]
    floor_dir = folder.parent / "floor"

    def floor() -> None:
        for rel, data in files:
            write_atomic(floor_dir / rel, data)

    floor_s, _ = measure(floor, runs, setup=lambda: shutil.rmtree(floor_dir, ignore_errors=True))
    table.add(f"export from scratch, {size:,} articles ({len(files):,} files, folders, .epub and web edition)",
              seconds, rss, "the same bytes written atomically with fsync",
              f"{seconds / floor_s:.1f}x (goal ≤ 1.2x); floor {floor_s:.2f} s")
    # The command line's export records its own state (an in-process export_project of one language
    # does not count as the same export), so one untimed run first: then the timed ones have nothing to do.
    subprocess.run([sys.executable, "-m", "pipeline", "-q", "export", "--epub", "--web"], cwd=folder, check=True)
    noop, noop_rss = cli_time(folder, ["-q", "export", "--epub", "--web"], runs)
    table.add(f"no-op export, {size:,} articles (a fresh process)", noop, noop_rss, "", "goal ≤ 1 s")
    export_project(config, ("es",), options)
    approve = _approver(config.i18n_dir / "es")
    one, one_rss = measure(lambda: export_project(config, ("es",), options), runs, setup=approve)
    table.add(f"export after one approval, {size:,} articles (one entry of one catalog changed)", one, one_rss,
              "export from scratch", f"{one / seconds:.1%} of it (goal ≤ 5%)")


def _approver(folder: Path) -> Callable[[], None]:
    """A setup that approves one more entry of one catalog each time, as a reviewer saving in Poedit."""
    from dataclasses import replace

    from pipeline.po import dumps, load_po

    catalog_path = sorted(folder.glob("*.po"))[len(list(folder.glob("*.po"))) // 3]
    counter = iter(range(10**6))

    def approve() -> None:
        n = next(counter)
        catalog = load_po(catalog_path)
        active = [i for i, m in enumerate(catalog.messages) if m.msgid and not m.obsolete]
        index = active[n % len(active)]
        messages = list(catalog.messages)
        message = messages[index]
        messages[index] = replace(message, msgstr=f"ES {message.msgid} ({n})",
                                  flags=tuple(f for f in message.flags if f != "fuzzy"))
        catalog_path.write_text(dumps(replace(catalog, messages=tuple(messages))), encoding="utf-8")

    return approve


def _msgmerge(base: Path, config: Config) -> tuple[float, float, int]:
    """Time msgmerge over every catalog (old PO + new POT) and compare its fuzzy matches with ours."""
    from pipeline.po import load_po

    ours_dir = config.i18n_dir / "es"
    gnu_dir = base / "gnu"
    gnu_dir.mkdir()
    start = time.perf_counter()
    for old in sorted((base / "before" / "es").glob("*.po")):
        subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(gnu_dir / old.name), str(old),
                        str(config.i18n_dir / "templates" / f"{old.stem}.pot")], check=True)
    gnu = time.perf_counter() - start
    same = total = 0
    for theirs in sorted(gnu_dir.glob("*.po")):
        old_ids = {m.msgid for m in load_po(base / "before" / "es" / theirs.name).messages}
        mine = {m.msgid: m for m in load_po(ours_dir / theirs.name).active()}
        for msg in load_po(theirs).active():
            if msg.msgid in old_ids:
                continue
            total += 1
            same += (msg.msgstr, msg.fuzzy) == (mine[msg.msgid].msgstr, mine[msg.msgid].fuzzy)
    return gnu, 100.0 * same / max(total, 1), total


def _single_catalog(table: Table, base: Path, config: Config, runs: int) -> None:
    """The whole corpus as one catalog: where msgmerge's fuzzy search turns quadratic."""
    from dataclasses import replace

    from pipeline.catalog import update
    from pipeline.po import dumps, load_po

    old_messages: list[Any] = []
    new_messages: dict[str, Any] = {}
    for po in sorted((base / "before" / "es").glob("*.po")):
        old_messages += load_po(po).active()
        for msg in load_po(config.i18n_dir / "templates" / f"{po.stem}.pot").messages:
            new_messages.setdefault(msg.msgid, msg)
    header = load_po(next(iter(sorted((base / "before" / "es").glob("*.po")))))
    old = replace(header, messages=tuple({m.msgid: m for m in old_messages}.values()))
    pot = replace(header, messages=tuple(new_messages.values()))
    (base / "all.po").write_text(dumps(old), encoding="utf-8")
    (base / "all.pot").write_text(dumps(pot), encoding="utf-8")
    ours, rss = measure(lambda: update(old, pot), runs)
    start = time.perf_counter()
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(base / "gnu-all.po"), str(base / "all.po"),
                    str(base / "all.pot")], check=True)
    gnu = time.perf_counter() - start
    merged = {m.msgid: m for m in update(old, pot).active()}
    old_ids = {m.msgid for m in old.messages}
    theirs = [m for m in load_po(base / "gnu-all.po").active() if m.msgid not in old_ids]
    same = sum((m.msgstr, m.fuzzy) == (merged[m.msgid].msgstr, merged[m.msgid].fuzzy) for m in theirs)
    table.add(f"fuzzy merge of one catalog of {len(old.messages):,} entries (catalog.update)", ours, rss,
              "GNU msgmerge --previous on the same catalog (one run)",
              f"{gnu / ours:.1f}x faster (goal ≥ 10x); msgmerge {gnu:.1f} s; same fuzzy match for "
              f"{100.0 * same / max(len(theirs), 1):.1f} % of {len(theirs):,} edited paragraphs (goal ≥ 95 %)")
