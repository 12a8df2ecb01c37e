"""How ``pipeline status`` shows catalogs: the table, ``--json`` and the reviewer's queue.

Pure formatting of ``StatusRow`` values, kept apart from the command so the
command module stays small; nothing here reads files or prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .counts import Counts
from .stages.status import ArticleLanguage, StatusRow

_COLUMNS = ("approved", "drafts", "stale", "untranslated")
_TITLE_WIDTH = 60


def _total(rows: Sequence[StatusRow]) -> Counts:
    total = Counts()
    for row in rows:
        total = total + row.counts
    return total


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def table(rows: Sequence[StatusRow]) -> str:
    """One line per catalog (path, counts, title); a broken catalog's line carries its error."""
    path_width = max([len("catalog"), len("total"), *(len(r.path) for r in rows)])
    head = (f"{'catalog':<{path_width}} {'lang':<5}" + "".join(f" {c:>13}" for c in _COLUMNS)
            + f" {'done':>6}  title")
    lines = [head, "-" * len(head)]

    def line(name: str, lang: str, c: Counts, title: str = "") -> str:
        cells = ((c.approved, c.approved_words), (c.drafts, c.draft_words), (c.stale, c.stale_words),
                 (c.untranslated, c.untranslated_words))
        done = f"{c.percent:>5.1f}%" if c.total_words else "   n/a"  # nothing counted is not 100%
        text = (f"{name:<{path_width}} {lang:<5}" + "".join(f" {f'{n} ({w}w)':>13}" for n, w in cells)
                + f" {done}")
        return f"{text}  {_short(title, _TITLE_WIDTH)}".rstrip()

    for row in rows:
        if row.missing:
            lines.append(line(row.path, row.lang, row.counts, "(no catalog yet) " + row.title))
        elif row.error:
            lines.append(f"{row.path:<{path_width}} {row.lang:<5} not readable: {row.error}")
        else:
            lines.append(line(row.path, row.lang, row.counts,
                              ("(source removed) " if row.withdrawn else "") + row.title))
    total = _total(rows)
    lines += ["-" * len(head), line("total", "", total)]
    translated, fuzzy, untranslated = total.msgfmt
    lines.append(f"msgfmt --statistics: {translated} translated, {fuzzy} fuzzy, "
                 f"{untranslated} untranslated messages")
    broken = sum(bool(r.error) and not r.missing for r in rows)
    if broken:
        lines.append(f"{broken} catalog(s) could not be read and are not counted")
    missing = sum(r.missing for r in rows)
    if missing:
        lines.append(f"{missing} catalog(s) not created yet; their entries count as untranslated")
    return "\n".join(lines)


def _counts(c: Counts) -> dict[str, object]:
    translated, fuzzy, untranslated = c.msgfmt
    return {"approved": c.approved, "drafts": c.drafts, "stale": c.stale,
            "untranslated": c.untranslated, "approved_words": c.approved_words,
            "draft_words": c.draft_words, "stale_words": c.stale_words,
            "untranslated_words": c.untranslated_words, "total": c.total,
            "total_words": c.total_words, "percent": round(c.percent, 1) if c.total_words else None,
            "msgfmt": {"translated": translated, "fuzzy": fuzzy, "untranslated": untranslated}}


def _row(row: StatusRow) -> dict[str, object]:
    base: dict[str, object] = {"document": row.doc, "language": row.lang, "title": row.title,
                               "catalog": row.path}
    if row.missing:
        return {**base, "missing": True, "error": row.error, **_counts(row.counts)}
    if row.error:
        return {**base, "error": row.error}
    return {**base, "revised": row.revised, "source_removed": row.withdrawn, **_counts(row.counts)}


def as_json(rows: Sequence[StatusRow], articles: Sequence[ArticleLanguage] = ()) -> str:
    data = {"documents": [_row(r) for r in rows], "total": _counts(_total(rows)),
            "unreadable": sum(bool(r.error) and not r.missing for r in rows),
            "missing": sum(r.missing for r in rows),
            "articles": [{"document": a.doc, "language": a.lang, "decided": a.how, "confidence": a.confidence}
                         for a in articles]}
    return json.dumps(data, indent=2, ensure_ascii=False)


def languages(articles: Sequence[ArticleLanguage]) -> str:
    """The languages the articles are written in, and how sure the pipeline is of each.

    ``articles in: en 4 (identified, 100%), es 1 (declared)``; an article whose
    text was too short or unclear to tell gets a line of its own saying what to do.
    """
    if not articles:
        return ""
    groups: dict[tuple[str, str], list[ArticleLanguage]] = {}
    for article in articles:
        groups.setdefault((article.lang, article.how if article.how != "default" else "default"), []).append(article)
    parts = []
    for (lang, how), found in groups.items():
        sure = [a.confidence for a in found if a.confidence is not None and how == "identified"]
        detail = f"{how}, {min(sure):.0%}" if sure else how
        parts.append(f"{lang} {len(found)}" + (f" ({detail})" if detail else ""))
    lines = ["articles in: " + ", ".join(parts)]
    for article in articles:
        if article.how == "default":
            unsure = f", {article.confidence:.0%} sure" if article.confidence is not None else ""
            lines.append(f"  {article.doc}: taken to be in {article.lang}, the source language: its text is too short "
                         f"or unclear to tell{unsure} (declare it: 'lang:' in its front matter or sidecar)")
    return "\n".join(lines)


def waiting(rows: Sequence[StatusRow]) -> list[StatusRow]:
    """Catalogs with entries to review (drafts or stale), oldest first, then largest first.

    Age is the catalog's ``PO-Revision-Date`` (ISO-like, so it sorts as text);
    size is the number of words waiting.
    """
    todo = [r for r in rows if not r.error and (r.counts.drafts or r.counts.stale)]
    return sorted(todo, key=lambda r: (r.revised, -(r.counts.draft_words + r.counts.stale_words), r.path))


def reviewer(rows: Sequence[StatusRow]) -> str:
    """The review queue as lines a reviewer can act on: which file to open, and why."""
    todo = waiting(rows)
    if not todo:
        return "nothing waits for review"
    lines = [f"{len(todo)} catalog(s) wait for review, oldest and largest first:"]
    for r in todo:
        c = r.counts
        words = c.draft_words + c.stale_words
        lines.append(f"{r.path}  {r.lang}  {c.drafts} draft(s), {c.stale} stale, {words} words"
                     f"  since {r.revised or 'unknown'}  {_short(r.title, _TITLE_WIDTH)}".rstrip())
    return "\n".join(lines)


def reviewer_json(rows: Sequence[StatusRow]) -> str:
    return json.dumps({"waiting": [{"catalog": r.path, "language": r.lang, "document": r.doc,
                                    "title": r.title, "revised": r.revised, "drafts": r.counts.drafts,
                                    "stale": r.counts.stale,
                                    "words": r.counts.draft_words + r.counts.stale_words}
                                   for r in waiting(rows)]}, indent=2, ensure_ascii=False)
