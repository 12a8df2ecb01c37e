"""The header entry: its fields, its charset and its Plural-Forms, checked as ``msgfmt -c`` does."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import CatalogError

# Fields gettext itself reads or fills; a second copy of one is refused (see docs/catalogs.md).
STANDARD_FIELDS = ("project-id-version", "report-msgid-bugs-to", "pot-creation-date", "po-revision-date",
                   "last-translator", "language-team", "language", "mime-version", "content-type",
                   "content-transfer-encoding", "plural-forms")
_MSGCAT_SEPARATOR = re.compile(r"#-#-#-#-#  .*  #-#-#-#-#")
_UTF8 = re.compile(r"charset=\s*(utf-?8|charset)\s*(;|$)", re.I)  # CHARSET: a fresh POT's placeholder
_ASCII = re.compile(r"charset=\s*(us-)?ascii\s*(;|$)", re.I)
_NPLURALS = re.compile(r"nplurals=\s*(\d+)")  # as gettext: no space before '='
_EXPRESSION = re.compile(r"(?<!n)plural=\s*([^;]*)")


def header_lines(value: str) -> list[str]:
    """The header's lines, each with its ``\\n`` (the last may lack one)."""
    return re.findall(r"[^\n]*\n|[^\n]+", value)


def parse_field(line: str) -> tuple[str, str] | None:
    """``Name: value`` (or ``Name:value``) as (name, value); None for a line without a colon."""
    key, sep, rest = line.rstrip("\n").partition(":")
    if not sep or not key.strip():
        return None
    return key.strip(), rest[1:] if rest.startswith(" ") else rest


def parse_header(value: str, path: Path | str, lineno: int) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    merged = _MSGCAT_SEPARATOR.search(value) is not None  # msgcat's join of several headers repeats fields
    for line in header_lines(value):
        pair = parse_field(line)
        if pair is None:
            if line.strip() and not _MSGCAT_SEPARATOR.fullmatch(line.strip()):
                # stricter than msgfmt: such a line is a value broken by a line break
                raise CatalogError(f"header line without 'Name: value': {line.rstrip()[:60]!r}", path, lineno,
                                   hint="join it to the field it belongs to, or remove it")
            continue
        name = pair[0]
        if not merged and name.lower() in STANDARD_FIELDS and any(name.lower() == seen.lower() for seen, _ in fields):
            raise CatalogError(f"header field {name!r} appears twice (a value with a line break in it?)",
                               path, lineno, hint="keep one line per header field")
        fields.append(pair)
    return fields


def check_charset(header: list[tuple[str, str]], text: str, path: Path | str) -> None:
    """Catalogs are read as UTF-8: any other declared charset is refused (a documented rule)."""
    content_type = next((v for k, v in header if k.lower() == "content-type"), "")
    if "charset=" not in content_type.lower() or _UTF8.search(content_type):
        return
    if _ASCII.search(content_type) and text.isascii():
        return
    raise CatalogError(f"unsupported charset in Content-Type: {content_type!r}", path, 1,
                       hint="convert the catalog with 'msgconv -t UTF-8'")


def plural_forms(header: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str | None:
    return next((v for k, v in header if k.lower() == "plural-forms"), None)


def nplurals(value: str | None) -> int | None:
    """The number of forms a Plural-Forms value declares (gettext looks for ``nplurals=``)."""
    match = _NPLURALS.search(value or "")
    return int(match.group(1)) if match else None


def has_expression(value: str | None) -> bool:
    return bool(value) and _EXPRESSION.search(value or "") is not None


@functools.lru_cache(maxsize=64)
def _chooser(value: str) -> tuple[int, Callable[[int], int]] | str:
    import gettext

    count = nplurals(value)
    expression = _EXPRESSION.search(value)
    if count is None or expression is None:
        return "is not 'nplurals=N; plural=EXPRESSION;'"
    if count < 1:
        return "declares no plural forms"
    try:
        return count, gettext.c2py(expression.group(1))
    except (ValueError, SyntaxError, RecursionError):
        return "has an expression that is not valid C"


@functools.lru_cache(maxsize=64)
def plural_problem(value: str) -> str | None:
    """What is wrong with a Plural-Forms value, as msgfmt -c would say; None when it is sound.

    As msgfmt, a value without ``plural=`` or ``nplurals=`` is only a problem once an entry has plural
    forms (``check.check_catalog``).
    """
    if not has_expression(value):
        return None
    if "nplurals=" in value and nplurals(value) is None:
        return "gives nplurals no number"
    if nplurals(value) is None:
        return None
    found = _chooser(value)
    if isinstance(found, str):
        return found
    count, choose = found
    for n in (*range(0, 1001), 10**6, 2**31 - 1):
        try:
            index = choose(n)
        except ZeroDivisionError:
            return f"divides by zero (for n = {n})"
        except (ValueError, OverflowError, RecursionError):
            return f"cannot be computed for n = {n}"
        if not 0 <= index < count:
            return f"chooses form {index} for n = {n}, but nplurals is {count}"
    return None


@functools.lru_cache(maxsize=64)
def often(value: str | None) -> tuple[bool, ...] | None:
    """Per plural form, whether it serves many numbers (gettext checks those strictly)."""
    found = _chooser(value) if value else None
    if found is None or isinstance(found, str) or plural_problem(value or ""):
        return None
    count, choose = found
    seen = [0] * count
    for n in range(0, 1001):
        index = choose(n)
        seen[index] = min(5, seen[index] + 1)
    return tuple(s >= 5 for s in seen)


def header_field(data: bytes, name: str) -> str | None:
    """One header field read straight from a catalog's bytes, without parsing the file;
    None when the header does not have it on one line of its own."""
    match = re.search(rb'^"' + re.escape(name.encode()) + rb': ([^"\\\n]*)\\n"$', data[:8192], re.M)
    return match.group(1).decode("utf-8", "replace") if match else None
