"""A real reviewer round trip: Poedit under Xvfb, driven with xdotool.

The reviewer opens a catalog the pipeline wrote, finds one paragraph with
Poedit's own search (never by row position), clears "Needs work" (Ctrl+U),
saves (Ctrl+S) and quits (Ctrl+Q).  The save must change only the header lines
Poedit owns and that entry's flag; the pipeline must then publish the
paragraph and never touch the reviewer's file again.

Set ``POEDIT_SCREENSHOT=path.png`` to keep a screenshot of Poedit showing the
drafts (needs ImageMagick's ``import``); the README's picture is made that way.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import invoke, msgfmt_check

from pipeline.catalog import state
from pipeline.po import load_po

DOC = "002_a52b92a0a50288ae"
NEEDLE = "Kremlin has become one of"
TOOLS = ("poedit", "Xvfb", "xdotool")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                 reason="needs poedit, xvfb and xdotool (scripts/setup.sh installs them)")]


@pytest.fixture()
def display(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private X server and a private home, so Poedit starts with known preferences."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten",
                               "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    home = tmp_path / "home"
    config = home / ".config" / "poedit"
    config.mkdir(parents=True)
    (config / "config").write_text(
        "translator_name=Ana Revisora\ntranslator_email=ana@example.org\nenable_spellchecking=0\n"
        "[windows]\n[windows/mainwin]\nw=1280\nh=800\nmaximized=1\n", encoding="utf-8")
    env = {**os.environ, "DISPLAY": f":{number}", "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
           "NO_AT_BRIDGE": "1"}
    try:
        yield env
    finally:
        server.kill()
        server.wait()


def _xdotool(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30,
                          check=True).stdout


def _wait_for_window(env: dict[str, str], name: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env,
                               capture_output=True, text=True).stdout.split()
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no window named {name!r} appeared")


def _visible_windows(env: dict[str, str]) -> list[str]:
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], env=env,
                         capture_output=True, text=True).stdout.split()
    return [_xdotool(env, "getwindowname", i).strip() for i in ids]


def test_reviewer_approves_an_entry_in_poedit(project: Path, display: dict[str, str]) -> None:
    assert invoke("run", "-l", "es").exit_code == 0
    po = project / "i18n" / "es" / f"{DOC}.po"
    before = po.read_text(encoding="utf-8")
    target = next(m for m in load_po(po).messages if NEEDLE in m.msgid)
    assert state(target) == "draft" and sum(NEEDLE in m.msgid for m in load_po(po).messages) == 1

    poedit = subprocess.Popen(["poedit", str(po)], env=display, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        window = _wait_for_window(display, f"{DOC}.po")
        time.sleep(2)
        windows = _visible_windows(display)
        assert [w for w in windows if w.startswith(f"{DOC}.po")] and not [
            w for w in windows if re.search(r"warning|error|problem", w, re.I)], windows
        if os.environ.get("POEDIT_SCREENSHOT") and shutil.which("import"):
            subprocess.run(["import", "-window", "root", "-crop", "1280x720+0+0",
                            os.environ["POEDIT_SCREENSHOT"]], env=display, check=True)
        _xdotool(display, "key", "--window", window, "ctrl+f")
        time.sleep(0.5)
        _xdotool(display, "type", "--delay", "30", NEEDLE)
        _xdotool(display, "key", "Return")
        time.sleep(0.5)
        _xdotool(display, "key", "Escape")
        time.sleep(0.3)
        _xdotool(display, "key", "ctrl+u")
        time.sleep(0.5)
        _xdotool(display, "key", "ctrl+s")
        deadline = time.monotonic() + 30
        while po.read_text(encoding="utf-8") == before and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        _xdotool(display, "key", "ctrl+q")
        poedit.wait(timeout=30)
    finally:
        if poedit.poll() is None:
            poedit.kill()
            poedit.wait()

    saved = po.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), saved.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    removed = sorted(line[1:] for line in changed if line.startswith("-"))
    added = sorted(line[1:] for line in changed if line.startswith("+"))
    header = ("PO-Revision-Date:", "Last-Translator:", "X-Generator:", "Language-Team:")
    assert "#, fuzzy" in removed, "Ctrl+U did not clear Needs work"
    assert all(line == "#, fuzzy" or line.startswith(tuple(f'"{h}' for h in header)) for line in removed), changed
    assert all(line.startswith(tuple(f'"{h}' for h in header)) for line in added), changed
    assert removed.count("#, fuzzy") == 1

    approved = [m for m in load_po(po).messages if state(m) == "approved"]
    assert [m.msgid for m in approved] == [target.msgid] and approved[0].msgstr == target.msgstr
    assert "Ana Revisora <ana@example.org>" in load_po(po).header_value("Last-Translator")
    assert msgfmt_check(po).returncode == 0

    reviewed = po.read_bytes()
    assert invoke("export", "-l", "es").exit_code == 0
    page = (project / "exports" / "es" / DOC / "OEBPS" / "content.xhtml").read_text(encoding="utf-8")
    first_words = target.msgstr.split(" ")[:5]
    assert " ".join(first_words) in page
    # the reviewer is credited by the name Poedit saved; the address it saved is in no output
    assert '<p class="translators">Traducción: Ana Revisora</p>' in page
    assert all(b"ana@example.org" not in p.read_bytes() for p in (project / "exports").rglob("*") if p.is_file())
    assert invoke("segment", "-l", "es").exit_code == 0
    assert invoke("translate", "-l", "es").exit_code == 0
    assert po.read_bytes() == reviewed
