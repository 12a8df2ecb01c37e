"""What a book can be, and what its readers see where a translation is missing or outdated.

The values are what users type (``--edition bilingual``, ``--unapproved draft``,
``--outdated original``) and what names the books (``<doc>.bilingual.epub``).
"""

from __future__ import annotations

from enum import StrEnum


class EditionKind(StrEnum):
    """The editions of one article; a collection gathers every article of one language."""

    TRANSLATION = "translation"
    BILINGUAL = "bilingual"  # each original paragraph followed by its translation
    ORIGINAL = "original"
    COLLECTION = "collection"


class Unapproved(StrEnum):
    """What a reader sees where no reviewer approved a translation."""

    ORIGINAL = "original"  # the source paragraph, marked as untranslated
    DRAFT = "draft"  # the machine draft, labelled as one
    NOTHING = "nothing"  # the paragraph is left out


class Outdated(StrEnum):
    """What a reader sees of a translation approved before its source changed."""

    KEEP = "keep"  # the reviewer's text, marked † and explained in the notice
    ORIGINAL = "original"  # the new source paragraph instead


ARTICLE_EDITIONS = (EditionKind.TRANSLATION, EditionKind.BILINGUAL, EditionKind.ORIGINAL)
