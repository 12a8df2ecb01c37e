"""Writing a ``Catalog`` byte for byte as ``msgcat --force-po --width=79`` writes it.

Poedit re-serialises a catalog through gettext when a reviewer saves, so the
writer reproduces gettext's layout exactly: comment lines in gettext's order,
references without a leading ``./``, flags in msgcat's order, obsolete entries
after the active ones, and the header's lines kept as read where their field
did not change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from .flags import canonical
from .header import header_lines, parse_field
from .model import Catalog, Message
from .wrap import PAGE_WIDTH, wrap

_NO_WRAP = 1 << 30


def _comment_lines(marker: str, items: Iterable[str]) -> list[str]:
    """Comment lines; one ending in a backslash gets a space, or gettext would join the next line to it."""
    out = []
    for item in items:
        for line in item.split("\n"):
            out.append((f"{marker} {line}" if line else marker) + (" " if line.endswith("\\") else ""))
    return out


def _strip_dot(ref: str) -> str:
    while ref.startswith("./"):
        ref = ref[2:]
    return ref


def _reference_lines(refs: Sequence[str], width: int) -> list[str]:
    if not refs:
        return []
    lines, current, column = [], "#:", 2
    for ref in map(_strip_dot, refs):
        size = len(ref) + 1
        if column > 2 and column + size > width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += size
    lines.append(current)
    return lines


def _c(text: str) -> str:
    """A value as gettext holds it: a C string, which ends at a NUL."""
    return text.split("\x00", 1)[0] if "\x00" in text else text


def _comments(msg: Message, width: int) -> list[str]:
    out = _comment_lines("#", msg.translator_comments)
    out += _comment_lines("#.", msg.extracted_comments)
    out += _reference_lines(msg.references, width)
    translated = bool(_c(msg.msgstr_plural[0] if msg.plural and msg.msgstr_plural else msg.msgstr))
    flags = canonical(msg.flags, translated)
    if msg.obsolete:  # msgcat keeps no range on an obsolete entry
        flags = tuple(f for f in flags if not f.startswith("range:"))
    if flags:
        out.append("#, " + ", ".join(flags))
    return out


def _message_lines(msg: Message, width: int) -> list[str]:
    out = _comments(msg, width)
    if "no-wrap" in msg.flags:
        width = _NO_WRAP
    prefix = "#~ " if msg.obsolete else ""
    previous = "#~| " if msg.obsolete else "#| "
    if msg.previous_msgctxt is not None:
        out += wrap("msgctxt", _c(msg.previous_msgctxt), previous, width)
    if msg.previous_msgid is not None:
        out += wrap("msgid", _c(msg.previous_msgid), previous, width)
        if msg.previous_msgid_plural is not None:
            out += wrap("msgid_plural", _c(msg.previous_msgid_plural), previous, width)
    if msg.msgctxt is not None:
        out += wrap("msgctxt", _c(msg.msgctxt), prefix, width)
    out += wrap("msgid", _c(msg.msgid), prefix, width)
    if msg.msgid_plural is not None:
        out += wrap("msgid_plural", _c(msg.msgid_plural), prefix, width)
        for index, form in enumerate(msg.msgstr_plural or (msg.msgstr,)):
            out += wrap(f"msgstr[{index}]", _c(form), prefix, width)
    else:
        out += wrap("msgstr", _c(msg.msgstr), prefix, width)
    return out


def header_text(catalog: Catalog) -> str:
    """The header's msgstr: the lines read, each kept unless its field changed, then new fields."""
    if catalog.header_raw is None:
        return "".join(f"{k}: {v}\n" for k, v in catalog.header)
    wanted = list(catalog.header)
    lines: list[str] = []
    for line in header_lines(catalog.header_raw):
        pair = parse_field(line)
        if pair is None:
            lines.append(line)
            continue
        match = next((i for i, (k, _) in enumerate(wanted) if k == pair[0]), None)
        if match is None:
            continue  # the field was removed
        name, value = wanted.pop(match)
        lines.append(line if value == pair[1] else f"{name}: {value}" + ("\n" if line.endswith("\n") else ""))
    if wanted and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.extend(f"{k}: {v}\n" for k, v in wanted)
    return "".join(lines)


def _header_lines(catalog: Catalog, width: int) -> list[str]:
    head = _comment_lines("#", catalog.header_comments)
    head += _comment_lines("#.", catalog.header_extracted_comments)
    head += _reference_lines(catalog.header_references, width)
    flags = (("fuzzy",) if catalog.header_fuzzy else ()) + canonical(catalog.header_flags, True)
    if flags:
        head.append("#, " + ", ".join(flags))
    head += wrap("msgid", "", "", width)
    head += wrap("msgstr", _c(header_text(catalog)), "", width)
    return head


def dumps(catalog: Catalog, width: int = PAGE_WIDTH) -> str:
    blocks = [_header_lines(catalog, width)]
    # gettext writes obsolete entries after all active ones.
    for msg in [m for m in catalog.messages if not m.obsolete] + [m for m in catalog.messages if m.obsolete]:
        blocks.append(_message_lines(msg, width))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def write_po(catalog: Catalog, fileobj: IO[bytes], width: int = PAGE_WIDTH) -> None:
    """Serialise ``catalog`` as ``msgcat --width=79`` would."""
    fileobj.write(dumps(catalog, width).encode("utf-8", "surrogatepass"))
