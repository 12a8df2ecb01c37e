"""Who translated a catalog, by name only: credit for volunteers, never their e-mail address.

Names come from the header Poedit writes (``Last-Translator: Name <email>``) and
from the gettext credit lines of the header comment (``# Name <email>, 2026.``).
An address is never kept: a ``Last-Translator`` that is only an address credits
nobody.  A translator who wants no credit leaves the name empty in Poedit's
preferences, or the publisher lists the name or the address under
``[credits] anonymous`` in pipeline.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .po import Catalog

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_ANGLED = re.compile(r"<[^<>@]*@[^<>]*>|<\s*>")  # <address> (or the empty <> of no address); other text stays
_CREDIT_LINE = re.compile(r"^(?P<who>[^<>,]+?)\s*<(?P<email>[^<>]+@[^<>]+)>\s*,\s*(?:\d{4}\b.*)?$")
_PLACEHOLDERS = {"full name", "first author", "your name", "anonymous"}


def strip_email(text: str) -> str:
    """``Ana Revisora <ana@example.org>`` to ``Ana Revisora``; any bare address removed too."""
    without = _EMAIL.sub("", _ANGLED.sub("", text)).replace("()", "")
    return re.sub(r"\s+([,;])", r"\1", " ".join(without.split())).strip(" ,;")


def _candidates(catalog: Catalog) -> list[tuple[str, str]]:
    """(name, address) of everyone the catalog credits, Last-Translator first."""
    found = []
    # Some tools list several people: "Ana <ana@example.org>, Rui <rui@example.net>".
    for last in re.split(r"(?<=>)\s*[,;]\s*", catalog.header_value("Last-Translator").strip()):
        if last:
            address = _EMAIL.search(last)
            found.append((strip_email(last), address.group(0) if address else ""))
    for line in catalog.header_comments:
        match = _CREDIT_LINE.match(line.strip())
        if match:
            found.append((strip_email(match.group("who")), match.group("email").strip()))
    return found


def translators(catalog: Catalog, anonymous: Iterable[str] = ()) -> tuple[str, ...]:
    """The names to credit, each once, without addresses, placeholders or those who opted out."""
    hidden = {a.strip().casefold() for a in anonymous if a.strip()}
    names: list[str] = []
    for name, address in _candidates(catalog):
        if not name or name.casefold() in _PLACEHOLDERS or name.casefold() in hidden:
            continue
        if address and address.casefold() in hidden:
            continue
        if name not in names:
            names.append(name)
    return tuple(names)
