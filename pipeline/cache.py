"""Drafts remembered by engine, model, language pair and exact input text.

One JSON Lines file per engine, model and pair under the cache folder
(``.cache/pipeline/drafts/`` by default), one ``{"input": ..., "draft": ...}``
object per line: readable with any editor or ``jq``, safe to delete at any
time (the next run asks the engine again).  Files are rewritten atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .fsutil import write_if_changed


class DraftCache:
    def __init__(self, folder: Path, engine: str, source: str, target: str) -> None:
        slug = re.sub(r"[^A-Za-z0-9._+-]+", "_", f"{engine}.{source}-{target}")
        self.path = folder / "drafts" / f"{slug}.jsonl"
        self.entries: dict[str, str] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            lines = []
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a damaged line costs one engine call, nothing more
            if isinstance(item, dict) and isinstance(item.get("input"), str) and isinstance(item.get("draft"), str):
                self.entries[item["input"]] = item["draft"]
        self.hits = 0
        self.added = 0

    def get(self, text: str) -> str | None:
        found = self.entries.get(text)
        if found is not None:
            self.hits += 1
        return found

    def put(self, text: str, draft: str) -> None:
        self.entries[text] = draft
        self.added += 1

    def save(self) -> None:
        lines = (json.dumps({"input": k, "draft": v}, ensure_ascii=False) for k, v in sorted(self.entries.items()))
        write_if_changed(self.path, ("\n".join(lines) + "\n").encode("utf-8"))
