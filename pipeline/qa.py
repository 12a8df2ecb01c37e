"""The QA checks that look at what a translation says, not only at what it counts.

Each function takes a source, its translation and the target language code and
returns what is wrong, or None.  They catch what engines really do (doubled
words, names translated as words, bold moved onto other words, Spanish
questions without ``¿``) and what pofilter catches in software strings
(printf and Python placeholders, escapes, entities).  ``checks.CHECKS`` gives
each one its name and severity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import Indel

from . import markup, names
from .language import Language

DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]+)(?:\s+|\s*,\s*)(\1)(?![\w'’-])", re.IGNORECASE)
_REFLEXIVE_PAIRS = {"fr": {"nous", "vous"}, "pt": {"se"}}
_PRINTF = r"%(?:\(\w+\)|\d+\$)?[-+0#]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdifuxXeEgGcoaAp%]"
_PYFORMAT = r"\{\{|\}\}|\{[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"
_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});"
_ESCAPE = r"\\[\\nrtbfv0\"'{}%$\[\]()*_`#<>]"
_PLACEHOLDER = re.compile(f"(?<![\\w%])(?:{_PRINTF})(?![A-Za-z])|{_PYFORMAT}|{_ENTITY}|{_ESCAPE}")
_EMPTY_STRESS = re.compile(r"(\*\*|__)\s*\1")  # delimiters the parser did not pair: shown as typed
_ANCHOR = re.compile(r"[^\W_]*[\dA-ZÀ-ÖØ-Þ][^\W_]*")
_INVERTED = {"es": True, "ast": True, "gl": True, "ca": False}  # True: required, False: optional


def _counts(pattern: re.Pattern[str], text: str) -> Counter[str]:
    return Counter(m.group(0) for m in pattern.finditer(text))


def _listed(items: Iterable[str]) -> str:
    return ", ".join(repr(item) for item in items)


def reflexive_pairs(lang: str) -> set[str]:
    """Words a language doubles by grammar (French ``nous nous``)."""
    return _REFLEXIVE_PAIRS.get(Language(lang).base, set())


def doubled_matches(text: str) -> list[re.Match[str]]:
    """Each word written twice in a row, outside URLs, link targets and code."""
    # Verbatim pieces and link closings are masked with a character that is neither a word nor a
    # space: words on either side of a URL are not "in a row".
    masked = "".join("\x00" * len(t.value) if t.kind == "keep" or (t.kind == "close" and t.mark == "a")
                     else t.value for t in markup.tokenize(text))
    return list(DOUBLED.finditer(masked))


def doubled_words(source: str, target: str, lang: str) -> str | None:
    """A word written twice in a row (``les les``, ``ciudades, ciudades``) that the source does not double.

    Rule-based engines double articles and nouns at chunk borders; French
    ``nous nous`` and ``vous vous`` are grammar, not damage.
    """
    allowed = reflexive_pairs(lang)
    budget = len(doubled_matches(source))  # the source's own doublings, translated, may stay
    extra = []
    for match in doubled_matches(target):
        if names.fold(match.group(1)) in allowed:
            continue
        if budget > 0:
            budget -= 1
        else:
            extra.append(match.group(0))
    return f"doubled word: {_listed(extra)}" if extra else None


def placeholders(source: str, target: str, lang: str) -> str | None:
    """printf (``%s``, ``%(name)s``), Python (``{name}``) placeholders, HTML entities and backslash
    escapes exactly as in the source: a translated ``{nombre}`` or an escaped ``\\{name\\}`` breaks the
    program or page that fills them in."""
    want, got = _counts(_PLACEHOLDER, source), _counts(_PLACEHOLDER, target)
    if want == got:
        return None
    parts = []
    if want - got:
        parts.append("missing " + _listed(sorted((want - got).elements())))
    if got - want:
        parts.append("added " + _listed(sorted((got - want).elements())))
    return "placeholders or escapes changed: " + "; ".join(parts)


def acronyms(source: str, target: str, lang: str) -> str | None:
    """Every acronym of the source (``ICE``, ``ILPS``) in the translation, unless the language has its
    own (``NATO`` → ``OTAN``, ``US`` → ``EE.UU.``)."""
    missing = []
    for acronym in dict.fromkeys(names.acronyms(source)):
        forms = (acronym, *names.LOCALISED_ACRONYMS.get(acronym, ()))
        if not any(re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", target) for form in forms):
            missing.append(acronym)
    return f"acronym not kept: {_listed(missing)}" if missing else None


def empty_link(source: str, target: str, lang: str) -> str | None:
    """A link or bold span with no text (``[](#)``, ``****``): readers see nothing to click or stress."""
    if _empty_links(target) > _empty_links(source):
        return "empty link text"
    if _empty_stress(target) > _empty_stress(source):
        return "empty bold text"
    return None


def _empty_links(text: str) -> int:
    tokens = markup.tokenize(text)
    return sum(1 for first, *inside, last in _link_runs(tokens)
               if not "".join(t.value for t in inside).strip())


def _link_runs(tokens: list[markup.Token]) -> list[list[markup.Token]]:
    runs, opened = [], []
    for index, token in enumerate(tokens):
        if token.kind == "open" and token.mark == "a":
            opened.append(index)
        elif token.kind == "close" and token.mark == "a" and opened:
            runs.append(tokens[opened.pop():index + 1])
    return runs


def _empty_stress(text: str) -> int:
    return sum(len(_EMPTY_STRESS.findall(t.value)) for t in markup.tokenize(text) if t.kind == "text")


def _spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """The inner (start, end) of each bold, emphasis and link span, as the parser reads them."""
    return {kind: [(inner, end) for _, inner, end, _ in found] for kind, found in markup.spans(text).items()}


def _plain_words(text: str) -> list[tuple[str, int]]:
    """Each word of a paragraph with its offset, markup characters aside."""
    return [(m.group(0), m.start()) for m in re.finditer(r"[^\W_]+", text)]


def span_content(source: str, target: str, lang: str) -> str | None:
    """Bold, emphasis and link text enclosing what the source's span encloses.

    Words that come through translation unchanged (names, numbers, acronyms)
    are anchors: one inside a source span must be inside the same span of the
    translation, one outside must stay outside.  Engines that carry tags move
    them (``said **Maria Lopez**`` → ``Maria **dicha Lopez**``).
    """
    source_spans, target_spans = _spans(source), _spans(target)
    src_words, tgt_words = _plain_words(source), _plain_words(target)
    src_count = Counter(w for w, _ in src_words)
    tgt_count = Counter(w for w, _ in tgt_words)
    anchors = {w for w, _ in src_words if _ANCHOR.fullmatch(w) and src_count[w] == 1 and tgt_count[w] == 1
               and not (w[:1].isupper() and w[1:].islower() and len(w) < 4)}
    for kind, spans in source_spans.items():
        if len(spans) != len(target_spans[kind]):
            continue  # the markup check reports a lost or added span
        for number, (src_span, tgt_span) in enumerate(zip(spans, target_spans[kind]), start=1):
            for word in sorted(anchors):
                inside_source = any(src_span[0] <= at < src_span[1] for w, at in src_words if w == word)
                inside_target = any(tgt_span[0] <= at < tgt_span[1] for w, at in tgt_words if w == word)
                if inside_source != inside_target:
                    where = "inside" if inside_source else "outside"
                    return f"{kind} span {number} moved: {word!r} is {where} it in the source"
    return None


def inverted_punctuation(source: str, target: str, lang: str) -> str | None:
    """Spanish (and Asturian, Galician) questions and exclamations open with ``¿``/``¡``; in Catalan the
    opening mark is optional, but one that is written must be closed."""
    required = _INVERTED.get(Language(lang).base)
    if required is None:
        return None
    for opener, closer in (("¿", "?"), ("¡", "!")):
        for sentence in _sentences(target, closer):
            if required and opener not in sentence and re.search(r"[^\W\d_]", sentence):
                return f"{closer} without an opening {opener}: {sentence.strip()[-40:]!r}"
        if target.count(opener) > target.count(closer):
            return f"{opener} without a closing {closer}"
    return None


def sentence_spans(text: str, closer: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ``text`` that ends with ``closer``, from the end of the previous
    sentence (a full stop or ``…`` followed by a space and a capital, ``?`` or ``!`` followed by a
    space, or a line break)."""
    found = []
    start = 0
    for match in re.finditer(r"[.…]+(?=\s+[\W]*[A-ZÀ-Þ¿¡])|[!?]+[\"'”»)*]*(?=\s|$)|\n", text):
        if closer in match.group(0):
            found.append((start, match.end()))
        start = match.end()
    if start < len(text) and text[start:].rstrip().rstrip("\"'”»)*").endswith(closer):
        found.append((start, len(text)))
    return found


def _sentences(text: str, closer: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text, closer)]


def similar_name(name: str, target: str) -> bool:
    """A name kept, allowing for accents, case, a possessive and an exonym's spelling (``Havana``,
    ``Habana``): its last word and most of the others at least 82 % similar to a capitalised word of
    the translation (a title before a name may be translated)."""
    if names.kept(name, target):
        return True
    words = [names.fold(w) for w in re.findall(r"[^\W_]+", names.possessive_free(target)) if w[0].isupper()]
    found = [any(Indel.normalized_similarity(part, word) >= 0.82 for word in words)
             for part in re.findall(r"[^\W_]+", names.fold(names.possessive_free(name)))]
    return found[-1] and sum(found) * 2 >= len(found)  # the surname, and most of the rest


def names_kept(source: str, target: str, lang: str) -> str | None:
    """Proper names of the source (``Trump``, ``Cilia Adela Flores``) present in the translation.

    Engines translate names that are also words (``Triunfo``, ``Fleurs``); the
    names are those ``pipeline.names`` protects when drafting.
    """
    found = names.candidates(source, (), names.cached_lexicon(source))
    missing = [n for n in found if n not in names.LOCALISED_ACRONYMS and not n.isupper()
               and not similar_name(n, target)]
    return f"name not kept: {_listed(missing)}" if missing else None
