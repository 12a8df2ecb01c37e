"""Mutation differential test: real catalogs, broken on purpose, read by us and by msgfmt -c.

Catalogs from the corpus (gettext_corpus.py) are mutated the way files get broken
in the wild: entries duplicated, made obsolete beside their active twin, reordered,
truncated, re-flagged, re-escaped, lines dropped, newlines and format arguments
changed, headers damaged.  Whenever ``msgfmt -c --use-fuzzy`` refuses a mutant the
reader refuses it too, with file and line; whenever msgfmt accepts it the reader
accepts it, apart from the documented stricter rules.  A few go through the real
CLI, which must leave them byte for byte as they were.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from gettext_corpus import fetch, msgfmt_accepts
from helpers import STRICTER, invoke

from pipeline.errors import CatalogError
from pipeline.po import loads_po

pytestmark = pytest.mark.slow
MUTANTS_PER_CATALOG = 12
CATALOGS = 120

Mutator = Callable[[list[str], random.Random], list[str]]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _join(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += block + [""]
    return out


def duplicate(lines: list[str], rng: random.Random) -> list[str]:
    blocks = _blocks(lines)
    blocks.insert(rng.randrange(1, len(blocks) + 1), list(rng.choice(blocks[1:] or blocks)))
    return _join(blocks)


def obsolete_twin(lines: list[str], rng: random.Random) -> list[str]:
    blocks = _blocks(lines)
    twin = ["#~ " + line for line in rng.choice(blocks[1:] or blocks) if not line.startswith("#")]
    return _join(blocks + [twin])


def half_obsolete(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.startswith(("msgid ", "msgstr", "msgctxt"))]
    i = rng.choice(keys)
    return lines[:i] + ["#~ " + lines[i]] + lines[i + 1:]


def reorder(lines: list[str], rng: random.Random) -> list[str]:
    blocks = _blocks(lines)
    rng.shuffle(blocks)
    return _join(blocks)


def truncate(lines: list[str], rng: random.Random) -> list[str]:
    text = "\n".join(lines)
    return text[:rng.randrange(1, len(text))].split("\n")


def drop_line(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    return lines[:i] + lines[i + 1:]


FLAGS = ("python-format", "c-format", "python-brace-format", "fuzzy", "no-wrap", "no-python-format",
         "possible-c-format", "range: 1..3")


def reflag(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.startswith("msgid ")] or [0]
    i = rng.choice(keys[1:] or keys)
    return lines[:i] + [f"#, {rng.choice(FLAGS)}"] + lines[i:]


ESCAPES = ("\\'", "\\?", "\\x41", "\\303\\251", "\\0", "\\q", "\\777", "\\\\", "\\303", "\\e", "\\u00e9", '\\"')


def reescape(lines: list[str], rng: random.Random) -> list[str]:
    strings = [i for i, line in enumerate(lines) if line.rstrip().endswith('"') and '"' in line[:-1]]
    i = rng.choice(strings)
    line = lines[i].rstrip()
    return lines[:i] + [line[:-1] + rng.choice(ESCAPES) + '"'] + lines[i + 1:]


def newline(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if re.match(r'(#~ )?msgstr(\[\d\])? "', line)]
    i = rng.choice(keys[1:] or keys)
    head, _, rest = lines[i].partition('"')
    text = '"\\n' + rest if rng.random() < 0.5 else '"' + rest[:-1] + '\\n"'
    return lines[:i] + [head + text] + lines[i + 1:]


def format_argument(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if re.search(r"%\(\w+\)|%[sd]|\{\w+\}", line)]
    if not keys:
        return reflag(lines, rng)
    i = rng.choice(keys)
    swaps = [(r"%\((\w+)\)", "%(renamed)"), (r"%s", "%d"), (r"\{(\w+)\}", "{renamed}"), (r"%\((\w+)\)s", "")]
    pattern, repl = rng.choice(swaps)
    return lines[:i] + [re.sub(pattern, repl, lines[i], count=1)] + lines[i + 1:]


def comment_inside(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.startswith(("msgid ", "msgstr "))]
    i = rng.choice(keys) + 1
    return lines[:i] + [rng.choice(["# note", "#. x", "#: a.py:1", "#, fuzzy"])] + lines[i:]


def header(lines: list[str], rng: random.Random) -> list[str]:
    changes = [('"Plural-Forms: [^"]*"', '"Plural-Forms: nplurals=3; plural=(n != 1);\\\\n"'),
               ('"Plural-Forms: [^"]*"', '"Plural-Forms: nplurals=2; plural=n/0;\\\\n"'),
               ('"Plural-Forms: [^"]*"', '"Plural-Forms: nplurals=2; plural=(n != 1);;\\\\n"'),
               ('"Content-Type: [^"]*"', '"Content-Type: text/plain; charset=CHARSET\\\\n"'),
               ('^msgstr ""$', 'msgstr "x"'), ('^msgid ""$', 'msgid "header"')]
    pattern, repl = rng.choice(changes)
    text = re.sub(pattern, repl, "\n".join(lines), count=1, flags=re.M)
    return text.split("\n")


def pluralise(lines: list[str], rng: random.Random) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.startswith("msgstr ")]
    i = rng.choice(keys[1:] or keys)
    return lines[:i] + ['msgid_plural "many"', lines[i].replace("msgstr ", "msgstr[0] ", 1)] + lines[i + 1:]


MUTATORS: tuple[Mutator, ...] = (duplicate, obsolete_twin, half_obsolete, reorder, truncate, drop_line, reflag,
                                 reescape, newline, format_argument, comment_inside, header, pluralise)


def _msgfmt(path: Path) -> bool:
    return subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)], capture_output=True,
                          check=False, env={**os.environ, "LC_ALL": "C"}).returncode == 0


def _mutants(tmp: Path) -> list[tuple[str, Path]]:
    try:
        files = fetch()
    except OSError as exc:
        pytest.skip(f"corpus not downloadable (offline?): {exc}")
    rng = random.Random(19)
    chosen = rng.sample([p for _, p in files], CATALOGS)
    out = []
    for n, source in enumerate(chosen):
        lines = source.read_text(encoding="utf-8", errors="replace").split("\n")
        if len(lines) < 8:
            continue
        for k in range(MUTANTS_PER_CATALOG):
            mutate = MUTATORS[(n * MUTANTS_PER_CATALOG + k) % len(MUTATORS)]
            path = tmp / f"{n:03d}-{k:02d}-{mutate.__name__}.po"
            path.write_bytes("\n".join(mutate(list(lines), rng)).encode("utf-8"))
            out.append((mutate.__name__, path))
    return out


def test_reader_refuses_whatever_msgfmt_refuses(tmp_path: Path) -> None:
    mutants = _mutants(tmp_path)
    accepted = msgfmt_accepts([p for _, p in mutants])  # msgfmt's answers, cached by the mutant's bytes
    missed, stricter_only, refused_by_gettext = [], 0, 0
    for (kind, path), ok in zip(mutants, accepted):
        data = path.read_bytes()
        try:
            loads_po(data, path)
            error = None
        except CatalogError as exc:
            error = exc
            assert exc.lineno and str(exc).startswith(f"{path}:{exc.lineno}: "), str(exc)
        assert path.read_bytes() == data
        refused_by_gettext += not ok
        if not ok and error is None:
            missed.append(f"{kind} {path.name}: accepted, msgfmt refuses")
        elif ok and error is not None:
            if any(rule in str(error) for rule in STRICTER):
                stricter_only += 1
            else:
                missed.append(f"{kind} {path.name}: {error}")
    assert len(mutants) >= 1000
    assert refused_by_gettext >= 300, "the mutations must break files"
    kinds: dict[str, int] = {}
    for line in missed:
        kinds[line.split()[0]] = kinds.get(line.split()[0], 0) + 1
    assert not missed, f"{kinds}\n" + "\n".join(missed[:30])


def test_cli_refuses_and_leaves_the_mutant_untouched(project: Path) -> None:
    assert invoke("segment").exit_code == 0
    po = sorted((project / "i18n" / "es").glob("*.po"))[0]
    lines = po.read_text(encoding="utf-8").split("\n")
    rng = random.Random(11)
    tried = 0
    for mutate in (obsolete_twin, duplicate, half_obsolete, comment_inside, reescape, newline, pluralise):
        mutant = "\n".join(mutate(list(lines), rng)).encode("utf-8")
        po.write_bytes(mutant)
        if _msgfmt(po):
            continue
        tried += 1
        result = invoke("segment")
        assert result.exit_code == 1, result.output
        rel = po.relative_to(project).as_posix()
        assert re.search(rf"{re.escape(rel)}:\d+: ", result.output), result.output
        assert "Traceback" not in result.output
        assert po.read_bytes() == mutant
    shutil.rmtree(project / "i18n" / "es")
    assert tried >= 4
