"""Reading a PO/POT file into a ``Catalog``: the syntax, then what ``msgfmt -c`` refuses.

A catalog that GNU gettext refuses is refused here too, with its file and line;
the few rules stricter than gettext are listed in docs/catalogs.md.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO

from ..errors import CatalogError, decode_utf8
from .check import check_catalog
from .flags import canonical
from .header import check_charset, parse_header, plural_forms, plural_problem
from .model import Catalog, Message
from .parse import Parser, RawEntry, form_values

_REFERENCE = re.compile(r"(.*):(\d+)")
_DECLARED = re.compile(rb'Content-Type:[ \t]*([^"\\\n]*?charset=([-\w.:]+)[^"\\\n]*)', re.I)
_UTF8_NAME = re.compile(rb"utf-?8|charset", re.I)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """The file's lines with their numbers, a backslash at a line's end joining it to the next.

    gettext's lexer drops every backslash-newline pair before it reads anything,
    comments included (``#. x\\`` and ``#. y`` read as one comment).  A CR
    stays in comments (msgcat keeps it there) and is space elsewhere.
    """
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if pending is not None:
            number, line = pending[0], pending[1] + line
        pending = (number, line[:-1]) if line.endswith("\\") else None
        if pending is None:
            out.append((number, line))
    if pending is not None:
        out.append((pending[0], pending[1] + "\\"))  # at the end of the file it is a backslash
    return out


def read_po(fileobj: IO[bytes], path: Path | str) -> Catalog:
    """Parse a PO/POT file strictly; every problem is a ``CatalogError`` with its line number."""
    data = fileobj.read()
    declared = _DECLARED.search(data[:8192])
    if declared and not _UTF8_NAME.fullmatch(declared.group(2)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:  # say what the file declares, not only that its bytes are not UTF-8
            raise CatalogError(f"unsupported charset in Content-Type: {declared.group(1).decode('latin-1')!r}",
                               path, 1, hint="convert the catalog with 'msgconv -t UTF-8'") from None
    text = decode_utf8(data, path, CatalogError, hint="catalogs are UTF-8; re-save the file as UTF-8")
    if not text.strip():
        raise CatalogError("empty catalog file (a save that failed?)", path, 1,
                           hint="restore it from version control or a backup; delete it to start it afresh")
    entries = Parser(path).feed(logical_lines(text))
    catalog = _build(entries, path)
    check_charset(list(catalog.header), text, path)
    forms = plural_forms(catalog.header)
    if forms is not None:
        problem = plural_problem(forms)
        if problem:
            raise CatalogError(f"Plural-Forms {problem}: {forms!r}", path, 1,
                               hint="copy the Plural-Forms line for the language from the gettext manual")
    check_catalog(catalog, path)
    return catalog


def _build(entries: list[RawEntry], path: Path | str) -> Catalog:
    seen: dict[tuple[str | None, str], int] = {}
    messages: list[Message] = []
    for entry in entries:
        msg = _message(entry)
        if msg.key in seen:
            raise CatalogError(f"duplicate message definition (first at line {seen[msg.key]})", path, entry.line,
                               hint="remove one of the two entries (an obsolete #~ entry counts too)")
        seen[msg.key] = entry.line
        if msg.obsolete and not msg.msgstr:
            continue  # as msgcat: an obsolete entry whose (first) msgstr is empty holds nothing
        messages.append(msg)
    where = next((i for i, m in enumerate(messages) if m.key == (None, "") and not m.obsolete), None)
    if where is None or not messages[where].msgstr:
        raise CatalogError("the catalog has no header entry (msgid \"\" with the Content-Type and other "
                           "fields)", path, messages[where].lineno if where is not None else 1,
                           hint="msgfmt -c refuses a catalog without one; copy the header of a sibling catalog")
    head = next(e for e in entries if e.line == messages[where].lineno)
    messages = messages[:where] + messages[where + 1:]  # written first, as the header always is
    raw = head.value("msgstr") or ""
    return Catalog(header=tuple(parse_header(raw, path, head.line)), header_comments=tuple(head.tcomments),
                   header_fuzzy="fuzzy" in head.flags, messages=tuple(messages),
                   header_extracted_comments=tuple(head.xcomments), header_references=_references(head.refs),
                   header_flags=tuple(f for f in canonical(head.flags, True) if f != "fuzzy"),
                   header_raw=raw)


def _message(entry: RawEntry) -> Message:
    plural = entry.value("msgid_plural")
    forms = form_values(entry) if plural is not None else ()
    msgstr = forms[0] if forms else (entry.value("msgstr") or "")
    return Message(
        msgid=entry.value("msgid") or "", msgstr=msgstr, msgctxt=entry.value("msgctxt"),
        flags=canonical(entry.flags, bool(msgstr)), translator_comments=tuple(entry.tcomments),
        extracted_comments=tuple(entry.xcomments), references=_references(entry.refs),
        previous_msgid=entry.value("msgid", "previous"), previous_msgctxt=entry.value("msgctxt", "previous"),
        previous_msgid_plural=entry.value("msgid_plural", "previous"), obsolete=bool(entry.obsolete),
        msgid_plural=plural, msgstr_plural=forms, lineno=entry.line)


def _references(refs: list[str]) -> tuple[str, ...]:
    """Each (file, line) once, as gettext keeps them; ``a.c:01`` is ``a.c:1``."""
    seen: set[str] = set()
    out: list[str] = []
    for ref in refs:
        match = _REFERENCE.fullmatch(ref)
        ref = f"{match.group(1)}:{int(match.group(2))}" if match else ref
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return tuple(out)


def load_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, path)


def loads_po(data: bytes, path: Path | str) -> Catalog:
    """Parse bytes already read, so a caller can compare them with the file later."""
    return read_po(io.BytesIO(data), path)
