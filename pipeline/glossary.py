"""Per-language glossaries: names never translated, terms always translated one way.

``glossary/<lang>.csv``, UTF-8, with a header row ``term,translation,note``::

    term,translation,note
    Nicolás Maduro,,a name: never translated
    ILPS,,International League of Peoples' Struggle
    working class,clase obrera,

An empty translation means "keep the term as it is".  A term written in lower
case matches in any case (``Working class`` too); any other term matches
exactly.  Terms reach the engines as placeholders, so no engine can change them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, decode_utf8


@dataclass(frozen=True)
class Glossary:
    """Fixed output by source term; a term mapped to itself is never translated."""

    terms: Mapping[str, str] = field(default_factory=dict)

    def pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        parts = []
        for term in sorted(self.terms, key=lambda t: (-len(t), t)):
            escaped = re.escape(term)
            parts.append(f"(?i:{escaped})" if term.islower() else escaped)
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")

    def fixed(self, found: str, at_start: bool = False) -> str:
        """What ``found`` (a match of a term) must become; capitalised at a paragraph's start."""
        if found in self.terms:
            return self.terms[found]
        value = self.terms.get(found.lower(), found)
        return value[:1].upper() + value[1:] if at_start and found[:1].isupper() else value

    def expected(self, source: str) -> list[tuple[str, str]]:
        """(term as found, what the translation must contain) for every term in ``source``."""
        pattern = self.pattern()
        if pattern is None:
            return []
        return [(m.group(0), self.fixed(m.group(0))) for m in pattern.finditer(source)]


def _rows(reader: Iterator[list[str]], path: Path | str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the line each starts on; a malformed or oversized cell is a ConfigError."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ConfigError(f"not a valid CSV row: {exc}", path, start,
                              hint="a glossary cell holds one term or translation; check the quoting") from None
        yield start, row
        start = getattr(reader, "line_num", start) + 1


def read_glossary(text: str, path: Path | str) -> Glossary:
    """Parse the CSV text of one glossary; problems name the file and line."""
    reader = csv.reader(io.StringIO(text))
    terms: dict[str, str] = {}
    first: dict[str, int] = {}
    for lineno, row in _rows(reader, path):
        if not row or not any(cell.strip() for cell in row) or row[0].startswith("#"):
            continue
        if lineno == 1 and row[0].strip().lower() == "term":
            continue
        if len(row) > 3:
            raise ConfigError("a glossary row has at most three columns: term,translation,note", path, lineno,
                              hint="quote cells that contain commas")
        term = row[0].strip()
        translation = row[1].strip() if len(row) > 1 else ""
        if not term:
            raise ConfigError("empty term", path, lineno)
        key = term.lower() if term.islower() else term
        if key in first:
            raise ConfigError(f"term {term!r} appears twice (first at line {first[key]})", path, lineno)
        first[key] = lineno
        terms[key] = translation or term
    return Glossary(terms)


def load_glossary(folder: Path, lang: str) -> Glossary:
    """The glossary of ``lang`` (``pt_BR`` falls back to ``pt``); empty when there is none."""
    for name in (lang, lang.split("_")[0]):
        path = folder / f"{name}.csv"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ConfigError(f"cannot read the glossary: {exc.strerror}", path,
                              hint="a glossary is a CSV file: remove or rename what is there") from None
        return read_glossary(decode_utf8(data, path, ConfigError, hint="save the glossary as UTF-8"), path)
    return Glossary()
