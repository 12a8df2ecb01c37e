"""What every benchmark shares: medians of timed runs, peak RSS, runs in a fresh process, and
the seed texts the corpora are made from."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def cli_time(folder: Path, args: list[str] | None, runs: int, fresh: list[str] | None = None) -> tuple[float, float]:
    """Median wall time of a fresh process, and its peak RSS (measured from a small launcher so
    that this big benchmark process's memory does not count); ``fresh`` paths (relative to
    ``folder``) are removed before each run, untimed."""
    command = ([sys.executable, "-m", "pipeline", *args] if args else
               [sys.executable, "-c", "import click, jinja2, babel, markupsafe, pipeline.cli"])
    out = subprocess.run([sys.executable, "-c", _SPAWN, str(runs), json.dumps(fresh or []), *command], cwd=folder,
                         check=True, capture_output=True, text=True).stdout
    times, rss = json.loads(out)
    return statistics.median(times), rss / 1024
