"""Damage engines do to a draft, repaired before a reviewer ever sees it.

Rule-based engines double a word where two chunks meet (``les les EE.UU.``,
``ciudades, ciudades``) and drop Spanish opening marks (``Qué pasa?``).  Both
are repaired only when the source proves them wrong: a doubling the source
does not have is removed, and ``¿``/``¡`` is added only to a sentence that
ends with ``?``/``!`` when the source asks or exclaims too.  A bold or
emphasis span moved off a name or a number is put back around it; a span that
cannot be put back with certainty is reported in the draft's translator
comment.
"""

from __future__ import annotations

import re

from . import markup, names, qa
from .language import Language

_OPENERS = {"?": "¿", "!": "¡"}
_INVERTED_LANGUAGES = ("es", "ast", "gl")  # Catalan writes them only in long sentences: left alone
_LEAD = re.compile(r"^[\s\"'“‘«(\[*_]*")


def remove_doubled(source: str, draft: str, lang: str) -> tuple[str, list[str]]:
    """``draft`` without the doubled words the source does not have, and which were removed."""
    allowed = qa.reflexive_pairs(lang)
    budget = len(qa.doubled_matches(source))  # the source's own doublings, translated, stay
    removed: list[str] = []
    out, pos = [], 0
    for match in qa.doubled_matches(draft):
        if names.fold(match.group(1)) in allowed or _names_side_by_side(match.group(0), source, draft):
            continue
        if budget > 0:
            budget -= 1
            continue
        out.append(draft[pos:match.start()] + draft[match.start(1):match.end(1)])
        pos = match.end()
        removed.append(match.group(1))
    return "".join(out) + draft[pos:], removed


def _names_side_by_side(doubled: str, source: str, draft: str) -> bool:
    """Two of the source's own occurrences of a name next to each other (``Maduro Maduro`` where the
    source names Maduro twice, apart): the engine moved them together, it did not double one."""
    words = doubled.split()
    if not all(w[:1].isupper() for w in words):
        return False
    return _occurrences(words[0], draft) <= _occurrences(words[0], source)


def _occurrences(word: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def add_inverted(source: str, draft: str, lang: str) -> tuple[str, list[str]]:
    """Spanish ``¿``/``¡`` at the start of each question or exclamation that lacks it."""
    if Language(lang).base not in _INVERTED_LANGUAGES:
        return draft, []
    added: list[str] = []
    out = draft
    for closer, opener in _OPENERS.items():
        if closer not in source:
            continue
        offset = 0
        for start, end in qa.sentence_spans(out, closer):
            start += offset
            end += offset
            sentence = out[start:end]
            if opener in sentence or not re.search(r"[^\W\d_]", sentence):
                continue
            colon = max(sentence.rfind(": "), sentence.rfind("; "))  # "Title: ¿question?"
            if colon >= 0 and re.search(r"[^\W\d_]", sentence[colon:]):
                start, sentence = start + colon + 2, sentence[colon + 2:]
            lead = _LEAD.match(sentence)
            at = start + (lead.end() if lead else 0)
            out = out[:at] + opener + out[at:]
            offset += len(opener)
            added.append(opener)
    return out, added


def fix_spans(source: str, draft: str, lang: str) -> tuple[str, list[str]]:
    """A bold, emphasis or link span the engine moved, put back around what it enclosed in the source.

    Only a span whose whole text came through unchanged (a name, a number, an
    acronym: ``**Maria Lopez**`` → ``Maria **dicha Lopez**``, ``[ILPS](u) said``
    → ``dijo [la ILPS](u)``) can be put back with certainty, and only when the
    draft has one span of that kind and that text once; anything else is left
    as it is and reported.  Spans are read by the one inline reader
    (``markup.spans``); the draft keeps its own markers and link target.
    """
    fixed: list[str] = []
    for kind in ("bold", "emphasis", "link"):
        source_spans, draft_spans = markup.spans(source)[kind], markup.spans(draft)[kind]
        if len(source_spans) != 1 or len(draft_spans) != 1:
            continue
        _, inner_start, inner_end, _ = source_spans[0]
        start, found_start, found_end, end = draft_spans[0]
        inner, found = source[inner_start:inner_end], draft[found_start:found_end]
        if found == inner or qa.span_content(source, draft, lang) is None:
            continue
        opening, closing = draft[start:found_start], draft[found_end:end]
        plain = draft[:start] + found + draft[end:]
        if plain.count(inner) != 1:
            continue
        at = plain.index(inner)
        candidate = plain[:at] + opening + inner + closing + plain[at + len(inner):]
        if qa.span_content(source, candidate, lang) is None:
            draft = candidate
            fixed.append(f"{opening}{inner}{closing}")
    return draft, fixed


def after_engine(source: str, draft: str, lang: str, spans: bool = True) -> tuple[str, tuple[str, ...]]:
    """The repaired draft and the notes a reviewer should read about what could not be repaired.

    ``spans``: whether the engine placed the markup itself (apertium's tags);
    a draft rebuilt around the markup piece by piece cannot have moved it.
    """
    text, _ = remove_doubled(source, draft, lang)
    text, _ = add_inverted(source, text, lang)
    if spans:
        text, _ = fix_spans(source, text, lang)
    moved = qa.span_content(source, text, lang) if spans else None
    return text, ((f"{moved}; check what the span encloses",) if moved else ())
