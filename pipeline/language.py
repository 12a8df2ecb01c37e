"""One type for every language code: what gettext names a folder, what XHTML puts in ``lang``.

Users write languages the way their tools do: BCP 47 (``es-419``, ``pt-BR``,
``sr-Latn``, ``zh-Hant-TW``) or gettext (``pt_BR``, ``sr@latin``,
``ca@valencia``).  ``Language.parse`` reads any of them with Babel's parser,
checks that Babel knows the language, and gives the gettext form, which names
the catalogs' folder and their ``Language`` header; ``tag`` gives the BCP 47
form for ``lang`` attributes and EPUB metadata.  A ``Language`` is a ``str``
(its gettext form), so it is a dict key and a path part like any code.  Babel is
imported only when a language is first looked at, never at start-up.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .errors import ConfigError

# Codes that name no language (ISO 639-2 special codes and the private-use range) and a gettext
# modifier's script.  Babel resolves ``und`` to English; the pipeline refuses it instead.
_NO_LANGUAGE = {"und", "mul", "mis", "zxx"}
_PRIVATE = re.compile(r"^q[a-t][a-z]$")
_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva", "arabic": "Arab", "adlam": "Adlm"}
_HINT = "use a language code such as 'es', 'pt-BR', 'es-419', 'sr-Latn' or 'sr@latin'"


class Language(str):
    """A language in its gettext form (``pt_BR``, ``sr@latin``, ``zh_Hant_TW``)."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str, where: str) -> Language:
        """Any BCP 47 or gettext spelling, checked; ``where`` names the setting in the error."""
        code = str(text).strip()
        if not code:
            raise ConfigError(f"empty language code in {where}", hint=_HINT)
        parts = _parts(code)
        if parts is None:
            raise ConfigError(f"unknown language code {code!r} in {where}", hint=_HINT)
        if parts[0] in _NO_LANGUAGE or _PRIVATE.match(parts[0]):
            raise ConfigError(f"{code!r} in {where} names no language", hint=_HINT)
        language, territory, script, modifier = parts
        gettext = language + (f"_{script}" if script else "") + (f"_{territory}" if territory else "")
        gettext += f"@{modifier}" if modifier else ""
        if _locale(gettext) is None:
            raise ConfigError(f"unknown language code {code!r} in {where}", hint=_HINT)
        return cls(gettext)

    @classmethod
    def read(cls, text: str) -> Language | None:
        """A code another tool wrote (a catalog's ``Language`` header), or None where it names none."""
        try:
            return cls.parse(text, "the Language header")
        except ConfigError:
            return None

    def same(self, other: str) -> bool:
        """Whether ``other`` names this language in any spelling (``pt-BR``, ``sr_Latn`` for ``sr@latin``)."""
        found = Language.read(other)
        return found is not None and found.tag.lower() == self.tag.lower()

    @property
    def base(self) -> str:
        """The language alone (``pt`` of ``pt_BR``, ``sr`` of ``sr@latin``): what rules per language key on."""
        return re.split(r"[_@-]", self, maxsplit=1)[0].lower()

    @property
    def tag(self) -> str:
        """BCP 47 for ``lang`` attributes: ``pt-BR``, ``sr-Latn`` (from ``sr@latin``), ``ca-valencia``."""
        code, _, modifier = self.partition("@")
        tag = code.replace("_", "-")
        if modifier in _SCRIPTS:
            base, _, rest = tag.partition("-")
            return "-".join(p for p in (base, _SCRIPTS[modifier], rest) if p)
        return f"{tag}-{modifier}" if 5 <= len(modifier) <= 8 and modifier.isalnum() else tag

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left (``ar``, ``he``, ``fa``)."""
        locale = self._data()
        return locale is not None and locale.character_order == "right-to-left"

    def name(self, in_language: str | None = None) -> str:
        """The language's name, in English or in ``in_language`` (``español (Latinoamérica)``)."""
        locale = self._data()
        if locale is None:
            return str(self)
        return locale.get_display_name(str(in_language) if in_language else "en") or str(self)

    def _data(self) -> Any:
        """Babel's locale, read through the BCP 47 form so ``sr@latin`` is Serbian in Latin script."""
        return _locale(self.tag.replace("-", "_")) or _locale(self)

    def plural_forms(self) -> str:
        """The Plural-Forms header gettext wants for the language (Babel's CLDR rules)."""
        from babel.messages.plurals import get_plural

        return str(get_plural(self.partition("@")[0]).plural_forms)


def _parts(code: str) -> tuple[str, str | None, str | None, str | None] | None:
    """(language, territory, script, modifier) as Babel's parser splits them, or None."""
    from babel.core import parse_locale

    head, _, modifier = code.partition("@")
    try:
        found = parse_locale(head.replace("-", "_"))
    except ValueError:
        return None
    if modifier and not re.fullmatch(r"[A-Za-z0-9]{1,8}", modifier):
        return None
    language, territory, script, variant = found[0].lower(), found[1], found[2], found[3]
    modifier = modifier or variant or ""  # BCP 47 ca-valencia is gettext's ca@valencia
    return language, territory.upper() if territory else None, script.title() if script else None, (
        modifier.lower() or None)


@functools.lru_cache(maxsize=256)
def _locale(code: str) -> Any:
    """Babel's data for a gettext code, as written or through CLDR's aliases (``zh_TW``), or None."""
    from babel import Locale, UnknownLocaleError

    for resolve in (False, True):
        try:
            return Locale.parse(code, resolve_likely_subtags=resolve)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None
