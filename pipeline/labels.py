"""The product's own words in books and on the web: notices, byline, credits, draft and outdated labels,
the navigation's names and the accessibility summary.

Each message has a key (its gettext context) and its English text here; the
translations are gettext catalogs shipped with the product,
``pipeline/locale/<lang>/LC_MESSAGES/pipeline.po``, complete for es, pt, fr and
ar, extracted and updated with Babel (``scripts/labels.sh``) and edited in
Poedit like any catalog.  A language without a shipped catalog gets English
words, each page marking them as English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from .language import Language

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "pipeline"


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 (gettext's marker name)
    """Marks a message for extraction (``pybabel extract -k NP_:1c,2``): its key and its English text."""
    return context, message


MESSAGES: dict[str, str] = dict([
    NP_("notice_none", "Machine-drafted translation, not yet reviewed: paragraphs not yet translated are"
                       " shown in the original."),
    NP_("notice_all", "Translation reviewed and approved by volunteers."),
    NP_("outdated", "This translation was approved for an earlier version of the paragraph; its "
                    "review is pending."),
    NP_("by", "By"),
    NP_("translators", "Translated by {names}"),
    NP_("source", "Original"),
    NP_("contents", "Contents"),
    NP_("collection", "Collected articles"),
    NP_("draft", "Unreviewed machine translation:"),
    NP_("notice", "Machine-drafted translation, reviewed by volunteers: {percent}% approved."),
    NP_("a11y", "Text-only article with a table of contents and headings for navigation; "
                "paragraphs not yet translated are marked with their own language."),
    NP_("nav.landmarks", "Landmarks"),
    NP_("nav.title_page", "Title page"),
    NP_("nav.start", "Start of the text"),
    NP_("summary.article", "An article"),
    NP_("summary.collection", "A collection of {n} articles"),
    NP_("summary.nav", "{what} with a table of contents, headings and landmarks for navigation."),
    NP_("summary.text_only", "Text only: no images, audio or video."),
    NP_("summary.alt", "Every image has a text alternative."),
    NP_("summary.complete", "Every paragraph is a reviewed translation."),
    NP_("summary.untranslated", "Paragraphs not yet translated are shown in the original language, marked as "
                                "such."),
    NP_("summary.drafts", "Unreviewed machine translations are labelled as such."),
    NP_("summary.omitted", "Paragraphs not yet translated are left out."),
    NP_("summary.bilingual", "Each original paragraph is followed by its reviewed translation where there is "
                             "one; each is marked with its language."),
    NP_("site.languages", "Languages"),
    NP_("site.choose", "Choose a language"),
    NP_("site.home", "All languages"),
    NP_("site.intro", "Articles and their translations, to read online or to download as EPUB books."),
    NP_("site.everything", "Every book, by language"),
    NP_("site.in_language", "Articles in {language}"),
    NP_("site.collections", "Collections"),
    NP_("site.originals", "Written in {language}"),
    NP_("site.translations", "Translations"),
    NP_("site.unreviewed", "Not yet reviewed"),
    NP_("site.unreviewed_note", "Machine-drafted translations that no volunteer has reviewed yet."),
    NP_("site.status_none", "Not yet reviewed"),
    NP_("site.status_all", "Reviewed and approved"),
    NP_("site.status_share", "{percent}% approved"),
    NP_("site.translation", "Translation"),
    NP_("site.bilingual", "Bilingual edition"),
    NP_("site.epub", "{edition} (EPUB)"),
    NP_("site.editions", "Editions"),
    NP_("site.other_languages", "In other languages"),
    NP_("site.original_title", "original title, in {language}"),
    NP_("site.all_articles", "All articles in {language}"),
    NP_("site.about_none", "Not yet reviewed: no volunteer has approved any of this machine-drafted "
                           "translation yet."),
    NP_("site.about_share", "Volunteers have reviewed and approved {percent}%: the rest of this "
                            "translation waits for review."),
    NP_("site.about_all", "Every paragraph of this translation has been reviewed and approved by volunteers."),
    NP_("site.about_original", "This is the article as it was written, in {language}."),
])


def template() -> Path:
    """The product's messages as gettext extracts them (``scripts/labels.sh``)."""
    return LOCALE / f"{DOMAIN}.pot"


def project_catalog(i18n_dir: Path, lang: str) -> Path:
    """Where a project keeps the product's words for a language the product does not ship:
    ``i18n/labels/<lang>.po``, drafted by ``translate`` and reviewed like any catalog."""
    return i18n_dir / "labels" / f"{lang}.po"


def words_for(lang: str, i18n_dir: Path | None = None) -> dict[str, str]:
    """The words a book in ``lang`` uses: the shipped catalog; else the project's own catalog of them
    (approved translations and drafts alike: they are in the book's language, and the notice says the
    book is machine-drafted); else English.  An entry whose ``{fields}`` differ from the English is
    never used: it would break the sentence it fills."""
    if has_labels(lang) or i18n_dir is None:
        return labels_for(lang)
    path = project_catalog(i18n_dir, lang)
    return _project_words(path, path.stat().st_mtime_ns if path.is_file() else 0)


@functools.cache
def _project_words(path: Path, stamp: int) -> dict[str, str]:
    from .errors import CatalogError
    from .po import load_po

    words = dict(MESSAGES)
    if not stamp:
        return words
    try:
        catalog = load_po(path)
    except CatalogError:
        return words  # the catalog's own error is reported where it is translated and checked
    for msg in catalog.active():
        if msg.msgctxt in words and msg.msgstr and _fields(msg.msgstr) == _fields(msg.msgid):
            words[msg.msgctxt] = msg.msgstr
    return words


def _fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{\w*\}", text))


def catalog_path(lang: str) -> Path | None:
    """The shipped catalog for ``lang`` (``pt_BR`` falls back to ``pt``), or None."""
    for name in dict.fromkeys((str(lang), Language(lang).base)):
        path = LOCALE / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def has_labels(lang: str) -> bool:
    """Whether the product speaks ``lang`` (a shipped catalog); otherwise its words are English."""
    return catalog_path(lang) is not None


@functools.cache
def labels_for(lang: str) -> dict[str, str]:
    """Every message by key in ``lang``: the shipped catalog's approved translations, else English."""
    from .po import load_po

    words = dict(MESSAGES)
    path = catalog_path(lang)
    if path is not None:
        for msg in load_po(path).active():
            if msg.msgctxt in words and msg.msgstr and not msg.fuzzy:
                words[msg.msgctxt] = msg.msgstr
    return words


def group(lang: str, prefix: str, words: Mapping[str, str] | None = None) -> dict[str, str]:
    """The messages of one part (``nav.``, ``summary.``) without their prefix (``words``: a project's own)."""
    return {key[len(prefix):]: text for key, text in (words or labels_for(lang)).items() if key.startswith(prefix)}


def notice(lang: str, percent: float, words: Mapping[str, str] | None = None) -> str:
    """What is true of a translation edition: unreviewed at 0%, reviewed at 100%, the share between."""
    labels = words or labels_for(lang)
    if round(percent) <= 0:
        return labels["notice_none"]
    if percent >= 100:
        return labels["notice_all"]
    return labels["notice"].format(percent=max(1, min(99, round(percent))))
