"""Finding and decoding source documents, and the metadata overrides that travel with them."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .assets import local_images
from .document import Asset
from .errors import SourceError
from .fsutil import read_inside

META_KEYS = ("title", "author", "date", "source_url", "lang")
SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.toml"
_ALIASES = {"source": "source_url", "url": "source_url", "language": "lang"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SourceFormat(StrEnum):
    """How a source is written: the loose plain-text article, CommonMark, or a CMS's HTML page."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


FORMATS = {".txt": SourceFormat.TEXT, ".md": SourceFormat.MARKDOWN, ".html": SourceFormat.HTML,
           ".htm": SourceFormat.HTML}


@dataclass(frozen=True)
class SourceText:
    """A source document decoded to text, with where it came from."""

    doc_id: str
    display: str  # path as written into catalog references, relative to the project root
    text: str  # LF line endings, no BOM, front matter removed
    first_line: int = 1  # file line number of the first line of ``text``
    overrides: Mapping[str, str] = field(default_factory=dict)
    fmt: SourceFormat = SourceFormat.TEXT
    line_map: tuple[int, ...] = ()  # converted sources (HTML): file line of each line of ``text``
    title_line: int = 0  # the front matter's title line, where the title is not in the body
    assets: tuple[Asset, ...] = ()  # local images the body shows


def discover(sources_dir: Path) -> list[Path]:
    """The source documents of a project, in a stable order."""
    if not sources_dir.is_dir():
        raise SourceError("source folder does not exist", sources_dir,
                          hint="create it or fix [paths] sources in pipeline.toml")
    # Links, FIFOs and folders named like sources are kept here so that reading refuses them aloud.
    return sorted((p for p in sources_dir.glob("*") if p.suffix in SOURCE_SUFFIXES), key=lambda path: path.name)


def skipped(sources_dir: Path) -> list[Path]:
    """Entries of the sources folder that are not read, to be named once per run."""
    return sorted(p for p in sources_dir.glob("*") if p.suffix not in SOURCE_SUFFIXES
                  and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX))


def doc_id_for(path: Path) -> str:
    """The document id is the file stem; it must be safe to use as a file and folder name."""
    stem = path.stem
    if not _SAFE_ID.match(stem) or stem in (".", ".."):
        suggestion = _safe_name(stem)
        hint = "rename it to ASCII letters, digits, '.', '_' and '-' only, not starting with '-' or '.'"
        if suggestion:
            hint += f", for example {suggestion + path.suffix!r}"
        raise SourceError("file name cannot be used as a document id (it names catalogs and books)", path,
                          hint=hint)
    if stem == "collection" or stem.endswith((".bilingual", ".original", ".translation")):
        raise SourceError("file name is reserved for the books export writes", path,
                          hint="rename it: 'collection' and names ending in .bilingual, .original or "
                               ".translation name exported books")
    return stem


def _safe_name(stem: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only).strip("-._")


