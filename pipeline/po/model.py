"""The values a PO file is read into: one ``Message`` per entry, one ``Catalog`` per file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Message:
    """One catalog entry.  Comment fields hold one item per line, without the ``#`` marker.

    A plural entry (``msgid_plural``) keeps every form in ``msgstr_plural``; ``msgstr``
    is then its first form, so counting and state work on it unchanged.
    """

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    previous_msgid: str | None = None
    obsolete: bool = False
    previous_msgctxt: str | None = None
    previous_msgid_plural: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    lineno: int = field(default=0, compare=False)  # where the entry starts in the file read

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    def with_flag(self, flag: str, on: bool) -> Message:
        flags = tuple(f for f in self.flags if f != flag)
        return replace(self, flags=(flag, *flags) if on else flags)


@dataclass(frozen=True)
class Catalog:
    """A whole PO file: the header entry's comments and fields, then the messages in order.

    ``header_raw`` is the header's msgstr exactly as read; the writer keeps each of its
    lines whose field did not change, so ``Name:value`` and a last line without ``\\n``
    survive a round trip.
    """

    header: tuple[tuple[str, str], ...] = ()
    header_comments: tuple[str, ...] = ()
    header_fuzzy: bool = False
    messages: tuple[Message, ...] = field(default_factory=tuple)
    header_extracted_comments: tuple[str, ...] = ()
    header_references: tuple[str, ...] = ()
    header_flags: tuple[str, ...] = ()  # flags of the header entry other than fuzzy
    header_raw: str | None = field(default=None, compare=False)

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
