"""Injected errors (tests/qa_corpus/injected.csv), each labelled with the check that must catch it.

Every row holds a source, a correct translation and the same translation with
one error an engine or a reviewer really makes.  Our checks must catch every
error with the labelled check and say nothing at all about the correct
translation; Translate Toolkit's real ``pofilter`` runs on the same entries
for comparison (an error counts as caught by pofilter when it reports a test
on the broken entry that it does not report on the correct one).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from helpers import ROOT

from pipeline.checks import CHECKS, check_text
from pipeline.po import Catalog, Message, dumps

CORPUS = ROOT / "tests" / "qa_corpus" / "injected.csv"
ROWS = list(csv.DictReader(CORPUS.open(encoding="utf-8", newline="")))
NEW_CHECKS = ("doubled-words", "placeholders", "acronyms", "empty-link", "span-content",
              "inverted-punctuation", "names")
POFILTER_CAUGHT = 21  # measured: pofilter 3.20 catches 21 of the 45 injected errors
POFILTER_NOISY = 7  # correct translations on which pofilter reports something


def test_the_corpus_is_large_labelled_and_spread_over_languages() -> None:
    assert len(ROWS) >= 40
    assert {row["lang"] for row in ROWS} == {"es", "pt", "fr"}
    per_check = Counter(row["check"] for row in ROWS)
    assert set(per_check) == set(NEW_CHECKS) and min(per_check.values()) >= 6
    assert {c.name for c in CHECKS} >= set(NEW_CHECKS)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['check']}-{r['lang']}-{i}" for i, r in enumerate(ROWS)])
def test_the_labelled_check_catches_the_error_and_nothing_fires_on_the_correct_text(row: dict[str, str]) -> None:
    broken = {check.name for check, _ in check_text(row["source"], row["broken"], row["lang"])}
    assert row["check"] in broken, (row, broken)
    assert check_text(row["source"], row["clean"], row["lang"]) == [], row


def _pofilter_tests(rows: list[tuple[int, dict[str, str]]], lang: str, field: str, tmp: Path) -> dict[int, set[str]]:
    """Which pofilter tests fail, by row number, on one language's entries."""
    header = (("Content-Type", "text/plain; charset=UTF-8"), ("Language", lang))
    catalog = Catalog(header=header, messages=tuple(
        Message(row["source"], row[field], msgctxt=str(number)) for number, row in rows))
    source, output = tmp / f"{lang}-{field}.po", tmp / f"{lang}-{field}.out.po"
    source.write_text(dumps(catalog), encoding="utf-8")
    pofilter = Path(sys.executable).with_name("pofilter")
    subprocess.run([str(pofilter), "--progress=none", f"--language={lang}", str(source), str(output)],
                   check=True, capture_output=True)
    failed: dict[int, set[str]] = defaultdict(set)
    tests: set[str] = set()
    text = output.read_text(encoding="utf-8") if output.exists() else ""  # no file: nothing failed
    for line in text.splitlines():
        found = re.match(r"# \(pofilter\) ([\w-]+):", line)
        if found:
            tests.add(found.group(1))
        elif line.startswith("msgctxt "):
            failed[int(line.split('"')[1])] |= tests
            tests = set()
    return failed


@pytest.mark.slow
@pytest.mark.slow
def test_pofilter_catch_rate_beside_ours(tmp_path: Path) -> None:
    by_lang: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, row in enumerate(ROWS):
        by_lang[row["lang"]].append((number, row))
    caught, noisy = [], 0
    for lang, rows in sorted(by_lang.items()):
        clean = _pofilter_tests(rows, lang, "clean", tmp_path)
        broken = _pofilter_tests(rows, lang, "broken", tmp_path)
        caught += [ROWS[n]["check"] for n, _ in rows if broken.get(n, set()) - clean.get(n, set())]
        noisy += sum(bool(tests) for tests in clean.values())
    ours = sum(row["check"] in {c.name for c, _ in check_text(row["source"], row["broken"], row["lang"])}
               for row in ROWS)
    print(f"\ninjected errors caught: ours {ours}/{len(ROWS)}, pofilter {len(caught)}/{len(ROWS)}; "
          f"pofilter per check: {dict(sorted(Counter(caught).items()))}; pofilter on the correct "
          f"translations: {noisy} flagged")
    assert ours == len(ROWS)
    assert (len(caught), noisy) == (POFILTER_CAUGHT, POFILTER_NOISY)
