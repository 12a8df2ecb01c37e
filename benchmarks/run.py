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
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

# The benchmarks beside this file, importable however it was started (the lines above).
from catalogs import bench_catalogs  # noqa: E402
from figures import END, START, Table, update_figures  # noqa: E402
from huge import bench_huge  # noqa: E402
from mtbench import bench_apertium, bench_argos, bench_libretranslate  # noqa: E402


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
