"""The PO syntax as GNU gettext 0.21 reads it, entry by entry, with the line of every problem.

Strings are C literals whose escapes give bytes (``"caf\\303\\251"`` is ``café``),
and each literal ends at its first NUL (``\\0``), as in gettext.  Comments keep their trailing
spaces; ``#~`` lines must not mix with active lines in one entry (msgfmt's
"inconsistent use of #~"); a comment cannot sit between a keyword and its
continuation lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:[ \t]*\[[ \t]*(\d+)[ \t]*\])?)(?=[\s\"]|$)[ \t]*(.*)$")
_STRINGS = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9a-fA-F]+)|(.?))', re.S)
_SIMPLE = {"n": b"\n", "t": b"\t", "b": b"\b", "r": b"\r", "f": b"\f", "v": b"\v", "a": b"\a",
           "\\": b"\\", '"': b'"'}
_PREVIOUS_KEYS = ("msgctxt", "msgid", "msgid_plural")


@dataclass
class RawEntry:
    """One entry as written: its comments, previous strings, keywords and where it starts."""

    line: int = 0
    tcomments: list[str] = field(default_factory=list)
    xcomments: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    forms: list[list[str]] = field(default_factory=list)
    obsolete: bool | None = None  # None until a keyword or previous line says

    def complete(self) -> bool:
        return "msgstr" in self.fields or bool(self.forms)

    def empty(self) -> bool:
        return not (self.fields or self.tcomments or self.xcomments or self.refs or self.flags
                    or self.previous)

    def value(self, key: str, store: str = "fields") -> str | None:
        parts = (self.previous if store == "previous" else self.fields).get(key)
        return None if parts is None else _finish(parts)


def _finish(parts: list[str]) -> str:
    return "".join(parts)  # joined once: long strings stay linear


def unquote_body(body: str, path: Path | str, lineno: int) -> str:
    """The value of one string literal's body: escapes are bytes, the result UTF-8."""
    if "\\" not in body:
        return body.split("\x00", 1)[0] if "\x00" in body else body
    out = bytearray()
    start = 0
    for match in _ESCAPE.finditer(body):
        out += body[start:match.start()].encode("utf-8", "surrogatepass")
        start = match.end()
        simple, octal, hexa, other = match.groups()
        if simple is not None:
            out += _SIMPLE[simple]
        elif octal is not None or hexa is not None:
            value = int(octal, 8) if octal is not None else int(hexa, 16)
            if value > 0xFF:
                raise CatalogError(f"escape sequence {match.group(0)} is larger than one byte", path, lineno)
            out.append(value)
        else:
            shown = f"\\{other}" if other else "a lone \\ at the end"
            raise CatalogError(f"invalid escape sequence {shown} (gettext knows \\n \\t \\r \\\" \\\\ "
                               "\\a \\b \\f \\v, octal and \\x)", path, lineno,
                               hint="write \\\\ for a backslash")
    out += body[start:].encode("utf-8", "surrogatepass")
    try:
        return out.split(b"\x00", 1)[0].decode("utf-8")  # each literal is a C string: it ends at NUL
    except UnicodeDecodeError:
        raise CatalogError("escape sequences do not form UTF-8 text", path, lineno,
                           hint="write the characters themselves, or their UTF-8 bytes in full") from None


def strings(text: str, path: Path | str, lineno: int) -> list[str]:
    """Every string literal on a line (gettext allows several), unescaped."""
    found: list[str] = []
    pos = 0
    while pos < len(text):
        match = _STRINGS.match(text, pos)
        if match is None:
            rest = text[pos:].strip()
            if not rest:
                break
            if found or rest.startswith('"') and rest.count('"') > 1:
                raise CatalogError("unescaped double quote inside a string", path, lineno,
                                   hint='write \\" for "')
            raise CatalogError("string is not enclosed in double quotes", path, lineno,
                               hint='every string must look like "text"')
        found.append(unquote_body(match.group(1), path, lineno))
        pos = match.end()
    if not found:
        raise CatalogError("string is not enclosed in double quotes", path, lineno,
                           hint='every string must look like "text"')
    return found


