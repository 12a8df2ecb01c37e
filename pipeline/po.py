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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from .errors import CatalogError

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

_LINE_RE = re.compile(r"\(line (\d+)\)")


def read_po(fileobj: IO[bytes], path: Path | str) -> Catalog:
    """Parse a PO/POT file; syntax errors become ``CatalogError`` with the line number."""
    import polib

    data = fileobj.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"not valid UTF-8 (byte offset {exc.start})", path, lineno,
                           hint="catalogs are UTF-8; re-save the file as UTF-8") from None
    try:
        parsed = polib.pofile(text, wrapwidth=PAGE_WIDTH)
    except (OSError, ValueError) as exc:
        match = _LINE_RE.search(str(exc))
        reason = str(exc).split(":", 1)[-1].strip() if ":" in str(exc) else "syntax error"
        raise CatalogError(f"cannot parse catalog: {reason}", path,
                           int(match.group(1)) if match else None,
                           hint="fix the entry by hand or restore the file from version control") from None

    messages = []
    for entry in parsed:
        messages.append(_from_polib(entry))
    for entry in parsed.obsolete_entries():
        messages.append(_from_polib(entry))
    header_comments = tuple(parsed.header.split("\n")) if parsed.header else ()
    return Catalog(
        header=tuple(parsed.metadata.items()),
        header_comments=header_comments,
        header_fuzzy=bool(getattr(parsed, "metadata_is_fuzzy", False)),
        messages=tuple(messages),
    )


def _from_polib(entry: object) -> Message:
    e = entry  # polib.POEntry
    refs = tuple(f"{f}:{n}" if n else f for f, n in e.occurrences)  # type: ignore[attr-defined]
    return Message(
        msgid=e.msgid,  # type: ignore[attr-defined]
        msgstr=e.msgstr,  # type: ignore[attr-defined]
        msgctxt=e.msgctxt,  # type: ignore[attr-defined]
        flags=tuple(e.flags),  # type: ignore[attr-defined]
        translator_comments=tuple(e.tcomment.split("\n")) if e.tcomment else (),  # type: ignore[attr-defined]
        extracted_comments=tuple(e.comment.split("\n")) if e.comment else (),  # type: ignore[attr-defined]
        references=refs,
        previous_msgid=e.previous_msgid,  # type: ignore[attr-defined]
        obsolete=bool(e.obsolete),  # type: ignore[attr-defined]
    )


def load_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, path)


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
    out = ctypes.create_string_buffer(len(portion) or 1)
    fn(portion, len(portion), width, startcol, 0, overrides, b"UTF-8", out)
    return out.raw[: len(portion)]


def _escape(part: str) -> tuple[bytes, bytes]:
    """The escaped bytes of a portion and, per byte, the break override gettext uses."""
    data = bytearray()
    over = bytearray()
    for char in part:
        esc = _ESCAPES.get(char)
        if esc is not None:
            data += b"\\" + esc.encode()
            over += bytes((_UNDEFINED, _PROHIBITED))
        else:
            encoded = char.encode("utf-8", "surrogatepass")
            data += encoded
            over += bytes(len(encoded))
    if part.endswith("\n"):
        over[-2] = _PROHIBITED  # never break right before the final "\n"
    return bytes(data), bytes(over)


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
        for i, b in enumerate(brk):
            if b == _POSSIBLE:
                chunks.append(data[start:i])
                start = i
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
