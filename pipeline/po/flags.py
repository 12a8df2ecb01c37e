"""The ``#,`` flags gettext knows, in the order and form ``msgcat`` writes them.

msgcat keeps ``fuzzy`` only on a translated entry, one state per format language
(the last flag given wins; ``possible-`` is written plain, ``impossible-`` not at
all), a ``range:``, and ``no-wrap``; it drops every flag it does not know.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# gettext 0.21's format languages, in the order msgcat writes them (measured with msgcat).
FORMAT_ORDER = ("c", "objc", "python", "python-brace", "java", "csharp", "javascript", "scheme", "lisp",
                "elisp", "librep", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
                "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp")
_KNOWN = frozenset(FORMAT_ORDER)
_RANGE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)")


def format_states(flags: Iterable[str]) -> dict[str, str]:
    """Format language -> 'yes', 'no', 'possible' or 'impossible' (the last flag given wins)."""
    states: dict[str, str] = {}
    for flag in flags:
        if not flag.endswith("-format"):
            continue
        name, state = flag[:-7], "yes"
        for prefix, value in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
            if name.startswith(prefix) and name[len(prefix):] in _KNOWN:
                name, state = name[len(prefix):], value
                break
        if name in _KNOWN:
            states[name] = state
    return states


def canonical(flags: Iterable[str], translated: bool) -> tuple[str, ...]:
    """``flags`` as msgcat writes them for an entry (``translated``: its msgstr is not empty)."""
    flags = tuple(flags)
    if not flags:
        return flags
    return _canonical(flags, translated)


@functools.lru_cache(maxsize=1024)
def _canonical(flags: tuple[str, ...], translated: bool) -> tuple[str, ...]:
    out: list[str] = ["fuzzy"] if translated and "fuzzy" in flags else []
    states = format_states(flags)
    for name in FORMAT_ORDER:
        state = states.get(name)
        if state in ("yes", "possible"):
            out.append(f"{name}-format")
        elif state == "no":
            out.append(f"no-{name}-format")
    ranges = [m for m in map(_RANGE.fullmatch, flags) if m]
    if ranges:
        out.append(f"range: {int(ranges[-1].group(1))}..{int(ranges[-1].group(2))}")
    wraps = [f for f in flags if f in ("wrap", "no-wrap")]
    if wraps and wraps[-1] == "no-wrap":
        out.append("no-wrap")
    return tuple(out)


def checked_languages(flags: Iterable[str]) -> list[str]:
    """Languages whose format strings msgfmt -c checks for this entry."""
    return [name for name, state in format_states(flags).items() if state in ("yes", "possible")]
