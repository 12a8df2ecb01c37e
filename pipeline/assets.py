"""Local images an article shows, read from beside it so the book can carry them.

Only files inside the sources folder, of a type every EPUB reader shows (PNG,
JPEG, GIF, recognised by their first bytes, not their names), up to a size cap.
An image that is missing or unusable is not an error: the book shows its alt text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .document import Asset
from .errors import SourceError
from .fsutil import inside, read_inside
from .links import scheme_of

MAX_BYTES = 10 * 1024 * 1024
_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png", "png"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
          (b"GIF87a", "image/gif", "gif"), (b"GIF89a", "image/gif", "gif"))


def _sources(tokens: list[Any]) -> list[str]:
    found: list[str] = []
    for token in tokens:
        if token.type == "image":
            found.append(str(token.attrGet("src") or ""))
        if token.children:
            found += _sources(list(token.children))
    return found


def local_images(body: str, path: Path, doc_id: str) -> tuple[Asset, ...]:
    """The local images ``body`` refers to that can be packaged, in order of first use."""
    from .blocks import parser

    assets: list[Asset] = []
    seen: set[str] = set()
    for src in _sources(parser().parse(body, {})):
        if src in seen or not src or scheme_of(src) or src.startswith(("/", "#")):
            continue
        seen.add(src)
        candidate = path.parent / unquote(src.split("#")[0].split("?")[0])
        if not inside(candidate, path.parent) or not candidate.is_file():
            continue
        try:
            if candidate.stat().st_size > MAX_BYTES:
                continue
            data = read_inside(candidate, path.parent, SourceError)
        except (OSError, SourceError):
            continue
        kind = next(((media, ext) for magic, media, ext in _TYPES if data.startswith(magic)), None)
        if kind is not None:
            assets.append(Asset(src=src, href=f"images/{doc_id}-{len(assets) + 1}.{kind[1]}", media_type=kind[0],
                                data=data))
    return tuple(assets)
