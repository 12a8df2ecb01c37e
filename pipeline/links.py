"""The one link policy, for every place a URL can appear (body, front matter, sidecar, metadata).

Live: ``http``, ``https`` and ``mailto`` URLs and anchors inside the book.  A
root-relative, protocol-relative or relative link is made absolute against the
article's source URL when there is one, otherwise it is shown as text.  Any other
scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:``, in any disguise:
entities, percent-encoding, control characters, mixed case) is never live.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote, urljoin, urlsplit

LIVE_SCHEMES = ("http", "https", "mailto")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SAFE_CHARS = "/?#[]@!$&'()*+,;=:%~-._"


def _revealed(url: str) -> str:
    """What a browser would make of the URL's start: entities and escapes undone, invisibles gone."""
    text = url
    for _ in range(3):
        text = _INVISIBLE.sub("", unquote(html.unescape(text)))
    return text


def scheme_of(url: str) -> str:
    """The scheme, lower case, as a browser would read it; "" when there is none."""
    match = _SCHEME.match(_revealed(url.strip()))
    return match.group(1).lower() if match else ""


def _encoded(url: str) -> str:
    return quote(url, safe=_SAFE_CHARS)


def safe_href(url: str, base: str = "", anchors: frozenset[str] = frozenset()) -> str | None:
    """The URL to link to, or None when it must be shown as text."""
    url = url.strip()
    if not url or _INVISIBLE.search(url.replace(" ", "")):
        return None
    if url.startswith("#"):
        return url if url[1:] in anchors else None
    scheme = scheme_of(url)
    if scheme and not _SCHEME.match(url):
        return None  # the scheme shows only once decoded: a disguise
    if scheme in ("http", "https"):
        return _encoded(url) if urlsplit(url).netloc else None
    if scheme == "mailto":
        return _encoded(url) if len(url) > len("mailto:") else None
    if scheme or ":" in url.split("/")[0]:
        return None
    base_url = safe_base(base)
    if not base_url:
        return None
    return _encoded(urljoin(base_url, url))


def safe_base(url: str) -> str:
    """An absolute http(s) URL, or "": the only kind an article's source URL may be."""
    url = url.strip()
    if not url or _INVISIBLE.search(url) or scheme_of(url) not in ("http", "https") or not _SCHEME.match(url):
        return ""
    return _encoded(url) if urlsplit(url).netloc else ""
