"""Reading and writing PO/POT files, byte-compatible with GNU ``msgcat``.

Poedit re-serialises a catalog through gettext when a reviewer saves, so the
writer reproduces gettext's layout exactly: the same entry order and comment
lines, and strings wrapped at 79 columns at the break opportunities that
gettext itself takes from libunistring (``ulc_width_linebreaks_v2``).  Where
libunistring is missing the writer falls back to breaking after spaces only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from .errors import CatalogError, decode_utf8

PAGE_WIDTH = 79
_UNDEFINED, _PROHIBITED, _POSSIBLE = 0, 1, 2
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


@dataclass(frozen=True)
class Message:
    """One catalog entry.  Comment fields hold one item per line, without the ``#`` marker."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    previous_msgid: str | None = None
    obsolete: bool = False
    lineno: int = field(default=0, compare=False)  # where the entry starts in the file read

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def with_flag(self, flag: str, on: bool) -> Message:
        flags = tuple(f for f in self.flags if f != flag)
        return replace(self, flags=(flag, *flags) if on else flags)


@dataclass(frozen=True)
class Catalog:
    """A whole PO file: the header entry's comments and fields, then the messages in order."""

    header: tuple[tuple[str, str], ...] = ()
    header_comments: tuple[str, ...] = ()
    header_fuzzy: bool = False
    messages: tuple[Message, ...] = field(default_factory=tuple)

    def header_value(self, name: str, default: str = "") -> str:
        for key, value in self.header:
            if key.lower() == name.lower():
                return value
        return default

    def with_header(self, **values: str) -> Catalog:
        """Replace or append header fields; keys use ``_`` for ``-`` (``Last_Translator``)."""
        wanted = {k.replace("_", "-"): v for k, v in values.items()}
        fields = [(k, wanted.pop(k, v)) for k, v in self.header]
        fields.extend(wanted.items())
        return replace(self, header=tuple(fields))

    def active(self) -> list[Message]:
        return [m for m in self.messages if not m.obsolete]


