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
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError, decode_utf8
from .language import Language

_ACCENTS = {
    "a": "aàáâãäå", "e": "eèéêë", "i": "iìíîï", "o": "oòóôõöø", "u": "uùúûü", "y": "yýÿ", "n": "nñ", "c": "cç",
}
_PARTICLES = frozenset(("de", "da", "del", "dos", "das", "do", "van", "von", "der", "al", "bin", "la", "le", "du",
                        "y", "e"))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _loose(term: str) -> str:
    """A regular expression for ``term`` that also matches it with accents added or dropped."""
    out = []
    for ch in term:
        base = _fold(ch)
        variants = _ACCENTS.get(base)
        if variants and len(ch) == 1 and ch.isalpha():
            chars = variants.upper() if ch.isupper() else variants
            out.append(f"[{chars}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _is_name(term: str, translation: str) -> bool:
    """A kept term of capitalised words: a person's name, whose parts also stand for it."""
    words = term.split()
    return translation == term and len(words) > 1 and all(w[:1].isupper() or w in _PARTICLES for w in words)


@dataclass(frozen=True)
class Glossary:
    """Fixed output by source term; a term mapped to itself is never translated.

    A term also matches with accents added or dropped (``Nicolas Maduro`` for
    ``Nicolás Maduro``) and in capitals; a listed name also protects its
    surname alone (``Trump`` for ``Donald Trump``) and the name with a middle
    name (``Cilia Adela Flores`` for ``Cilia Flores``).  A possessive ``'s``
    after a match is left to the engine.
    """

    terms: Mapping[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # protected names found in the text, kept verbatim

    def _parts(self) -> dict[str, str]:
        """Extra patterns (surnames, middle names) of listed names, by regular expression."""
        parts: dict[str, str] = {}
        for term, translation in self.terms.items():
            if not _is_name(term, translation):
                continue
            words = term.split()
            surname = words[-1]
            if len(surname) >= 3 and surname not in self.terms and _fold(surname) not in _COMMON_SURNAMES_BLOCK:
                parts[_loose(surname)] = surname
            middle = r"(?:\s+[A-ZÀ-Þ][\w'’-]*){1,2}\s+"
            parts[_loose(words[0]) + middle + _loose(" ".join(words[1:]))] = term
        return parts

    def with_names(self, found: Iterable[str]) -> Glossary:
        """This glossary plus names to keep verbatim, except those a glossary term already covers."""
        pattern = self.pattern()
        extra = tuple(n for n in found if n and (pattern is None or not pattern.search(n)))
        return replace(self, names=tuple(dict.fromkeys((*self.names, *extra))))

    def pattern(self) -> re.Pattern[str] | None:
        return _compiled(tuple(self.terms.items()), self.names)

    def fixed(self, found: str, at_start: bool = False) -> str:
        """What ``found`` (a match of a term) must become; capitalised at a paragraph's start."""
        if found in self.terms:
            return self.terms[found]
        if found.lower() in self.terms and found.lower() == next(
                (t for t in self.terms if t == found.lower()), None):
            value = self.terms[found.lower()]
            return value[:1].upper() + value[1:] if at_start and found[:1].isupper() else value
        folded = _fold(found)
        for term, translation in self.terms.items():
            if not term.islower() and _fold(term) == folded:
                if translation == term:
                    return found if found.isupper() else term  # the glossary's spelling of a name
                return translation.upper() if found.isupper() else translation
        return found  # a protected name, a surname or a name with a middle name: verbatim

    def expected(self, source: str) -> list[tuple[str, str]]:
        """(term as found, what the translation must contain) for every term in ``source``."""
        pattern = _compiled(tuple(self.terms.items()), ())
        if pattern is None:
            return []
        return [(m.group(0), self.fixed(m.group(0))) for m in pattern.finditer(source)]


# Surnames that are common words in every language the project uses are still protected: the
# glossary lists them as names.  Nothing is blocked today; the set is where to add one that must not be.
_COMMON_SURNAMES_BLOCK: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=32)
def _compiled(terms: tuple[tuple[str, str], ...], names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of every term and its variants, longest first, built once per glossary."""
    if not terms and not names:
        return None
    glossary = Glossary(dict(terms))
    parts: dict[str, int] = {}
    for term, _ in terms:
        if term.islower():
            parts[f"(?i:{_loose(term)})"] = len(term)
        else:
            parts[_loose(term)] = len(term)
            if term.upper() != term:
                parts[_loose(term.upper())] = len(term)
    for regex, term in glossary._parts().items():
        parts.setdefault(regex, len(term) + (1 if "\\s+" in regex else 0))
    for name in names:
        parts.setdefault(re.escape(name), len(name))
    ordered = sorted(parts, key=lambda r: (-parts[r], r))
    return re.compile(r"(?<![\w’'])(?:" + "|".join(ordered) + r")(?!\w)")


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
    for name in (lang, Language(lang).base):
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
