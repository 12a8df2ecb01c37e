"""A book's package metadata, read off the pages it was rendered into, so that it tells the truth.

Languages, accessibility modes and the summary are not what an edition was
meant to contain but what its pages do contain: a translation whose paragraphs
partly fall back to the original declares both languages, one with images
declares a visual mode.  The conformance claim (EPUB Accessibility 1.1, WCAG 2.2
AA) is made only where the checks that can be made here pass; Ace by DAISY,
axe-core and EPUBCheck confirm it in the slow tests (tests/test_readers.py).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .labels import group, has_labels
from .language import Language

if TYPE_CHECKING:
    from .render import Edition

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WORD = re.compile(r"\w*[^\W\d_]\w*")

def nav_labels(lang: str, words: Mapping[str, str] | None = None) -> dict[str, str]:
    """What the navigation document and title page call their parts (the product's catalogs)."""
    return group(lang, "nav.", words)


@dataclass(frozen=True, kw_only=True)
class PageFacts:
    """What a book's content documents contain, counted from their XHTML."""

    words: Mapping[str, int] = field(default_factory=dict)  # by BCP 47 code, in order of first use
    images: int = 0
    images_without_alt: int = 0
    pages_without_lang: int = 0
    untranslated: bool = False  # an original paragraph stands in for a translation
    drafts: bool = False  # an unreviewed machine draft is shown


def read_pages(pages: Iterable[bytes]) -> PageFacts:
    """Count words per language (``lang`` inherited as a reader's engine does), images and markers."""
    return combined(read_page(data) for data in pages)


def read_page(data: bytes) -> PageFacts:
    """``read_pages`` of one page: a collection keeps each chapter's, so an unchanged one is not read."""
    words: dict[str, int] = {}
    images = without_alt = 0
    classes: set[str] = set()
    root = ET.fromstring(data)
    page_lang = root.get(_XML_LANG) or root.get("lang") or ""
    body = root.find(f"{_XHTML}body")
    stack = [(body, page_lang)] if body is not None else []
    while stack:
        element, inherited = stack.pop()
        lang = element.get(_XML_LANG) or element.get("lang") or inherited
        classes.update(element.get("class", "").split())
        if element.tag == f"{_XHTML}img":
            images += 1
            without_alt += not (element.get("alt") or "").strip()
        _count(words, lang, element.text)
        for child in element:
            _count(words, lang, child.tail)
        stack.extend((child, lang) for child in reversed(element))
    return PageFacts(words=words, images=images, images_without_alt=without_alt, pages_without_lang=int(not page_lang),
                     untranslated="untranslated" in classes, drafts="draft" in classes)


def combined(facts: Iterable[PageFacts]) -> PageFacts:
    """The facts of pages read one after the other (languages in order of first use)."""
    words: dict[str, int] = {}
    images = without_alt = without_lang = 0
    untranslated = drafts = False
    for page in facts:
        for lang, count in page.words.items():
            words[lang] = words.get(lang, 0) + count
        images += page.images
        without_alt += page.images_without_alt
        without_lang += page.pages_without_lang
        untranslated, drafts = untranslated or page.untranslated, drafts or page.drafts
    return PageFacts(words=words, images=images, images_without_alt=without_alt, pages_without_lang=without_lang,
                     untranslated=untranslated, drafts=drafts)


def facts_record(facts: PageFacts) -> list[object]:
    """Page facts as JSON, to be kept with a chapter's outline."""
    return [list(facts.words.items()), facts.images, facts.images_without_alt, facts.pages_without_lang,
            facts.untranslated, facts.drafts]


def facts_from_record(record: object) -> PageFacts | None:
    """``facts_record`` read back; None where it is not one."""
    if not isinstance(record, list) or len(record) != 6 or not isinstance(record[0], list):
        return None
    try:
        counted = {str(lang): int(n) for lang, n in record[0]}
        return PageFacts(words=counted, images=int(record[1]), images_without_alt=int(record[2]),
                         pages_without_lang=int(record[3]), untranslated=bool(record[4]), drafts=bool(record[5]))
    except (TypeError, ValueError):
        return None


def _count(words: dict[str, int], lang: str, text: str | None) -> None:
    found = len(_WORD.findall(text or ""))
    if found:
        words[lang] = words.get(lang, 0) + found


def languages(facts: PageFacts, main: str, *, bilingual: bool = False) -> list[str]:
    """Every language the pages contain, most words first (the edition's own language wins a tie).

    A bilingual edition is made for readers of its own language and holds the
    other one by design: its own language leads whatever the counts say.
    """
    order = list(facts.words)
    ranked = sorted(order, key=lambda code: (not (bilingual and code == main), -facts.words[code],
                                             code != main, order.index(code)))
    return ranked or [main]


def conforms(facts: PageFacts) -> bool:
    """What can be checked here of WCAG 2.2 AA: every page has a language, every image an alternative."""
    return facts.pages_without_lang == 0 and facts.images_without_alt == 0


def summary(facts: PageFacts, *, lang: str, kind: str, articles: int, collection: bool,
            fallback: str, percent: float | None, words: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The accessibility summary of this edition and the language it is written in (``words``: the
    project's own drafts of the product's words, for a language the product does not ship)."""
    code = Language(lang).base
    text_lang = code if has_labels(code) or words else "en"
    say = group(text_lang, "summary.", words)
    what = say["collection"].format(n=articles) if collection else say["article"]
    parts = [say["nav"].format(what=what), say["alt"] if facts.images else say["text_only"]]
    if kind == "bilingual":
        parts.append(say["bilingual"])
    elif kind == "translation" and percent is not None:
        if facts.untranslated:
            parts.append(say["untranslated"])
        if facts.drafts:
            parts.append(say["drafts"])
        if percent >= 100.0 and not facts.untranslated and not facts.drafts:
            parts.append(say["complete"])
        elif fallback == "nothing":
            parts.append(say["omitted"])
    return " ".join(parts), Language(lang).tag if text_lang == code else "en"


def access(facts: PageFacts) -> dict[str, list[str]]:
    """schema.org access modes, features and hazards that hold for these pages."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if facts.images and not facts.images_without_alt:
        features.append("alternativeText")
    return {
        "modes": ["textual"] + (["visual"] if facts.images else []),
        "sufficient": ["textual"] if not facts.images_without_alt else ["textual,visual"],
        "features": features,
        "hazards": ["none"] if not facts.images else ["noSoundHazard", "noMotionSimulationHazard"],
    }


def creators(editions: Sequence[Edition], publisher: str) -> list[str]:
    """Every article's author, in order; the publisher stands for any article that names none."""
    names = [e.doc.metadata.author or publisher for e in editions]
    return [name for name in dict.fromkeys(names) if name]


def identifiers(editions: Sequence[Edition], collection: bool) -> tuple[str, str]:
    """The package's ``urn:uuid`` and the same UUID under a scheme Calibre keeps (it drops ``uuid``)."""
    first = editions[0]
    key = "collection" if collection else first.doc.doc_id
    suffix = "" if first.kind in ("translation", "original") else f"/{first.kind}"
    value = str(uuid.uuid5(uuid.NAMESPACE_URL, f"pipeline:{first.project}/{key}/{first.lang}{suffix}"))
    return f"urn:uuid:{value}", f"pipeline:{value}"


def package_context(editions: Sequence[Edition], *, title: str, collection: bool, facts: PageFacts,
                    publisher: str, description: str, percent: float | None) -> dict[str, object]:
    """Everything content.opf says about the book besides its files (``facts``: read off its pages)."""
    first = editions[0]
    text, text_lang = summary(facts, lang=first.lang, kind=first.kind, articles=len(editions),
                              collection=collection, fallback=first.fallback, percent=percent,
                              words=first.words or None)
    identifier, kept_identifier = identifiers(editions, collection)
    dates = sorted(e.doc.metadata.date for e in editions if e.doc.metadata.date)
    return {
        "identifier": identifier, "kept_identifier": kept_identifier, "title": title,
        "languages": languages(facts, Language(first.lang).tag, bilingual=first.kind == "bilingual"),
        "creators": creators(editions, publisher), "publisher": publisher,
        "date_iso": dates[-1] if dates else "",
        "sources": list(dict.fromkeys(e.doc.metadata.source_url for e in editions if e.doc.metadata.source_url)),
        "contributors": list(dict.fromkeys(c for e in editions for c in e.contributors)),
        "description": description,
        "modified": max(e.modified for e in editions),
        "summary": text, "summary_lang": text_lang if text_lang != Language(first.lang).tag else "",
        "access": access(facts), "conforms_to": CONFORMANCE if conforms(facts) else "",
    }
