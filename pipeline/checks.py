"""Quality checks on translations before publishing, in the spirit of pofilter and Weblate.

Each check compares one source text with its translation and returns what is
wrong, or None.  Errors break the published text (lost links, changed
figures); warnings deserve a reviewer's look.  ``export --strict`` withholds
entries that fail an error check.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from . import markup, names, qa
from .catalog import state
from .glossary import Glossary
from .language import Language
from .po import Catalog

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]|[\w.+-]+@[\w-]+\.[\w.-]+\w")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("«", "»"), ("“", "”"))


class Severity(StrEnum):
    """An error withholds an approved entry under ``export --strict`` and fails ``check``; a warning is advice."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    summary: str
    test: Callable[[str, str], str | None] | None = None
    by_language: Callable[[str, str, str], str | None] | None = None  # (source, target, lang)

    def run(self, source: str, target: str, lang: str) -> str | None:
        if self.by_language is not None:
            return self.by_language(source, target, lang)
        return self.test(source, target) if self.test is not None else None


@dataclass(frozen=True)
class Problem:
    path: str
    lineno: int
    check: Check
    message: str
    msgid: str
    entry_state: str

    def __str__(self) -> str:
        excerpt = self.msgid if len(self.msgid) <= 50 else self.msgid[:49] + "…"
        return (f"{self.path}:{self.lineno}: {self.check.severity} [{self.check.name}] {self.message} "
                f"({self.entry_state}: {excerpt!r})")


def _differ(label: str, source: Iterable[str], target: Iterable[str]) -> str | None:
    want, got = Counter(source), Counter(target)
    if want == got:
        return None
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("added " + ", ".join(extra))
    return f"{label}: {'; '.join(parts)}"


def _marks(text: str) -> list[str]:
    """The markup of a unit as the one inline tokenizer (``markup.tokenize``) reads it: bold and
    emphasis (``**``/``__`` alike), link targets, and what must stay verbatim (code, images, notes)."""
    found = []
    for token in markup.tokenize(text):
        if token.kind == "open" and token.mark == "a":
            found.append(f"[…]({token.target})")
        elif token.kind == "open":
            found.append("**…**" if token.mark == "b" else "*…*")
        elif token.kind == "keep" and token.value.startswith(("`", "![", "[^", "^[")):
            found.append(token.value)
    return found


def _markup(source: str, target: str) -> str | None:
    return _differ("markup not preserved", _marks(source), _marks(target))


def _urls(source: str, target: str) -> str | None:
    return _differ("URLs or e-mail addresses changed", _addresses(source), _addresses(target))


def _addresses(text: str) -> list[str]:
    """Every URL and e-mail address of a unit, in its text or as a link's target (one tokenizer)."""
    found = []
    for token in markup.tokenize(text):
        if token.kind == "keep" and _URL.fullmatch(token.value.strip("<>").removeprefix("mailto:")):
            found.append(token.value.strip("<>").removeprefix("mailto:"))
        elif token.kind == "open" and token.mark == "a" and _URL.fullmatch(token.target.removeprefix("mailto:")):
            found.append(token.target.removeprefix("mailto:"))
    return found


def _numbers(source: str, target: str) -> str | None:
    def values(text: str) -> list[str]:
        # Only the words a reader reads: URLs, link targets, code and note references are the
        # markup and urls checks' business.
        prose = " ".join(t.value for t in markup.tokenize(text) if t.kind == "text")
        return [re.sub(r"\D", "", n).lstrip("0") or "0" for n in _NUMBER.findall(prose)]

    return _differ("numbers or dates changed", values(source), values(target))


def _brackets(source: str, target: str) -> str | None:
    for left, right in _PAIRS:
        if source.count(left) == source.count(right) and target.count(left) != target.count(right):
            return f"unbalanced {left}{right}: {target.count(left)} opening, {target.count(right)} closing"
    if source.count('"') % 2 == 0 and target.count('"') % 2:
        return 'unbalanced " quotes'
    return None


def _newlines(source: str, target: str) -> str | None:
    if source.count("\n") != target.count("\n"):
        return f"{source.count(chr(10))} line breaks in the source, {target.count(chr(10))} in the translation"
    if source.endswith("\n") != target.endswith("\n") or source.startswith("\n") != target.startswith("\n"):
        return "the translation must start and end with a line break exactly where the source does"
    return None


def _edges(source: str, target: str) -> str | None:
    def edges(text: str) -> tuple[str, str]:
        text = text.strip("\n")  # line breaks are the newlines check's business
        return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]

    if edges(source) != edges(target):
        return "leading or trailing whitespace differs from the source"
    return None


