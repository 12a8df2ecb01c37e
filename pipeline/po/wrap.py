"""gettext's string layout: ``wrap()`` in write-po.c, with libunistring's line breaking.

Strings are wrapped at 79 columns at the break opportunities gettext itself takes
from libunistring (``ulc_width_linebreaks_v2``).  Where libunistring is missing
the writer falls back to breaking after spaces only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re

PAGE_WIDTH = 79
_UNDEFINED, _PROHIBITED, _POSSIBLE = 0, 1, 2
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


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


_PLAIN = re.compile(r"[ -!#-\[\]-~]*")  # printable ASCII without quote or backslash: one column a byte


def wrap(name: str, value: str, line_prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """Lay out ``name "value"`` exactly as gettext's ``wrap()`` does in write-po.c."""
    if len(line_prefix) + len(name) + len(value) + 3 <= width and _PLAIN.fullmatch(value):
        return [f'{line_prefix}{name} "{value}"']  # fits on its line: nothing to break or escape
    return _wrap(name, value, line_prefix, width)


def _wrap(name: str, value: str, line_prefix: str, width: int) -> list[str]:
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
