"""A pseudo-translation engine: deterministic, instant and needing no tool or model.

It marks every vowel with an acute accent (``Workers unite`` -> ``Wórkérs úníté``),
so a drafted catalog and its books show at a glance which text went through an
engine, while numbers, URLs, markup and glossary terms stay untouched.  Tests
use it to draft whole projects in milliseconds; people use it to preview a
book's layout before any real engine is installed.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import Progress

_ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


class PseudoEngine:
    """Plain texts in, the same texts with accented vowels out."""

    name = "pseudo"
    model = "accents-1"
    tagged = False

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        results = [text.translate(_ACCENTS) for text in texts]
        if progress is not None:
            progress(len(results))
        return results
