"""The JSON form of the documents and editions an export remembers (``stages/recall``).

A record is read back only through these decoders, which check every value's
type: a record another version wrote, or a damaged one, raises instead of
giving a wrong document, and ``recall`` then reads the article again.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

from ..document import Asset, Block, Container, Document, Frame, Kind, Metadata, Role
from ..editions import EditionKind, Outdated, Unapproved
from ..render import Edition, Translation


def encode_document(doc: Document) -> dict[str, Any]:
    return {"id": doc.doc_id, "source": doc.source, "metadata": list(_metadata_fields(doc.metadata)),
            "blocks": [[str(b.kind), b.text, b.line, b.translatable, str(b.role), b.level,
                        [[str(c.frame), c.key, c.start, c.label] for c in b.path], b.align, b.info]
                       for b in doc.blocks],
            "references": [list(r) for r in doc.references], "notes": list(doc.notes),
            "images": [[a.src, a.href, a.media_type, a.data.hex()] for a in doc.images]}


def _metadata_fields(meta: Metadata) -> tuple[str, ...]:
    return meta.title, meta.source_url, meta.date, meta.date_text, meta.author, meta.lang


def decode_document(data: dict[str, Any]) -> Document:
    kinds, roles, frames = _members(Kind), _members(Role), _members(Frame)  # KeyError: not a value
    blocks = []
    for k, text, line, translatable, role, level, path, align, info in data["blocks"]:
        if not (type(text) is str and type(line) is int and type(level) is int and type(align) is str
                and type(info) is str):
            raise TypeError(text)
        blocks.append(Block(kinds[k], text, line, bool(translatable), roles[role], level,
                            tuple(Container(frames[f], _int(key), _int(start), _str(label))
                                  for f, key, start, label in path) if path else (), align, info))
    return Document(_str(data["id"]), _str(data["source"]), Metadata(*map(_str, data["metadata"])), tuple(blocks),
                    tuple((_str(a), _str(b), _str(c)) for a, b, c in data["references"]),
                    tuple(map(_str, data["notes"])),
                    tuple(Asset(src=_str(s), href=_str(h), media_type=_str(m), data=bytes.fromhex(d))
                          for s, h, m, d in data["images"]))


def encode_edition(edition: Edition) -> dict[str, Any]:
    """An edition without its document (kept once, beside it); a msgid that is a block's text is kept as
    that block's place (a record holds each source text once)."""
    at: dict[str, int | str] = {}
    for n, block in enumerate(edition.doc.blocks):
        at.setdefault(block.text, n)
    return {"lang": edition.lang, "source_lang": edition.source_lang,
            "translations": [[at.get(k, k), t.text, t.approved, t.outdated] for k, t in edition.translations.items()],
            "kind": str(edition.kind), "fallback": str(edition.fallback), "outdated": str(edition.outdated),
            "contributors": list(edition.contributors), "modified": edition.modified, "project": edition.project,
            "publisher": edition.publisher, "approved_words": edition.approved_words,
            "total_words": edition.total_words, "words": list(edition.words.items()),  # in their order
            "site": edition.site}


def decode_edition(data: dict[str, Any], doc: Document) -> Edition:
    return replace(Edition(doc, _str(data["lang"]), _str(data["source_lang"])),
                   translations={_msgid(k, doc): Translation(_str(text), bool(approved), bool(outdated))
                                 for k, text, approved, outdated in data["translations"]},
                   kind=EditionKind(data["kind"]), fallback=Unapproved(data["fallback"]),
                   outdated=Outdated(data["outdated"]), contributors=tuple(map(_str, data["contributors"])),
                   modified=_str(data["modified"]), project=_str(data["project"]), publisher=_str(data["publisher"]),
                   approved_words=_int(data["approved_words"]), total_words=_int(data["total_words"]),
                   words={_str(k): _str(v) for k, v in data["words"]}, site=_str(data["site"]))


def _members(kind: type[StrEnum]) -> dict[object, Any]:
    return {member.value: member for member in kind}


def _msgid(value: object, doc: Document) -> str:
    if isinstance(value, int) and not 0 <= value < len(doc.blocks):
        raise IndexError(value)
    return doc.blocks[value].text if isinstance(value, int) else _str(value)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value