def _identical(source: str, target: str) -> str | None:
    if source == target and len(re.findall(r"[^\W\d_]{2,}", source)) >= 2:
        return "translation is identical to the source"
    return None


def _double_space(source: str, target: str) -> str | None:
    if "  " in target and "  " not in source:
        return "double space"
    return None


def _length(source: str, target: str) -> str | None:
    if len(source) < 20:
        return None
    ratio = len(target) / len(source)
    if ratio < 0.5 or ratio > 2.0:
        return f"translation is {ratio:.1f}x the length of the source (expected 0.5x to 2x)"
    return None


CHECKS: tuple[Check, ...] = (
    Check("markup", Severity.ERROR, "`**bold**`, inline code and `[text](target)` link targets match the source",
          _markup),
    Check("urls", Severity.ERROR, "every URL and e-mail address of the source appears unchanged", _urls),
    Check("numbers", Severity.ERROR, "the same numbers as the source (dates included); thousands separators "
          "and decimal commas may follow the target language", _numbers),
    Check("newlines", Severity.ERROR, "the same line breaks as the source, including a leading or trailing one",
          _newlines),
    Check("brackets", Severity.WARNING, "brackets and quotes balanced wherever the source's are", _brackets),
    Check("whitespace", Severity.WARNING, "the same leading and trailing spaces as the source", _edges),
    Check("untranslated", Severity.WARNING, "a translation identical to a source of two or more words", _identical),
    Check("double-space", Severity.WARNING, "no double space unless the source has one", _double_space),
    Check("length", Severity.WARNING, "between half and twice the source length (sources of 20+ characters)",
          _length),
    Check("placeholders", Severity.ERROR, "printf (`%s`, `%(name)s`) and Python (`{name}`) placeholders, HTML "
          "entities and backslash escapes exactly as in the source", by_language=qa.placeholders),
    Check("empty-link", Severity.ERROR, "no link (`[](#)`) or bold span without text", by_language=qa.empty_link),
    Check("doubled-words", Severity.WARNING, "no word written twice in a row unless the source does "
          "(French `nous nous` aside)", by_language=qa.doubled_words),
    Check("acronyms", Severity.WARNING, "every acronym of the source, or the language's own (`NATO` = `OTAN`)",
          by_language=qa.acronyms),
    Check("span-content", Severity.WARNING, "bold, emphasis and link text enclose the same names, numbers and "
          "acronyms as the source's span", by_language=qa.span_content),
    Check("inverted-punctuation", Severity.WARNING, "Spanish questions and exclamations open with `¿`/`¡`; in "
          "Catalan an opening mark is optional but must be closed", by_language=qa.inverted_punctuation),
    Check("names", Severity.WARNING, "the proper names of the source, allowing for accents, case and a "
          "possessive", by_language=qa.names_kept),
)


def check_text(source: str, target: str, lang: str = "") -> list[tuple[Check, str]]:
    """Every check that fails for one translation into ``lang``, with its message."""
    found = []
    for check in CHECKS:
        message = check.run(source, target, lang)
        if message:
            found.append((check, message))
    return found


GLOSSARY = Check("glossary", Severity.WARNING, "every glossary term of the source appears as the glossary says "
                 "(names kept, fixed translations used)", lambda source, target: None)


def check_glossary(source: str, target: str, glossary: Glossary) -> str | None:
    missing = [f"{term!r} should be {want!r}" if want != term else f"{term!r} should stay as it is"
               for term, want in dict.fromkeys(glossary.expected(source)) if want.lower() not in target.lower()]
    return "glossary: " + "; ".join(missing) if missing else None


def check_catalog(catalog: Catalog, path: str, include_drafts: bool = False,
                  glossary: Glossary | None = None) -> list[Problem]:
    """Problems of the approved entries (and drafts, when asked), in file order."""
    problems = []
    declared = catalog.header_value("Language").strip()
    lang = str(Language.read(declared) or declared)
    names.cached_lexicon("\n".join(m.msgid for m in catalog.active()))  # one dictionary look-up per catalog
    for msg in catalog.active():
        kind = state(msg)
        if kind == "untranslated" or (kind != "approved" and not include_drafts):
            continue
        for check, message in check_text(msg.msgid, msg.msgstr, lang):
            problems.append(Problem(path, msg.lineno, check, message, msg.msgid, kind))
        broken = check_glossary(msg.msgid, msg.msgstr, glossary) if glossary else None
        if broken:
            problems.append(Problem(path, msg.lineno, GLOSSARY, broken, msg.msgid, kind))
    return problems


def failing(source: str, target: str, lang: str = "") -> list[str]:
    """Names of the error checks that ``target`` fails: what ``export --strict`` withholds."""
    return [check.name for check, _ in check_text(source, target, lang) if check.severity == "error"]
