"""Benchmarks: the pipeline against the references it should be compared with, as ratios.

    .venv/bin/python benchmarks/run.py [--only argos,apertium,libretranslate,catalogs] [--articles 1000]
                                       [--runs 3] [--argos-synthetic 100] [--libre-paragraphs 40]
                                       [--tiny-argos | --argos-model FILE.argosmodel] [--readme]

Every figure is the median of ``--runs`` runs inside this one process run; each
measurement runs in a forked child so that its peak RSS can be reported on its
own (the argos and LibreTranslate ones run in this process, in turns: see
``interleaved``).  References:

* argos: raw ``ctranslate2.Translator.translate_batch`` over the same sentences,
  model and decoding settings (the floor), and argostranslate's own
  ``translate()`` called per paragraph (what a user would write).  The model is
  the production-shaped one of benchmarks/argosmodel.py (6+6 layers, d_model
  512, 31k vocabulary, int8, decoding about as long as the source; built once
  and cached in ~/.cache/pipeline-bench), the tiny test model of
  ``tests/tinyargos.py`` with ``--tiny-argos``, or a real one with ``--argos-model``.
* apertium: one raw ``apertium -u -f html eng-spa`` call over the same paragraphs.
* libretranslate: throughput of pools of 1, 2 and 4 local LibreTranslate server
  processes (from ``.venv-libretranslate``, scripts/setup-libretranslate.sh)
  with the same model, the pool fed by the pipeline's own engine.
* catalogs: a synthetic corpus of ``--articles`` and ten times as many articles
  (about 40 paragraphs each): ``segment`` from scratch, after 5 % of paragraphs
  were edited, 2 % removed and 2 % added, and a no-op re-run; the merge against
  GNU ``msgmerge --previous`` on the same catalogs; the no-op against starting
  Python and importing the pipeline's light dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def measure(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None,
            fork: bool = True) -> tuple[float, float]:
    """Median seconds of ``fn`` over ``runs`` runs (``setup`` before each, untimed) and the
    child's peak RSS in MiB.  ``fork=False`` measures in this process (after native thread
    pools have started, as CTranslate2's have, a forked child can deadlock); its RSS is then
    this process's peak so far."""
    if not fork:
        return statistics.median(_timed(fn, runs, setup)), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            os.write(write, json.dumps(_timed(fn, runs, setup)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    if not data:
        raise RuntimeError(f"measurement failed (status {status})")
    return statistics.median(json.loads(data)), usage.ru_maxrss / 1024


def interleaved(fns: dict[str, Callable[[], object]], runs: int,
                rounds: dict[str, list[float]] | None = None) -> dict[str, tuple[float, float]]:
    """Median wall seconds and median CPU seconds (this process, every thread) of each function,
    measured in turns (one run of each, then the next round), so that load from other jobs on a
    shared machine falls on all of them alike.  CPU time is what the work costs whatever else
    runs; wall time also shows how well the cores were kept busy."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name].append((time.perf_counter() - start, time.process_time() - cpu))
            if rounds is not None:
                rounds.setdefault(name, []).append(times[name][-1][0])
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in times.items()}


def spread(rounds: dict[str, list[float]], name: str, reference: str) -> str:
    """The lowest and highest per-round wall-time ratio of ``name`` to ``reference``: how much the
    shared machine moved the figure."""
    ratios = [a / b for a, b in zip(rounds[name], rounds[reference])]
    return f"rounds {min(ratios):.2f}–{max(ratios):.2f}x" if len(ratios) > 1 else "one round"


def peak_rss() -> float:
    """This process's peak RSS so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None) -> list[float]:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


class Table:
    """The rows measured in this run, each under the section (``--only`` part) that measured it."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.sections: dict[str, list[tuple[str, str, str, str, str]]] = {}
        self.section = ""

    def add(self, what: str, seconds: float, rss: float, reference: str = "", ratio: str = "") -> None:
        row = (what, f"{seconds:.3f} s", f"{rss:.0f} MiB" if rss else "–", reference, ratio)
        self.rows.append(row)
        self.sections.setdefault(self.section, []).append(row)
        print(f"  {what}: {seconds:.3f} s, {rss:.0f} MiB {reference} {ratio}", file=sys.stderr, flush=True)

    def markdown(self, rows: list[tuple[str, str, str, str, str]] | None = None) -> str:
        lines = ["| measurement | median | peak RSS | compared with | ratio |", "|---|---|---|---|---|"]
        lines += [f"| {' | '.join(row)} |" for row in (self.rows if rows is None else rows)]
        return "\n".join(lines)


START, END = "<!-- figures:start -->", "<!-- figures:end -->"
_SECTION = re.compile(r"^<!-- figures:section (\S+) -->$", re.M)
SECTION_ORDER = ("argos", "argos-tiny", "apertium", "libretranslate", "libretranslate-tiny", "catalogs", "huge")


def update_figures(path: Path, table: Table, command: str, machine: str) -> bool:
    """Replace, between the figures markers of ``path``, the sections this run measured with its
    own table; the sections it did not run stay as they were.  False when the file has no markers."""
    text = path.read_text(encoding="utf-8")
    start = re.search(f"^{re.escape(START)}$", text, re.M)  # on a line of its own: prose may quote it
    end = re.compile(f"^{re.escape(END)}$", re.M).search(text, start.end()) if start else None
    if start is None or end is None:
        return False
    head, block, tail = text[:start.start()], text[start.end():end.start()], text[end.end():]
    parts = _SECTION.split(block)
    kept = {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}
    day = time.strftime("%Y-%m-%d")
    for name, rows in table.sections.items():
        kept[name] = f"`{command}` ({day}; {machine}):\n\n{table.markdown(rows)}"
    order = [n for n in SECTION_ORDER if n in kept] + sorted(n for n in kept if n not in SECTION_ORDER)
    body = "".join(f"\n<!-- figures:section {name} -->\n{kept[name]}\n" for name in order)
    path.write_text(f"{head}{START}{body}{END}{tail}", encoding="utf-8")
    return True


def seed_paragraphs() -> list[str]:
    from pipeline.segment import segment
    from pipeline.sources import read_source

    texts = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        texts += [b.text for b in segment(read_source(path, path.name)).translatable()]
    return list(dict.fromkeys(texts))


def synthetic_paragraphs(count: int, rng: random.Random) -> list[str]:
    sentences = [s for text in seed_paragraphs() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]
    out = []
    for n in range(count):
        picked = rng.sample(sentences, rng.randint(1, 4))
        out.append(" ".join(picked) + f" ({n})")
    return out


# ------------------------------------------------------------------ argos


def argos_reference(home: Path, model_file: Path | None, tiny: bool) -> tuple[Path, str]:
    """The argos model to measure and its name in the table: a real one given with
    ``--argos-model``, the tiny test model with ``--tiny-argos``, else the production-shaped
    model of benchmarks/argosmodel.py (built once, cached)."""
    if model_file is not None:
        return model_file, model_file.name
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if tiny:
        from tinyargos import build_package

        return build_package(texts, home / "translate-en_es-1_0.argosmodel"), "tiny test model"
    import argosmodel

    return argosmodel.cached_package(texts), "production-shaped model"


def bench_argos(table: Table, runs: int, model_file: Path | None, synthetic: int, tiny: bool = False) -> None:
    """The engine against one raw ``translate_batch`` over the same sentences, and against
    argostranslate's own ``translate()`` per paragraph; with the output/input length ratio that
    says whether the reference model decodes as long as a real one."""
    import html

    home = Path(tempfile.mkdtemp(prefix="bench-argos-"))
    model_file, model_name = argos_reference(home, model_file, tiny)  # before XDG_CACHE_HOME moves
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    from pipeline.engines import draft
    from pipeline.engines.argos import BEAM_SIZE, MAX_BATCH_TOKENS, ArgosEngine
    from pipeline.models import install

    info = install(model_file)
    engine = ArgosEngine(info)
    engine._load()
    pkg, translator, sentencizer = engine._pkg, engine._translator, engine._sentencizer
    split = getattr(engine, "_split", None) or sentencizer.split_sentences
    batch_tokens = getattr(engine, "_batch_tokens", MAX_BATCH_TOKENS)  # what the engine chose for its device
    where = getattr(engine, "device", "") or "cpu"
    corpora = {"seeds": seed_paragraphs(), "synthetic": synthetic_paragraphs(synthetic, random.Random(1))}
    for name, texts in corpora.items():
        sentences = [s for t in texts for s in (split(t) or [t]) if s.strip()]
        tokens = [pkg.tokenizer.encode(s) for s in sentences]
        escaped = [html.escape(t, quote=False) for t in texts]
        lengths: list[tuple[int, int]] = []

        def raw() -> None:
            results = translator.translate_batch(tokens, replace_unknowns=True, max_batch_size=batch_tokens,
                                                 batch_type="tokens", beam_size=BEAM_SIZE, num_hypotheses=1,
                                                 length_penalty=0.2)
            lengths[:] = [(len(t), len(r.hypotheses[0])) for t, r in zip(tokens, results)]

        def engine_only() -> None:
            engine.translate(escaped)

        def ours() -> None:
            draft(engine, texts)

        def argos_default() -> None:
            from argostranslate import translate

            for text in texts:
                translate.translate(text, "en", "es")

        def split_only() -> None:
            for text in texts:
                split(text)

        argos_default()  # warm-up: loads argostranslate's own copy of the model
        engine_only()  # and the engine's first call, so neither pays for loading
        rounds: dict[str, list[float]] = {}
        median = interleaved({"raw": raw, "engine": engine_only, "draft": ours, "theirs": argos_default,
                              "split": split_only}, runs, rounds)
        floor, mine, drafted, theirs, splitting = (median[k][0] for k in ("raw", "engine", "draft", "theirs", "split"))
        cpu = {k: median[k][1] for k in median}
        floor_rss = mine_rss = drafted_rss = theirs_rss = split_rss = peak_rss()
        ins, outs = sum(i for i, _ in lengths), sum(o for _, o in lengths)
        per = sorted(o / i for i, o in lengths if i)
        label = f"argos, {model_name} on {where}, {name} ({len(texts)} paragraphs, {len(sentences)} sentences)"
        table.add(f"{label}: raw translate_batch", floor, floor_rss, "source tokens",
                  f"output {outs / max(ins, 1):.2f}x the input length ({outs:,} / {ins:,} tokens; per sentence "
                  f"{per[len(per) // 10]:.2f}–{per[len(per) * 9 // 10]:.2f}, 10th–90th percentile)")
        table.add(f"{label}: sentence splitting alone (argostranslate's MiniSBD)", splitting, split_rss,
                  "pipeline engine", f"{splitting / mine:.0%} of the engine's time")
        goal = "goal ≤ 1.05x" if model_name != "tiny test model" else "goal ≤ 1.05x on a production-shaped model"
        table.add(f"{label}: pipeline engine (ArgosEngine.translate)", mine, mine_rss, "raw translate_batch",
                  f"{mine / floor:.2f}x ({goal}; {spread(rounds, 'engine', 'raw')}); "
                  f"CPU time {cpu['engine'] / cpu['raw']:.2f}x")
        table.add(f"{label}: pipeline draft() (markup protected, output repaired)", drafted, drafted_rss,
                  "raw translate_batch", f"{drafted / floor:.2f}x ({spread(rounds, 'draft', 'raw')}); "
                  f"CPU time {cpu['draft'] / cpu['raw']:.2f}x")
        table.add(f"{label}: argostranslate translate() per paragraph", theirs, theirs_rss, "pipeline engine",
                  f"pipeline {theirs / mine:.1f}x faster (goal ≥ 5x); CPU time {cpu['theirs'] / cpu['engine']:.2f}x")


# ------------------------------------------------------------------ apertium


def bench_apertium(table: Table, runs: int, synthetic: int) -> None:
    from pipeline import markup
    from pipeline.engines import draft, tagged
    from pipeline.engines.apertium import ApertiumEngine

    engine = ApertiumEngine(("eng-spa",))
    corpora = {"seeds": seed_paragraphs(), "synthetic": synthetic_paragraphs(synthetic, random.Random(2))}
    for name, texts in corpora.items():
        document = "".join(f'<p id="s{i}">{tagged.to_tagged(markup.tokenize(t))}</p>\n' for i, t in enumerate(texts))

        def raw() -> None:
            subprocess.run(["apertium", "-u", "-f", "html", "eng-spa"], input=document, capture_output=True,
                           text=True, check=True)

        def ours() -> None:
            draft(engine, texts)

        median = interleaved({"raw": raw, "ours": ours}, runs)  # in turns: the machine may be shared
        (floor, _), (mine, _) = median["raw"], median["ours"]
        floor_rss = mine_rss = peak_rss()  # this process; apertium's own processes are not included
        table.add(f"apertium eng-spa, {name} ({len(texts)} paragraphs): one raw apertium call", floor, floor_rss)
        table.add(f"apertium eng-spa, {name}: pipeline", mine, mine_rss, "raw apertium",
                  f"{mine / floor:.2f}x (goal ≤ 1.3x)")


# ------------------------------------------------------------------ libretranslate


def bench_libretranslate(table: Table, runs: int, model_file: Path | None, paragraphs: int,
                         tiny: bool = False, counts: tuple[int, ...] = (1, 2, 4)) -> dict[int, float]:
    """Throughput of a pool of 1, 2 and 4 local LibreTranslate processes (tests/libreserver.py), fed
    by the pipeline's own engine, two requests in flight per server; paragraphs/s per pool size."""
    import libreserver
    from tinyargos import build_package

    from pipeline.config import LibreSettings
    from pipeline.engines import draft
    from pipeline.engines.libretranslate import LibreTranslateEngine

    home = Path(tempfile.mkdtemp(prefix="bench-libretranslate-"))
    model, model_name = argos_reference(home, model_file, tiny)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    libreserver.install_models(home, [model, build_package(texts, home / "translate-es_en-1_0.argosmodel",
                                                           "es", "en")])
    texts = synthetic_paragraphs(paragraphs, random.Random(3))
    # Enough requests that every server of the largest pool has two in flight to the end.
    batch = max(1, min(16, len(texts) // (4 * max(counts))))
    rates: dict[int, float] = {}
    for count in counts:
        with libreserver.servers(home, count) as urls:
            engine = LibreTranslateEngine(LibreSettings(urls=tuple(urls), concurrency=2 * count, batch=batch),
                                          "en", "es")
            engine.check_pair()
            draft(engine, texts[:batch])  # warm-up: each server loads its model on its first request
            seconds, rss = measure(lambda: draft(engine, texts), runs, fork=False)
        rates[count] = len(texts) / seconds
        label = (f"libretranslate, {model_name}, synthetic ({len(texts)} paragraphs, {batch} a request, "
                 f"2 requests in flight per server): {count} server process{'es' * (count > 1)}")
        if count == counts[0]:
            table.add(label, seconds, rss, "", f"{rates[count]:.1f} paragraphs/s")
        else:
            table.add(label, seconds, rss, f"{counts[0]} server", f"{rates[count] / rates[counts[0]]:.2f}x the "
                                                                  f"throughput ({rates[count]:.1f} paragraphs/s)")
    return rates


# ------------------------------------------------------------------ catalogs


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
        noop, noop_rss = _cli_time(base / "corpus", ["-q", "segment"], runs)
        start, start_rss = _cli_time(base / "corpus", None, runs)
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


def _one_edit(table: Table, folder: Path, config, size: int, runs: int) -> None:  # type: ignore[no-untyped-def]
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


def _export(table: Table, folder: Path, config, size: int, runs: int) -> None:  # type: ignore[no-untyped-def]
    """A fresh export of every book (folders and .epub, the web edition), a no-op one, and the floor:
    the same bytes written atomically with fsync."""
    from pipeline.fsutil import write_atomic
    from pipeline.stages.export import ExportOptions, export_project

    options = ExportOptions(epub=True, web=True)

    def fresh() -> None:
        shutil.rmtree(folder / "exports", ignore_errors=True)
        (config.cache_dir / "export-state.json").unlink(missing_ok=True)

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
    noop, noop_rss = _cli_time(folder, ["-q", "export", "--epub", "--web"], runs)
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


def _msgmerge(base: Path, config) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
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


def _single_catalog(table: Table, base: Path, config, runs: int) -> None:  # type: ignore[no-untyped-def]
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


# ------------------------------------------------------------------ a huge article


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
        segment, segment_rss = _cli_time(folder, ["-q", "segment"], runs, fresh=["i18n", ".cache"])
        export, export_rss = _cli_time(folder, ["-q", "export", "--epub", "--web"], runs,
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


_SPAWN = """
import json, os, resource, shutil, subprocess, sys, time
runs, fresh, command = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3:]
times = []
for _ in range(runs):
    for path in fresh:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.unlink(path)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    times.append(time.perf_counter() - start)
print(json.dumps([times, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def _cli_time(folder: Path, args: list[str] | None, runs: int, fresh: list[str] | None = None) -> tuple[float, float]:
    """Median wall time of a fresh process, and its peak RSS (measured from a small launcher so
    that this big benchmark process's memory does not count); ``fresh`` paths (relative to
    ``folder``) are removed before each run, untimed."""
    command = ([sys.executable, "-m", "pipeline", *args] if args else
               [sys.executable, "-c", "import click, jinja2, babel, markupsafe, pipeline.cli"])
    out = subprocess.run([sys.executable, "-c", _SPAWN, str(runs), json.dumps(fresh or []), *command], cwd=folder,
                         check=True, capture_output=True, text=True).stdout
    times, rss = json.loads(out)
    return statistics.median(times), rss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="argos,apertium,libretranslate,catalogs,huge")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000, help="the smaller corpus")
    parser.add_argument("--scale", type=int, default=10, help="the larger corpus is this many times larger")
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic paragraphs for the engines")
    parser.add_argument("--argos-synthetic", type=int, default=100,
                        help="synthetic paragraphs for argos (a production-shaped model is slow on 2 cores)")
    parser.add_argument("--libre-paragraphs", type=int, default=0,
                        help="paragraphs sent to LibreTranslate (default: 40, or --synthetic/4 with --tiny-argos)")
    parser.add_argument("--argos-model", type=Path, default=None, help="measure this real .argosmodel")
    parser.add_argument("--tiny-argos", action="store_true",
                        help="the tiny test model instead of the production-shaped one (argos, libretranslate)")
    parser.add_argument("--huge-mb", type=int, default=50, help="size of the huge article (--only huge)")
    parser.add_argument("--readme", action="store_true",
                        help="also write this run's sections into the figures blocks of README.md and "
                             "docs/benchmarks.md (between <!-- figures:start --> and <!-- figures:end -->)")
    args = parser.parse_args()
    table = Table()
    chosen = set(args.only.split(","))
    model = "" if args.argos_model is None else f"-{args.argos_model.stem}"
    model = "-tiny" if args.tiny_argos and not model else model
    if "apertium" in chosen:
        table.section = "apertium"
        bench_apertium(table, args.runs, args.synthetic)
    if "catalogs" in chosen:
        table.section = "catalogs"
        bench_catalogs(table, args.runs, args.articles, args.scale)
    if "huge" in chosen:
        table.section = "huge"
        bench_huge(table, args.runs, args.huge_mb)
    if "libretranslate" in chosen:
        table.section = f"libretranslate{model}"
        bench_libretranslate(table, args.runs, args.argos_model,
                             args.libre_paragraphs or (args.synthetic // 4 if args.tiny_argos else 40),
                             args.tiny_argos)
    if "argos" in chosen:
        table.section = f"argos{model}"
        bench_argos(table, args.runs, args.argos_model, args.argos_synthetic, args.tiny_argos)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    machine = f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"
    print(f"Machine: {machine}\n")
    print(table.markdown())
    if args.readme:
        command = " ".join(["benchmarks/run.py", *(a for a in sys.argv[1:] if a != "--readme")])
        for path in (ROOT / "README.md", ROOT / "docs" / "benchmarks.md"):
            if not update_figures(path, table, command, machine):
                print(f"{path}: no {START} … {END} block; left as it is", file=sys.stderr)


if __name__ == "__main__":
    main()