class Parser:
    """Turns lines into ``RawEntry`` values; every problem is a ``CatalogError`` with its line."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.entries: list[RawEntry] = []
        self.cur = RawEntry()
        self.target: tuple[str, str, int] | None = None  # (store, key, form) taking continuations
        self.lineno = 0

    def error(self, message: str, hint: str | None = None, lineno: int | None = None) -> CatalogError:
        return CatalogError(message, self.path, lineno or self.lineno, hint=hint)

    def finish(self) -> None:
        cur = self.cur
        if not cur.empty():
            if "msgid" not in cur.fields:
                raise self.error("entry has comments but no msgid", lineno=cur.line or self.lineno)
            if not cur.complete():
                raise self.error("entry has no msgstr", 'add msgstr "" after the msgid', cur.line)
            self.entries.append(cur)
        self.cur = RawEntry()
        self.target = None

    def feed(self, lines: list[tuple[int, str]]) -> list[RawEntry]:
        """Parse numbered lines (``logical_lines``)."""
        for self.lineno, raw in lines:
            self.line(raw)
        self.lineno = lines[-1][0] if lines else 0
        if self.cur.fields and not self.cur.complete():
            raise self.error("entry has no msgstr", 'add msgstr "" after the msgid', self.cur.line)
        if self.cur.fields:
            self.finish()
        return self.entries

    def line(self, raw: str) -> None:
        """One logical line: a comment, a keyword with its string, or a string continuing the last."""
        line = raw.lstrip()
        if not line.strip():
            return
        if line.startswith("#~"):
            rest = line[2:].lstrip()
            if not rest.strip():
                return
            if rest.startswith("|"):
                if rest[1:].strip():
                    self.keyword_line(rest[1:].strip(), obsolete=True, previous=True)
            elif rest.startswith("#"):
                self.comment(rest.rstrip("\n"))
            else:
                self.keyword_line(rest.rstrip(), obsolete=True, previous=False)
        elif line.startswith("#|"):
            if line[2:].strip():
                self.keyword_line(line[2:].strip(), obsolete=False, previous=True)
        elif line.startswith("#"):
            self.comment(line)
        else:
            self.keyword_line(line.rstrip(), obsolete=False, previous=False)

    def comment(self, line: str) -> None:
        cur = self.cur
        if cur.complete():
            self.finish()
            cur = self.cur
        elif cur.fields:
            raise self.error("comment inside an entry, before its msgstr (msgfmt: missing 'msgstr' section)",
                             "move the comment above the entry's msgctxt or msgid")
        elif cur.previous:
            raise self.error("comment after a previous string (#|); msgfmt refuses it",
                             "move the comment above the #| lines")
        self.target = None
        marker, rest = line[1:2], line[2:]
        if marker == ".":
            cur.xcomments.append(rest[1:] if rest.startswith(" ") else rest)
        elif marker == ":":
            cur.refs.extend(r for r in re.split(r"[ \t\n]+", rest) if r)  # a CR stays, as in gettext
        elif marker == ",":
            cur.flags.extend(f.strip() for f in rest.split(",") if f.strip())
        else:
            body = line[1:]
            cur.tcomments.append(body[1:] if body.startswith(" ") else body)
        cur.line = cur.line or self.lineno

    def keyword_line(self, content: str, obsolete: bool, previous: bool) -> None:
        if content.startswith('"'):
            self.continuation(content, obsolete, previous)
            return
        match = _KEYWORD.match(content)
        if not match or not match.group(3).startswith('"'):
            shown = content if not (obsolete or previous) else self_line(content, obsolete, previous)
            raise self.error(f"cannot understand this line: {shown[:60]!r}",
                             "expected a comment, a keyword (msgid, msgstr, ...) or a quoted string")
        key, index, rest = match.groups()
        values = strings(rest, self.path, self.lineno)
        if previous:
            self.previous_keyword(key, values, obsolete)
        else:
            self.keyword(key, index, values, obsolete)

    def consistent(self, obsolete: bool) -> None:
        if self.cur.obsolete is None:
            self.cur.obsolete = obsolete
        elif self.cur.obsolete != obsolete:
            raise self.error("inconsistent use of #~ (an entry is either all obsolete or all active)",
                             "mark every line of an obsolete entry with #~, or none")
        self.cur.line = self.cur.line or self.lineno

    def previous_keyword(self, key: str, values: list[str], obsolete: bool) -> None:
        if self.cur.complete():
            self.finish()
        elif self.cur.fields:
            raise self.error("previous string (#|) inside an entry, before its msgstr")
        if key not in _PREVIOUS_KEYS:
            raise self.error(f"{key} cannot be a previous string (#| takes msgctxt, msgid, msgid_plural)")
        if key in self.cur.previous:
            raise self.error(f"previous {key} appears twice in one entry")
        if key == "msgid_plural" and "msgid" not in self.cur.previous:
            raise self.error("previous msgid_plural without a previous msgid")
        if key == "msgctxt" and "msgid" in self.cur.previous:
            raise self.error("previous msgctxt after the previous msgid")
        self.consistent(obsolete)
        self.cur.previous[key] = values
        self.target = ("previous", key, -1)

    def keyword(self, key: str, index: str | None, values: list[str], obsolete: bool) -> None:
        cur = self.cur
        if key in ("msgctxt", "msgid") and cur.complete():
            self.finish()
            cur = self.cur
        self.consistent(obsolete)
        fields = cur.fields
        if key in fields:
            raise self.error(f"{key} appears twice in one entry")
        if key == "msgctxt" and "msgid" in fields:
            raise self.error("msgctxt after the msgid (msgctxt comes first)")
        if key != "msgctxt" and key != "msgid" and "msgid" not in fields:
            raise self.error(f"{key.split('[')[0]} without a msgid before it")
        if key == "msgid_plural" and cur.complete():
            raise self.error("msgid_plural after the msgstr")
        if index is not None:
            self.plural_form(int(index), values)
            return
        if key == "msgstr" and "msgid_plural" in fields:
            raise self.error("an entry with msgid_plural takes msgstr[0], msgstr[1], ... not msgstr")
        if key == "msgstr" and cur.forms:
            raise self.error("msgstr after msgstr[0]")
        fields[key] = values
        self.target = ("fields", key, -1)

    def plural_form(self, index: int, values: list[str]) -> None:
        cur = self.cur
        if "msgid_plural" not in cur.fields:
            raise self.error("msgstr[N] in an entry without msgid_plural")
        if index != len(cur.forms):
            raise self.error(f"plural form has wrong index (msgstr[{index}], expected msgstr[{len(cur.forms)}])")
        cur.forms.append(values)
        self.target = ("forms", "", index)

    def continuation(self, content: str, obsolete: bool, previous: bool) -> None:
        target = self.target
        if target is None or (target[0] == "previous") != previous:
            raise self.error("string continuation without a keyword before it")
        if self.cur.obsolete != obsolete:
            raise self.error("inconsistent use of #~ (an entry is either all obsolete or all active)",
                             "mark every line of an obsolete entry with #~, or none")
        values = strings(content, self.path, self.lineno)
        store, key, form = target
        if store == "forms":
            self.cur.forms[form].extend(values)
        else:
            (self.cur.previous if store == "previous" else self.cur.fields)[key].extend(values)


def self_line(content: str, obsolete: bool, previous: bool) -> str:
    """The line as the reviewer wrote it, for the error message."""
    return ("#~" if obsolete else "#") + ("| " if previous else " ") + content


def form_values(entry: RawEntry) -> tuple[str, ...]:
    return tuple(_finish(parts) for parts in entry.forms)
