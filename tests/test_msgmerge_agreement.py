"""``catalog.update`` against GNU ``msgmerge --previous`` on realistic edits of the seeds.

Every seed is segmented, its entries get distinct translations (some approved,
some drafts, some left empty), then its paragraphs are edited the way
correctors edit articles (a word swapped, a typo fixed, a sentence added, a
paragraph rewritten or cut) and shuffled, so matches must be found by
similarity, not position.  For each edited paragraph, both tools must pick the
same old translation, or both none.
"""

from __future__ import annotations

import random
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import SEEDS

from pipeline.catalog import new_translation, template, update
from pipeline.po import Catalog, Message, dumps, load_po
from pipeline.segment import segment
from pipeline.sources import SourceText

FILLER = ("solidarity", "workers", "government", "people", "today", "against", "strike", "union",
          "the", "of", "new", "report")


def _edit(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    op = rng.choice(("swap", "typo", "insert", "delete", "append", "rewrite", "truncate", "punct"))
    i = rng.randrange(len(words))
    if op == "swap":
        words[i] = rng.choice(FILLER)
    elif op == "typo":
        w = words[i]
        j = rng.randrange(len(w)) if w else 0
        words[i] = w[:j] + rng.choice("aeiourst") + w[j + 1:]
    elif op == "insert":
        words.insert(i, rng.choice(FILLER))
    elif op == "delete" and len(words) > 3:
        del words[i]
    elif op == "append":
        words += ["It", "was", "reported", "by", "several", "agencies", "on", "Monday."]
    elif op == "rewrite":
        words = [rng.choice(FILLER) if rng.random() < 0.6 else w for w in words]
    elif op == "truncate":
        words = words[: max(2, len(words) // 3)]
    else:
        words[-1] = words[-1].rstrip(".!?") + "!"
    return " ".join(words)


def _scenario(seed: Path, rng: random.Random) -> tuple[Catalog, Catalog, list[str]]:
    doc = segment(SourceText(seed.stem, f"seeds/{seed.name}", seed.read_text(encoding="utf-8")))
    pot = template(doc, "test", "en", "2026-01-01 00:00+0000")
    po = update(new_translation(pot, "es", "Spanish", "nplurals=2; plural=(n != 1);",
                                "2026-01-01 00:00+0000"), pot)
    messages = []
    for n, msg in enumerate(po.messages):
        roll = rng.random()
        if roll < 0.15:
            messages.append(msg)  # never translated: msgmerge ignores these as fuzzy sources
        else:
            flags = ("fuzzy",) if roll < 0.4 else ()
            messages.append(replace(msg, msgstr=f"T{n}: {msg.msgid[:40]}", flags=flags))
    old = replace(po, messages=tuple(messages))
    new_ids, edited = [], []
    for msg in pot.messages:
        roll = rng.random()
        if roll < 0.1:
            continue  # removed
        if roll < 0.55:
            changed = _edit(msg.msgid, rng)
            if changed != msg.msgid and changed not in new_ids:
                new_ids.append(changed)
                edited.append(changed)
                continue
        new_ids.append(msg.msgid)
    rng.shuffle(new_ids)
    new_pot = replace(pot, messages=tuple(Message(i) for i in dict.fromkeys(new_ids)))
    edited = [e for e in edited if e not in {m.msgid for m in old.messages}]
    return old, new_pot, edited


def agreement(tmp_path: Path, trials: int) -> tuple[int, int, list[str]]:
    same = total = 0
    mismatches = []
    for trial in range(trials):
        for seed in SEEDS:
            rng = random.Random(f"{trial}-{seed.name}")
            old, pot, edited = _scenario(seed, rng)
            old_path, pot_path, out = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "gnu.po"
            old_path.write_text(dumps(old), encoding="utf-8")
            pot_path.write_text(dumps(pot), encoding="utf-8")
            subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(old_path),
                            str(pot_path)], check=True)
            gnu = {m.msgid: m for m in load_po(out).active()}
            ours = {m.msgid: m for m in update(old, pot).active()}
            for msgid in edited:
                total += 1
                if (gnu[msgid].msgstr, gnu[msgid].fuzzy) == (ours[msgid].msgstr, ours[msgid].fuzzy):
                    same += 1
                else:
                    mismatches.append(f"{msgid[:50]!r}: gnu {gnu[msgid].msgstr[:20]!r} "
                                      f"ours {ours[msgid].msgstr[:20]!r}")
    return same, total, mismatches


@pytest.mark.slow
def test_same_fuzzy_matches_as_msgmerge_for_edited_paragraphs(tmp_path: Path) -> None:
    same, total, mismatches = agreement(tmp_path, trials=20)
    assert total >= 500
    assert same / total >= 0.95, "\n".join(mismatches)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_merge_is_byte_identical_on_second_run(seed: Path) -> None:
    old, pot, _ = _scenario(seed, random.Random(seed.name))
    once = update(old, pot)
    assert dumps(update(once, pot)) == dumps(once)


@pytest.mark.slow
def test_large_catalogs_shortlist_without_changing_the_matches() -> None:
    """Above a few hundred entries the search shortlists by shared words; it must find what an
    exhaustive search finds."""
    from rapidfuzz import fuzz, process

    from pipeline.catalog import FUZZY_THRESHOLD, _Nearest

    rng = random.Random(5)
    sentences = [s for p in SEEDS for s in p.read_text(encoding="utf-8").split(". ") if len(s) > 30]
    choices = list(dict.fromkeys(f"{' '.join(rng.sample(sentences, 2))} ({n})" for n in range(1500)))
    nearest = _Nearest(choices)
    assert nearest.index is not None
    same = 0
    queries = [_edit(rng.choice(choices), rng) for _ in range(300)]
    for query in queries:
        found = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None,
                                   score_cutoff=FUZZY_THRESHOLD * 100)
        same += nearest(query) == (None if found is None else found[2])
    assert same / len(queries) >= 0.97, same
    print(f"\nshortlist agrees with the exhaustive search on {same} of {len(queries)} queries")
