"""The table of one run's figures, and where ``--readme`` writes it: the figures blocks of README.md
and docs/benchmarks.md, one section per ``--only`` part."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path


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
