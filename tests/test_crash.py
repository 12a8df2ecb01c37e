"""kill -9 at random moments of real runs: catalogs stay parseable, approvals stay intact.

The sources flip between the published text and a corrected version (edited,
removed and added paragraphs) so that every ``segment`` really merges, and
each run is killed with SIGKILL after a random delay: during start-up, while
merging, while the engine works, or while catalogs are being written.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import approve, invoke, msgfmt_check

from pipeline.catalog import state
from pipeline.fsutil import is_temporary
from pipeline.po import dumps, load_po

TRIALS = 60
CORRECTIONS = [  # (document, published text, corrected text)
    ("002_a52b92a0a50288ae", "The Kremlin has become one of Caracas' key allies",
     "The Kremlin has become one of Caracas' closest allies"),
    ("001_848bedc52bb3e968", "Stop the imperialist aggression against Venezuela!",
     "Stop the imperialist aggression!"),
    ("003_70e39d520399d067", "\n\n", "\n\nA paragraph added by the corrector, about the strike.\n\n"),
]


def _version(root: Path, originals: dict[Path, str], corrected: bool) -> None:
    for doc, before, after in CORRECTIONS:
        path = root / "seeds" / f"{doc}.txt"
        text = originals[path]
        path.write_text(text.replace(before, after, 1) if corrected else text, encoding="utf-8")


def _approved(root: Path) -> dict[tuple[str, str], str]:
    found = {}
    for po in sorted((root / "i18n").glob("*/*.po")):
        for msg in load_po(po).messages:
            if state(msg) == "approved":
                found[(po.relative_to(root).as_posix(), msg.msgid)] = msg.msgstr
    return found


def _touched(msgid: str) -> bool:
    return any(before in msgid for _, before, _ in CORRECTIONS[:2])


def _verify(root: Path, approved: dict[tuple[str, str], str], settled: bool) -> None:
    """Parseable, and every approved translation present; unedited ones still approved."""
    for po in sorted((root / "i18n").glob("*/*.po")):
        catalog = load_po(po)  # raises on any damage
        assert msgfmt_check(po).returncode == 0, po
        name = po.relative_to(root).as_posix()
        texts = {m.msgstr for m in catalog.messages}
        current = {m.msgid: m for m in catalog.messages if not m.obsolete}
        for (where, msgid), msgstr in approved.items():
            if where != name:
                continue
            assert msgstr in texts, f"{name}: approved translation of {msgid[:40]!r} lost"
            if settled or not _touched(msgid):
                assert msgid in current and state(current[msgid]) == "approved", \
                    f"{name}: {msgid[:40]!r} lost its approval"


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_approved_work(project: Path) -> None:
    assert invoke("run").exit_code == 0
    rng = random.Random(20261121)
    for po in sorted((project / "i18n").glob("*/*.po")):
        for msg in rng.sample(load_po(po).active(), 4):
            approve(po, msg.msgid)
    for _, text, _ in CORRECTIONS[:2]:
        for po in sorted((project / "i18n").glob("*/*.po")):
            approve(po, text)
    approved = _approved(project)
    assert len(approved) >= 60
    originals = {p: p.read_text(encoding="utf-8") for p in (project / "seeds").glob("*.txt")}

    killed_running = kills = 0
    durations: dict[str, float] = {}
    for trial in range(TRIALS):
        corrected = trial % 2 == 0
        _version(project, originals, corrected)
        command = rng.choice((["segment"], ["translate"], ["run"], ["run", "--refresh-stale"]))
        if command == ["translate"]:  # give the engine work: forget some unreviewed drafts
            for po in rng.sample(sorted((project / "i18n").glob("*/*.po")), 4):
                catalog = load_po(po)
                po.write_text(dumps(replace(catalog, messages=tuple(
                    replace(m, msgstr="", flags=(), translator_comments=()) if state(m) == "draft" else m
                    for m in catalog.messages))), encoding="utf-8")
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", *command], cwd=project,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if command[0] not in durations:  # learn how long this command takes here: no kill
            proc.wait()
            durations[command[0]] = time.monotonic() - started
            continue
        kills += 1
        try:
            proc.wait(timeout=rng.uniform(0.0, durations[command[0]]))  # the moment of the kill
        except subprocess.TimeoutExpired:
            killed_running += 1
        else:  # it ended first: the machine got faster (a shared one does), so learn again how long it takes
            durations[command[0]] = time.monotonic() - started
        proc.send_signal(signal.SIGKILL)  # a no-op if it already finished
        proc.wait()
        _verify(project, approved, settled=False)
    assert killed_running >= kills // 2, f"only {killed_running} of {kills} kills landed during a run"

    _version(project, originals, corrected=False)
    result = invoke("run")
    assert result.exit_code == 0, result.output
    _verify(project, approved, settled=True)
    assert not list(project.glob("**/.*.tmp")), "leftover temporary files survived the next run"
    print(f"\n{kills} SIGKILL trials, {killed_running} during a run: every catalog intact")


def _books(root: Path) -> dict[str, dict[str, bytes]]:
    """Each exported book (folder or .epub) as its files' bytes."""
    found: dict[str, dict[str, bytes]] = {}
    for lang in sorted((root / "exports").iterdir()):
        if not lang.is_dir():
            continue
        for item in sorted(lang.iterdir()):
            if is_temporary(item.name):
                continue  # a killed run's staging folder: never published, swept by the next run
            name = item.relative_to(root).as_posix()
            if item.is_dir():
                found[name] = {p.relative_to(item).as_posix(): p.read_bytes()
                               for p in sorted(item.rglob("*")) if p.is_file()}
            elif item.suffix == ".epub":
                found[name] = {"": item.read_bytes()}
    return found


@pytest.mark.slow
def test_sigkill_during_export_leaves_every_book_old_or_new(project: Path) -> None:
    """Books are staged and swapped in whole: a kill at any moment never leaves a mix of versions."""
    assert invoke("run", "--epub").exit_code == 0
    catalogs = sorted((project / "i18n").glob("es/*.po"))
    before = {po: po.read_bytes() for po in catalogs}
    old = _books(project)
    for po in catalogs:
        for msg in load_po(po).active()[:3]:
            approve(po, msg.msgid, f"[aprobado] {msg.msgid[:30]}")
    after = {po: po.read_bytes() for po in catalogs}
    assert invoke("export", "--epub").exit_code == 0
    new = _books(project)
    changed = [name for name in new if new[name] != old.get(name)]
    assert len(changed) >= 10, changed
    rng = random.Random(20261201)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "-q", "export", "--epub"], cwd=project, check=True)
    duration = max(time.monotonic() - started, 0.5)
    kills = landed = 0
    for trial in range(30):
        for po in catalogs:
            po.write_bytes((before if trial % 2 else after)[po])
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "export", "--epub"], cwd=project,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kills += 1
        try:
            proc.wait(timeout=rng.uniform(0.2 * duration, duration))  # the moment of the kill
        except subprocess.TimeoutExpired:
            landed += 1
        else:  # it ended first: the machine got faster, so learn again how long an export takes
            duration = max(time.monotonic() - started, 0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, files in _books(project).items():
            assert files in (old.get(name), new.get(name)), f"trial {trial}: {name} mixes old and new files"
    assert landed >= kills // 2, f"only {landed} of {kills} kills landed during an export"
    assert invoke("export", "--epub").exit_code == 0
    assert not [p for p in project.rglob("*") if ".pipeline-" in p.name], "staging left after the next run"
    print(f"\n{kills} SIGKILL trials during export, {landed} mid-export: every book old or new")