# ---------------------------------------------------------------- reading

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*(".*)$')
_UNESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\", '"': '"', "'": "'", "?": "?"}
_ESCAPE_RE = re.compile(r'\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)')


def _unquote(token: str, path: Path | str, lineno: int) -> str:
    """The value of one C string literal ``"..."`` as written in a PO file."""
    token = token.strip()
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise CatalogError("string is not enclosed in double quotes", path, lineno,
                           hint='every string must look like "text"')
    body = token[1:-1]
    if "\\" not in body and '"' not in body:
        return body  # the common case: nothing to check or unescape
    if re.search(r'(?<!\\)(?:\\\\)*"', body):
        raise CatalogError("unescaped double quote inside a string", path, lineno, hint='write \\" for "')
    if body.endswith("\\") and (len(body) - len(body.rstrip("\\"))) % 2:
        raise CatalogError("string ends with a lone backslash", path, lineno)

    def replace_escape(match: re.Match[str]) -> str:
        seq = match.group(1)
        if seq in _UNESCAPES:
            return _UNESCAPES[seq]
        if seq[0] == "x":
            return chr(int(seq[1:], 16))
        if seq.isdigit():
            return chr(int(seq, 8))
        raise CatalogError(f"unknown escape sequence \\{seq}", path, lineno)

    return _ESCAPE_RE.sub(replace_escape, body)


class _Entry:
    """Mutable accumulator for one entry while parsing."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.previous: dict[str, str] = {}
        self.tcomments: list[str] = []
        self.xcomments: list[str] = []
        self.refs: list[str] = []
        self.flags: list[str] = []
        self.obsolete = False
        self.line = 0
        self.last: tuple[dict[str, str], str] | None = None
        self.pieces: tuple[dict[str, str], str, list[str]] | None = None

    def flush(self) -> None:
        """Store the string whose continuation lines were being collected."""
        if self.pieces is not None:
            store, key, parts = self.pieces
            store[key] = "".join(parts)
            self.pieces = None

    def empty(self) -> bool:
        return not (self.fields or self.tcomments or self.xcomments or self.refs or self.flags or self.previous)


def read_po(fileobj: IO[bytes], path: Path | str) -> Catalog:
    """Parse a PO/POT file strictly; every problem is a ``CatalogError`` with its line number."""
    text = decode_utf8(fileobj.read(), path, CatalogError, hint="catalogs are UTF-8; re-save the file as UTF-8")
    if not text.strip():
        raise CatalogError("empty catalog file (a save that failed?)", path, 1,
                           hint="restore it from version control or a backup; delete it to start it afresh")
    entries: list[_Entry] = []
    cur = _Entry()

    def finish() -> None:
        nonlocal cur
        cur.flush()
        if not cur.empty():
            if "msgid" not in cur.fields:
                raise CatalogError("entry has comments but no msgid", path, cur.line or lineno)
            if "msgstr" not in cur.fields:
                raise CatalogError("entry has no msgstr", path, cur.line,
                                   hint="add msgstr \"\" after the msgid")
            entries.append(cur)
        cur = _Entry()

    lineno = 0
    for lineno, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
            if not line:
                continue
        if line.startswith("#|") or (obsolete and line.startswith("|")):
            content = line[2:].strip() if line.startswith("#|") else line[1:].strip()
            if "msgid" in cur.fields and "msgstr" in cur.fields:
                finish()
            target = cur.previous
        elif line.startswith("#") and not obsolete:
            marker, rest = line[1:2], line[2:]
            if "msgid" in cur.fields and "msgstr" in cur.fields:
                finish()
            if marker == ".":
                cur.xcomments.append(rest[1:] if rest.startswith(" ") else rest)
            elif marker == ":":
                cur.refs.extend(rest.split())
            elif marker == ",":
                cur.flags.extend(f.strip() for f in rest.split(",") if f.strip())
            else:
                body = line[1:]
                cur.tcomments.append(body[1:] if body.startswith(" ") else body)
            cur.line = cur.line or lineno
            continue
        else:
            content = line
            target = cur.fields
        if content.startswith('"'):
            if cur.last is None or (cur.last[0] is not target and target is not cur.previous):
                raise CatalogError("string continuation without a keyword before it", path, lineno)
            store, key = cur.last if cur.last[0] is target else (target, cur.last[1])
            if cur.pieces is None or cur.pieces[0] is not store or cur.pieces[1] != key:
                cur.flush()
                cur.pieces = (store, key, [store.get(key, "")])
            cur.pieces[2].append(_unquote(content, path, lineno))  # joined once: long strings stay linear
            continue
        cur.flush()
        match = _KEYWORD.match(content)
        if not match:
            raise CatalogError(f"cannot understand this line: {raw.strip()[:60]!r}", path, lineno,
                               hint="expected a comment, a keyword (msgid, msgstr, ...) or a quoted string")
        key, value = match.groups()
        if target is cur.fields and key in ("msgctxt", "msgid") and "msgstr" in cur.fields:
            finish()
            target = cur.fields
        if obsolete:
            cur.obsolete = True
        if key in target:
            raise CatalogError(f"{key} appears twice in one entry", path, lineno)
        if key.startswith("msgstr[") or key == "msgid_plural":
            raise CatalogError("plural entries are not supported in article catalogs", path, lineno)
        target[key] = _unquote(value, path, lineno)
        cur.last = (target, key)
        cur.line = cur.line or lineno
    finish()

    header: tuple[tuple[str, str], ...] = ()
    header_comments: tuple[str, ...] = ()
    header_fuzzy = False
    messages: list[Message] = []
    seen: dict[tuple[str | None, str, bool], int] = {}
    for entry in entries:
        f = entry.fields
        if f["msgid"] == "" and "msgctxt" not in f and not entry.obsolete and not messages and not header:
            header = tuple(_parse_header(f["msgstr"], path, entry.line))
            header_comments = tuple(entry.tcomments)
            header_fuzzy = "fuzzy" in entry.flags
            continue
        key = (f.get("msgctxt"), f["msgid"], entry.obsolete)
        if key in seen:
            raise CatalogError(f"duplicate message definition (first at line {seen[key]})", path, entry.line,
                               hint="remove one of the two entries")
        seen[key] = entry.line
        messages.append(Message(
            msgid=f["msgid"], msgstr=f["msgstr"], msgctxt=f.get("msgctxt"), flags=tuple(entry.flags),
            translator_comments=tuple(entry.tcomments), extracted_comments=tuple(entry.xcomments),
            references=tuple(entry.refs), previous_msgid=entry.previous.get("msgid"),
            obsolete=entry.obsolete, lineno=entry.line))
    charset = dict((k.lower(), v) for k, v in header).get("content-type", "")
    if header and "charset=" in charset and not re.search(r"charset=utf-?8\b", charset, re.I):
        raise CatalogError(f"unsupported charset in Content-Type: {charset!r}", path, 1,
                           hint="convert the catalog with 'msgconv -t UTF-8'")
    plural = dict((k.lower(), v) for k, v in header).get("plural-forms")
    if plural is not None:
        problem = plural_problem(plural)
        if problem:
            raise CatalogError(f"Plural-Forms {problem}: {plural!r}", path, 1,
                               hint="copy the Plural-Forms line for the language from the gettext manual")
    return Catalog(header=header, header_comments=header_comments, header_fuzzy=header_fuzzy,
                   messages=tuple(messages))


@functools.lru_cache(maxsize=64)
def plural_problem(value: str) -> str | None:
    """What is wrong with a Plural-Forms value, as msgfmt -c would say; None when it is sound."""
    import gettext

    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*", value)
    if not match:
        return "is not 'nplurals=N; plural=EXPRESSION;'"
    nplurals = int(match.group(1))
    if nplurals < 1:
        return "declares no plural forms"
    try:
        choose = gettext.c2py(match.group(2))
    except (ValueError, SyntaxError, RecursionError):
        return "has an expression that is not valid C"
    for n in (*range(0, 1001), 10**6, 2**31 - 1):
        try:
            index = choose(n)
        except ZeroDivisionError:
            return f"divides by zero (for n = {n})"
        except (ValueError, OverflowError, RecursionError):
            return f"cannot be computed for n = {n}"
        if not 0 <= index < nplurals:
            return f"chooses form {index} for n = {n}, but nplurals is {nplurals}"
    return None


def _parse_header(value: str, path: Path | str, lineno: int) -> list[tuple[str, str]]:
    fields = []
    for line in value.split("\n"):
        if not line:
            continue
        key, sep, rest = line.partition(":")
        if not sep:
            raise CatalogError(f"header line without 'Name: value': {line[:60]!r}", path, lineno)
        name = key.strip()
        if any(name.lower() == seen.lower() for seen, _ in fields):
            raise CatalogError(f"header field {name!r} appears twice (a value with a line break in it?)",
                               path, lineno, hint="keep one line per header field")
        fields.append((name, rest[1:] if rest.startswith(" ") else rest))
    return fields


def header_field(data: bytes, name: str) -> str | None:
    """One header field read straight from a catalog's bytes, without parsing the file;
    None when the header does not have it on one line of its own."""
    match = re.search(rb'^"' + re.escape(name.encode()) + rb': ([^"\\\n]*)\\n"$', data[:8192], re.M)
    return match.group(1).decode("utf-8", "replace") if match else None


def load_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, path)


def loads_po(data: bytes, path: Path | str) -> Catalog:
    """Parse bytes already read, so a caller can compare them with the file later."""
    return read_po(io.BytesIO(data), path)


# ---------------------------------------------------------------- line breaking


@functools.cache
def _linebreaker():  # type: ignore[no-untyped-def]
    """gettext's own line breaking function from libunistring, or None."""
    name = ctypes.util.find_library("unistring")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    fn = getattr(lib, "ulc_width_linebreaks_v2", None) or getattr(lib, "ulc_width_linebreaks", None)
    if fn is None:
        return None
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                   ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    fn.restype = ctypes.c_int
    return fn


def _fallback_breaks(portion: bytes, width: int, startcol: int, overrides: bytes) -> bytes:
    """Greedy breaking after spaces only, for systems without libunistring."""
    result = bytearray(len(portion))
    text = portion.decode("utf-8", "replace")
    column, last = startcol, None
    pos = 0
    piece = 0
    for char in text:
        size = len(char.encode("utf-8"))
        if pos > 0 and portion[pos - 1:pos] == b" " and overrides[pos] != _PROHIBITED:
            if last is not None and column + piece > width:
                result[last] = _POSSIBLE
                column = 0
            last, column, piece = pos, column + piece, 0
        piece += 1
        pos += size
    if last is not None and column + piece > width:
        result[last] = _POSSIBLE
    return bytes(result)


def _breaks(portion: bytes, width: int, startcol: int, overrides: bytes) -> bytes:
    fn = _linebreaker()
    if fn is None:
        return _fallback_breaks(portion, width, startcol, overrides)
    out = _buffer(len(portion) or 1)
    fn(portion, len(portion), width, startcol, 0, overrides, b"UTF-8", out)
    return ctypes.string_at(out, len(portion))


_BUFFERS: list[ctypes.Array[ctypes.c_char]] = []


def _buffer(size: int) -> ctypes.Array[ctypes.c_char]:
    """One reusable output buffer for the line breaker, grown as needed."""
    if not _BUFFERS or len(_BUFFERS[0]) < size:
        _BUFFERS[:] = [ctypes.create_string_buffer(max(size, 4096))]
    return _BUFFERS[0]


_ESCAPE_CHARS = re.compile('[\a\b\f\n\r\t\v\\\\"]')
_ESCAPED_PAIR = re.compile(rb"\\.")
_BREAK = re.compile(bytes((_POSSIBLE,)))


def _escape(part: str) -> tuple[bytes, bytes]:
    """The escaped bytes of a portion and, per byte, the break override gettext uses."""
    escaped = _ESCAPE_CHARS.sub(lambda m: "\\" + _ESCAPES[m.group(0)], part)
    data = escaped.encode("utf-8", "surrogatepass")
    over = bytearray(len(data))
    if b"\\" in data:
        for match in _ESCAPED_PAIR.finditer(data):  # every backslash starts a pair: never break inside
            over[match.start() + 1] = _PROHIBITED
    if part.endswith("\n"):
        over[-2] = _PROHIBITED  # never break right before the final "\n"
    return data, bytes(over)


def wrap(name: str, value: str, line_prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """Lay out ``name "value"`` exactly as gettext's ``wrap()`` does in write-po.c."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first = True
    after_break = len(line_prefix) + 1
    avail = width - 1 - after_break
    for index, part in enumerate(portions):
        more = index < len(portions) - 1
        data, over = _escape(part)
        while True:
            startcol = len(line_prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            brk = _breaks(data, avail, startcol, over)
            if first and data and (more or startcol > avail or _POSSIBLE in brk):
                lines.append(f'{line_prefix}{name} ""')
                first = False
                continue
            break
        head = f"{line_prefix}{name} " if first else line_prefix
        first = False
        chunks, start = [], 0
        for match in _BREAK.finditer(brk):
            chunks.append(data[start:match.start()])
            start = match.start()
        chunks.append(data[start:])
        for n, chunk in enumerate(chunks):
            lines.append(f'{head if n == 0 else line_prefix}"{chunk.decode("utf-8", "surrogatepass")}"')
    return lines


# ---------------------------------------------------------------- writing


def _comment_lines(marker: str, items: Iterable[str]) -> list[str]:
    out = []
    for item in items:
        for line in item.split("\n"):
            out.append(f"{marker} {line}" if line else marker)
    return out


def _reference_lines(refs: Sequence[str], width: int) -> list[str]:
    if not refs:
        return []
    lines, current, column = [], "#:", 2
    for ref in refs:
        size = len(ref) + 1
        if column > 2 and column + size > width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += size
    lines.append(current)
    return lines


def _message_lines(msg: Message, width: int) -> list[str]:
    out = _comment_lines("#", msg.translator_comments)
    prefix = "#~ " if msg.obsolete else ""
    if not msg.obsolete:
        out += _comment_lines("#.", msg.extracted_comments)
        out += _reference_lines(msg.references, width)
    if msg.flags:
        out.append("#, " + ", ".join(msg.flags))
    if msg.previous_msgid is not None:
        out += wrap("msgid", msg.previous_msgid, "#~| " if msg.obsolete else "#| ", width)
    if msg.msgctxt is not None:
        out += wrap("msgctxt", msg.msgctxt, prefix, width)
    out += wrap("msgid", msg.msgid, prefix, width)
    out += wrap("msgstr", msg.msgstr, prefix, width)
    return out


def write_po(catalog: Catalog, fileobj: IO[bytes], width: int = PAGE_WIDTH) -> None:
    """Serialise ``catalog`` as ``msgcat --width=79`` would."""
    fileobj.write(dumps(catalog, width).encode("utf-8", "surrogatepass"))


def dumps(catalog: Catalog, width: int = PAGE_WIDTH) -> str:
    blocks: list[list[str]] = []
    head = _comment_lines("#", catalog.header_comments)
    if catalog.header_fuzzy:
        head.append("#, fuzzy")
    head += wrap("msgid", "", "", width)
    head += wrap("msgstr", "".join(f"{k}: {v}\n" for k, v in catalog.header), "", width)
    blocks.append(head)
    # gettext writes obsolete entries after all active ones.
    for msg in [m for m in catalog.messages if not m.obsolete] + [m for m in catalog.messages if m.obsolete]:
        blocks.append(_message_lines(msg, width))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
