"""Real catalogs (pinned wheels from PyPI, see gettext_corpus.py), each checked three ways.

1. The reader refuses a file exactly when ``msgfmt -c --use-fuzzy`` does, apart from
   the documented stricter rules (docs/catalogs.md), recognised by their message.
2. The writer's bytes equal ``msgcat --force-po --width=79``'s for every file read.
3. No entry is lost or altered compared with polib, an independent parser (its reading of
   each file cached, like gettext's answers, by the file's SHA-256).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gettext_corpus import CACHE, Entry, Verdict, entries_digest, fetch, polib_digests, polib_entries, verdicts
from helpers import STRICTER

from pipeline.errors import CatalogError
from pipeline.po import Catalog, Message, dumps, loads_po

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, Path, Verdict, Catalog | CatalogError]]:
    try:
        files = fetch()
    except OSError as exc:
        pytest.skip(f"corpus not downloadable (offline?): {exc}")
    answers = verdicts([p for _, p in files])
    out: list[tuple[str, Path, Verdict, Catalog | CatalogError]] = []
    for project, path in files:
        try:
            result: Catalog | CatalogError = loads_po(path.read_bytes(), path)
        except CatalogError as exc:
            result = exc
        out.append((project, path, answers[path], result))
    return out


def test_corpus_is_large_and_varied(corpus: list[tuple[str, Path, Verdict, Catalog | CatalogError]]) -> None:
    assert len(corpus) >= 1000
    assert len({project for project, *_ in corpus}) >= 5


def test_reader_refuses_exactly_what_msgfmt_refuses(
        corpus: list[tuple[str, Path, Verdict, Catalog | CatalogError]]) -> None:
    disagree = []
    for _, path, verdict, result in corpus:
        refused = isinstance(result, CatalogError)
        if refused == (not verdict.msgfmt_ok):
            if refused:
                assert isinstance(result, CatalogError) and result.lineno, path
            continue
        if refused and any(rule in str(result) for rule in STRICTER):
            continue
        disagree.append(f"{path.relative_to(CACHE)}: {result if refused else verdict.msgfmt_error[:300]}")
    assert not disagree, "\n".join(disagree[:20])


def test_writer_gives_msgcat_bytes(corpus: list[tuple[str, Path, Verdict, Catalog | CatalogError]]) -> None:
    differ = [str(path.relative_to(CACHE)) for _, path, verdict, result in corpus
              if isinstance(result, Catalog) and verdict.msgcat is not None
              and dumps(result).encode("utf-8") != verdict.msgcat]
    checked = sum(isinstance(r, Catalog) and v.msgcat is not None for *_, v, r in corpus)
    assert checked >= 1000
    assert not differ, differ[:20]


def _ours(msg: Message) -> Entry:
    forms = msg.msgstr_plural if msg.plural else (msg.msgstr,)
    return (msg.msgctxt, msg.msgid, msg.msgid_plural, tuple(forms), bool(msg.obsolete), bool(msg.fuzzy))


def test_no_entry_lost_or_altered(corpus: list[tuple[str, Path, Verdict, Catalog | CatalogError]]) -> None:
    """polib's reading of each file (``polib_entries``; its digest cached by the file's bytes) equals ours."""
    plain = [(path, result) for _, path, _verdict, result in corpus if isinstance(result, Catalog)
             and b"\\" not in path.read_bytes().replace(b"\\\\", b"").replace(b'\\"', b"").replace(b"\\n", b"")
             .replace(b"\\t", b"")]  # polib does not read octal/hex escapes as bytes: only plain files are compared
    theirs = polib_digests([path for path, _ in plain])
    altered = []
    compared = 0
    for path, result in plain:
        if theirs[path] is None:
            continue  # polib cannot read some files gettext reads (#.Default: without a space)
        ours = [_ours(m) for m in result.messages]
        compared += 1
        if entries_digest(ours) != theirs[path]:
            fresh = polib_entries(path) or []
            first = next((pair for pair in zip(sorted(ours, key=repr), sorted(fresh, key=repr)) if pair[0] != pair[1]),
                         (len(ours), len(fresh)))
            altered.append(f"{path.relative_to(CACHE)}: ours, polib's: {first}")
    assert compared >= 1000
    assert not altered, "\n".join(altered[:20])
