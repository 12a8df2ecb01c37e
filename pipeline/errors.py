"""Domain errors.  Library code raises these; only ``cli`` turns them into messages."""

from __future__ import annotations

import unicodedata
from pathlib import Path

_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` with control and bidi-override characters escaped: no message forges lines or colours."""
    return "".join(ch if unicodedata.category(ch) != "Cc" and ch not in _BIDI
                   else repr(ch)[1:-1] if ch in "\n\r\t" or ord(ch) < 256 else f"\\u{ord(ch):04x}"
                   for ch in text)


class PipelineError(Exception):
    """Base class: a problem the user can act on, never a bug."""

    def __init__(self, message: str, path: Path | str | None = None, lineno: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.lineno = lineno
        self.hint = hint

    def __reduce__(self) -> tuple[type[PipelineError], tuple[str, Path | str | None, int | None, str | None]]:
        """Errors cross process boundaries (parallel segmenting) with their path, line and hint."""
        return self.__class__, (self.message, self.path, self.lineno, self.hint)

    def but(self, *, message: str | None = None, path: Path | str | None = None,
            lineno: int | None = None) -> PipelineError:
        """A copy of this error with another message or place: errors are values, never edited in place."""
        return self.__class__(self.message if message is None else message,
                              self.path if path is None else path,
                              self.lineno if lineno is None else lineno, self.hint)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.lineno}: " if self.lineno else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)


class ConfigError(PipelineError):
    """pipeline.toml is missing, malformed or names something unknown."""


class SourceError(PipelineError):
    """A source document cannot be read or segmented."""


class CatalogError(PipelineError):
    """A PO or POT file cannot be parsed or would be overwritten unsafely."""


class EngineError(PipelineError):
    """A translation engine is missing, misconfigured or failed."""


class ModelError(PipelineError):
    """An argos model archive cannot be installed or downloaded."""


class ConflictError(PipelineError):
    """A file changed on disk while a run was working on it; the other writer wins."""


class WriteError(PipelineError):
    """A file cannot be written: full disk, read-only, permission, or not a file the pipeline owns."""


class BusyError(PipelineError):
    """Another run holds the project lock."""


def decode_utf8(data: bytes, path: Path | str, error: type[PipelineError], hint: str) -> str:
    """UTF-8 text without a BOM, or ``error`` naming the line and byte offset of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        raise error(f"not valid UTF-8 (byte offset {exc.start})", path, lineno, hint=hint) from None
