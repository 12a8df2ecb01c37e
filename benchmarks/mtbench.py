"""The machine-translation engines against their references: argos (raw ``translate_batch`` and
argostranslate's own ``translate()``), apertium (one raw ``apertium`` call) and pools of local
LibreTranslate servers."""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from figures import Table
from measuring import ROOT, interleaved, measure, peak_rss, seed_paragraphs, spread, synthetic_paragraphs

if TYPE_CHECKING:
    from pipeline.engines.argos import ArgosEngine


def argos_reference(home: Path, model_file: Path | None, tiny: bool) -> tuple[Path, str]:
    """The argos model to measure and its name in the table: a real one given with
    ``--argos-model``, the tiny test model with ``--tiny-argos``, else the production-shaped
    model of benchmarks/argosmodel.py (built once, cached)."""
    if model_file is not None:
        return model_file, model_file.name
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if tiny:
        # tests/ (tinyargos, libreserver) is on sys.path at run time (run.py), not to mypy.
        from tinyargos import build_package  # type: ignore[import-not-found]

        return build_package(texts, home / "translate-en_es-1_0.argosmodel"), "tiny test model"
    import argosmodel

    return argosmodel.cached_package(texts), "production-shaped model"


def _argos_engine(model_file: Path | None, tiny: bool) -> tuple[ArgosEngine, str]:
    """The engine, loaded, on the model to measure, and the model's name; argostranslate's folders
    are moved into a fresh home first, so that neither it nor the engine sees the user's packages."""
    home = Path(tempfile.mkdtemp(prefix="bench-argos-"))
    model_file, model_name = argos_reference(home, model_file, tiny)  # before XDG_CACHE_HOME moves
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    from pipeline.engines.argos import ArgosEngine
    from pipeline.models import install

    info = install(model_file)
    engine = ArgosEngine(info)
    engine._load()
    return engine, model_name


def bench_argos(table: Table, runs: int, model_file: Path | None, synthetic: int, tiny: bool = False) -> None:
    """The engine against one raw ``translate_batch`` over the same sentences, and against
    argostranslate's own ``translate()`` per paragraph; with the output/input length ratio that
    says whether the reference model decodes as long as a real one."""
    import html

    engine, model_name = _argos_engine(model_file, tiny)
    from pipeline.engines import draft
    from pipeline.engines.argos import BEAM_SIZE, MAX_BATCH_TOKENS

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
        label = f"argos, {model_name} on {where}, {name} ({len(texts)} paragraphs, {len(sentences)} sentences)"
        _argos_rows(table, label, model_name, median, rounds, lengths)


def _argos_rows(table: Table, label: str, model_name: str, median: dict[str, tuple[float, float]],
                rounds: dict[str, list[float]], lengths: list[tuple[int, int]]) -> None:
    """The rows of one corpus: each contender against the one it should be compared with."""
    floor, mine, drafted, theirs, splitting = (median[k][0] for k in ("raw", "engine", "draft", "theirs", "split"))
    cpu = {k: median[k][1] for k in median}
    floor_rss = mine_rss = drafted_rss = theirs_rss = split_rss = peak_rss()
    ins, outs = sum(i for i, _ in lengths), sum(o for _, o in lengths)
    per = sorted(o / i for i, o in lengths if i)
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
    import libreserver  # type: ignore[import-not-found]
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
