"""Which language a document is written in: declared, by a rule of pipeline.toml, or read from its text.

An article says its language in its front matter (``lang: es``), in its HTML
(``<html lang>``, ``content-language``), in a ``Language:`` line of a plain-text
header or in its sidecar; a ``[source_languages]`` rule of pipeline.toml names
the language of files by pattern.  Where nothing is said, py3langid (a
maintained identifier that ships its model) reads the text, narrowing the
choice to the publication's languages where it is unsure; a text too short or
too unclear to tell is taken to be in ``source_language``.  A declaration the text plainly contradicts is kept, and
said.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .config import Config
from .document import Document
from .errors import ConfigError
from .inline import to_plain
from .language import Language

SURE = 0.90  # the identifier's probability below which the text is not trusted to tell
DISAGREE = 0.99  # a declaration is questioned only when the text says otherwise this clearly
MIN_WORDS = 8  # fewer words than this cannot be told apart
_SAMPLE = 6000  # characters of body text the identifier reads


class Decided(StrEnum):
    """How the language of a document was decided."""

    DECLARED = "declared"  # front matter, <html lang>, a Language: header line or the sidecar
    RULE = "rule"  # a [source_languages] pattern of pipeline.toml
    IDENTIFIED = "identified"  # from the text, with the identifier's confidence
    DEFAULT = "default"  # nothing declared and the text too short or unclear: source_language


@dataclass(frozen=True, kw_only=True)
class DocumentLanguage:
    """A document's language, how it was decided, and what the text itself suggests."""

    lang: Language
    how: Decided
    confidence: float | None = None  # the identifier's probability for ``lang`` (or for what it read)
    disagrees: Language | None = None  # the language the text reads as, where a declaration differs
    sample: str = ""  # a digest of the text the identifier read (with the publication's languages)
    read: tuple[str, float] | None = None  # what it read there, kept so the same text is not read twice

    def describe(self) -> str:
        """``fr (identified, 99%)``, ``es (declared)``: what ``status`` shows."""
        sure = f", {self.confidence:.0%}" if self.confidence is not None else ""
        return f"{self.lang} ({self.how}{sure})"


def decide(doc: Document, config: Config, remembered: Mapping[str, tuple[str, float]] | None = None
           ) -> DocumentLanguage:
    """The language ``doc`` is written in (see the module's docstring for the order of rules).

    ``remembered``: what the identifier read in earlier runs, by ``sample`` digest; the model
    (a second to load) is read only for a text it has not seen.
    """
    sample = _sample(doc)
    digest = hashlib.sha256("\n".join([*config.languages, sample]).encode("utf-8")).hexdigest()[:24]
    known = (remembered or {}).get(digest)
    found = (Language(known[0]), known[1]) if known else identify(sample, config.languages)
    read = (str(found[0]), found[1]) if found else None
    declared = _declared(doc, config)
    if declared is not None:
        lang = publication_language(declared[0], config.languages)
        differs = found is not None and found[1] >= DISAGREE and not lang.same(found[0])
        return DocumentLanguage(lang=lang, how=declared[1], disagrees=found[0] if differs and found else None,
                                sample=digest, read=read)
    if found is not None and found[1] >= SURE:
        return DocumentLanguage(lang=found[0], how=Decided.IDENTIFIED, confidence=found[1], sample=digest, read=read)
    return DocumentLanguage(lang=config.source_language, how=Decided.DEFAULT,
                            confidence=found[1] if found else None, sample=digest, read=read)


def publication_language(lang: Language, languages: tuple[Language, ...]) -> Language:
    """A declared language as the publication names it: ``pt-BR`` is the publication's ``pt`` where
    it has no ``pt_BR`` (and ``es`` its ``es_419`` where that is its only Spanish)."""
    exact = next((known for known in languages if known.same(lang)), None)
    if exact is not None:
        return exact
    return next((known for known in languages if known.base == lang.base), lang)


def _declared(doc: Document, config: Config) -> tuple[Language, Decided] | None:
    if doc.metadata.lang:
        return _named(doc.metadata.lang, doc.source, config), Decided.DECLARED
    name = doc.source.rsplit("/", 1)[-1]
    for pattern, lang in config.source_rules:
        if fnmatch.fnmatchcase(name, pattern):
            return lang, Decided.RULE
    return None


def _named(text: str, where: str, config: Config) -> Language:
    """A declared code (``es``, ``pt-BR``) or a language's name in English or in itself (``Spanish``,
    ``español``) among the publication's languages."""
    try:
        return Language.parse(text, f"{where}: lang")
    except ConfigError:
        folded = text.strip().casefold()
        for lang in config.languages:
            if folded in (lang.name().casefold(), lang.name(lang).casefold(), lang.base):
                return lang
        raise


def _sample(doc: Document) -> str:
    """The body's words as readers see them, titles and paragraphs first."""
    parts, size = [], 0
    for block in doc.translatable():
        text = to_plain(block.text)
        parts.append(text)
        size += len(text)
        if size > _SAMPLE:
            break
    return "\n".join(parts)[:_SAMPLE]


def identify(text: str, among: tuple[Language, ...]) -> tuple[Language, float] | None:
    """The language of ``text`` and the identifier's probability; None for too few words.

    The whole model reads first, so a German article in an English and Spanish
    publication is German; where it is unsure, the choice is narrowed to the
    publication's languages (``among``), which short texts tell apart better.
    """
    if len(text.split()) < MIN_WORDS:
        return None
    code, probability = _model().classify(text)
    if probability >= SURE:
        found = Language.read(str(code))
        if found is not None:
            return publication_language(found, among), float(probability)
    by_base = {lang.base: lang for lang in reversed(among)}  # the first-listed variant of a language wins
    known = [base for base in by_base if base in _identifier_languages()]
    if len(known) < 2:
        return (by_base[known[0]], float(probability)) if known else None
    code, probability = _identifier(tuple(sorted(known))).classify(text)
    return by_base[str(code)], float(probability)


@functools.cache
def _identifier_languages() -> frozenset[str]:
    return frozenset(_model().nb_classes)


@functools.cache
def _model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def _identifier(languages: tuple[str, ...]) -> Any:
    """The identifier restricted to ``languages`` (its probabilities then compare only those)."""
    import copy

    identifier = copy.copy(_model())
    identifier.set_languages(list(languages))
    return identifier