def decode(data: bytes, path: Path) -> str:
    """Strict UTF-8 (a BOM is dropped) with every line ending turned into LF.

    Anything else is refused, never guessed: the message names what the bytes
    look like (binary, Windows-1252, Latin-1, UTF-16, an encoded surrogate) and
    where, so nobody's catalog fills with mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        message, hint = _diagnose(data, exc.start)
        raise SourceError(message, path, lineno, hint=hint) from None
    nuls = text.count("\x00")
    if nuls > 4 and nuls * 100 > len(text):  # a stray NUL is stripped like any control character
        offset = data.index(b"\x00")
        raise SourceError(f"binary file, not text (NUL byte at byte offset {offset})", path,
                          data.count(b"\n", 0, offset) + 1, hint="only plain-text UTF-8 sources can be segmented")
    # NFC: re-saving an article in another normalisation form changes no msgid, demotes no approval.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _diagnose(data: bytes, offset: int) -> tuple[str, str]:
    """What undecodable bytes most likely are, for a message that helps fix them."""
    byte = data[offset]
    where = f"byte offset {offset}, byte 0x{byte:02X}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"UTF-16 text, not UTF-8 ({where})", "convert it: iconv -f UTF-16 -t UTF-8"
    sample = data[:65536]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20:
        return f"binary file, not text ({where})", "only plain-text UTF-8 sources can be segmented"
    if byte == 0xED and offset + 1 < len(data) and 0xA0 <= data[offset + 1] <= 0xBF:
        return (f"not valid UTF-8: an encoded UTF-16 surrogate (lone surrogate) at {where}",
                "re-export the file as UTF-8 from its source; the character at that offset is damaged")
    if all(b < 0x80 or (0xA0 <= b) for b in data):
        encoding, name = "latin-1", "Latin-1 (ISO-8859-1)"
    else:
        encoding, name = "cp1252", "Windows-1252"
    try:
        start = offset
        while start > 0 and not data[start - 1:start].isspace():
            start -= 1
        end = offset
        while end < len(data) and not data[end:end + 1].isspace():
            end += 1
        word = data[start:end].decode(encoding)
    except UnicodeDecodeError:
        return f"not valid UTF-8 ({where})", "re-save the file as UTF-8"
    iconv = "WINDOWS-1252" if encoding == "cp1252" else "ISO-8859-1"
    return (f"not valid UTF-8 ({where}): looks like {name} text ({word!r} in {name})",
            f"convert it: iconv -f {iconv} -t UTF-8 FILE > FILE.new, then replace the file")


def _parse_front_matter(text: str, path: Path) -> tuple[str, int, dict[str, str]]:
    """Split ``---`` delimited ``key: value`` lines off the top of a document."""
    if not text.startswith("---\n"):
        return text, 1, {}
    lines = text.split("\n")
    values: dict[str, str] = {}
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[index + 1:]), index + 2, values
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = _ALIASES.get(key.strip().lower(), key.strip().lower())
        if not sep or key not in META_KEYS:
            raise SourceError(f"front matter line is not one of {', '.join(META_KEYS)}: {line.strip()!r}",
                              path, index + 1, hint="write 'key: value' or remove the line")
        values[key] = value.strip()
    raise SourceError("front matter starts with '---' but never ends", path, 1,
                      hint="close it with a line holding only '---'")


def _read_sidecar(path: Path) -> dict[str, str]:
    """``<doc>.meta.toml`` beside the source: the editors' corrections to detected metadata."""
    sidecar = path.with_suffix(SIDECAR_SUFFIX)
    if not sidecar.exists() and not sidecar.is_symlink():
        return {}
    try:
        data = tomllib.loads(read_inside(sidecar, sidecar.parent, SourceError).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise SourceError(f"not valid TOML: {exc}", sidecar, int(match.group(1)) if match else None) from None
    values: dict[str, str] = {}
    for key, value in data.items():
        name = _ALIASES.get(key, key)
        if name not in META_KEYS:
            raise SourceError(f"unknown key {key!r}", sidecar, hint=f"known keys: {', '.join(META_KEYS)}")
        values[name] = str(value)
    return values


def read_source(path: Path, display: str) -> SourceText:
    """Read one document and its overrides (front matter first, then the sidecar, which wins)."""
    data = read_inside(path, path.parent, SourceError)
    text = decode(data, path)
    if not text.strip():
        raise SourceError("empty file: nothing to translate" if not text else
                          "only whitespace: nothing to translate", path,
                          hint="write the article into it, or remove the file (its catalogs are kept)")
    fmt = FORMATS.get(path.suffix.lower(), SourceFormat.TEXT)
    doc_id = doc_id_for(path)
    line_map: tuple[int, ...] = ()
    title_line = 0
    if fmt is SourceFormat.HTML:
        from .html_source import convert

        body, line_map, overrides, title_line = convert(text, path)
        first_line = 1
    elif fmt is SourceFormat.MARKDOWN:
        body, first_line, overrides, title_line = _yaml_front_matter(text, path)
    else:
        body, first_line, overrides = _parse_front_matter(text, path)
    overrides.update(_read_sidecar(path))
    assets = local_images(body, path, doc_id) if "![" in body else ()
    return SourceText(doc_id=doc_id, display=display, text=body, first_line=first_line, overrides=overrides,
                      fmt=fmt, line_map=line_map, title_line=title_line, assets=assets)


_MD_ALIASES = {**_ALIASES, "canonical": "source_url", "canonical_url": "source_url", "link": "source_url",
               "authors": "author", "published": "date"}


def _yaml_front_matter(text: str, path: Path) -> tuple[str, int, dict[str, str], int]:
    """YAML front matter of a Markdown article: known keys become metadata, the others are ignored."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return text, 1, {}, 0
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        raise SourceError("front matter starts with '---' but never ends", path, 1,
                          hint="close it with a line holding only '---'")
    import yaml

    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path,
                          mark.line + 2 if mark is not None else 1, hint="fix the YAML or remove it") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError("front matter is not a mapping of 'key: value' lines", path, 2,
                          hint="write 'title: ...', 'author: ...', 'date: ...'")
    values: dict[str, str] = {}
    title_line = 0
    for key, value in data.items():
        name = _MD_ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if name not in META_KEYS or value is None or isinstance(value, dict):
            continue
        values[name] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if name == "title":
            title_line = next((i + 1 for i, line in enumerate(lines[1:end], start=1)
                               if line.lower().startswith(f"{key}:")), 2)
    return "\n".join(lines[end + 1:]), end + 2, values, title_line
