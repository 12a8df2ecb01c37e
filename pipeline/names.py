"""Proper names and acronyms found in English text, so no engine translates them.

Rule-based MT translates any name that is also a word (``Trump`` → ``Triunfo``,
``Flores`` → ``Fleurs``, ``ICE`` → ``HIELO``).  A name here is a run of
capitalised words that does not merely start a sentence, or an acronym; words
that English capitalises but other languages translate (months, weekdays,
nationalities, titles, generic parts of organisation names, places with an
exonym) are never names on their own.  The same folding (accents, case,
possessive ``'s``) serves the ``names`` QA check, so protection and checking
agree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_CAP = rf"[{_UPPER}][{_LOWER}]+(?:(?:-[{_UPPER}]|['’](?![sS]\b)[{_UPPER}]?)[{_LOWER}]+)*(?!-[{_LOWER}])"
_ACRONYM = re.compile(rf"(?<![\w.])[{_UPPER}][{_UPPER}0-9&]{{1,5}}(?![\w&])")
_PARTICLES = "de|da|del|dos|das|do|van|von|der|al|bin|la|le|du"
_RUN = re.compile(rf"(?<![\w’'])(?:{_CAP})(?:\s+(?:(?:{_PARTICLES})\s+)?(?:{_CAP}))*(?![\w])")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…]|\s[-–—])$")
_MARKUP_LEAD = "*[(\"'“‘«_` \t\n"



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _words("january february march april may june july august september october november december")
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
# Words English capitalises that the other languages translate or write in lower case.
COMMON = _words("""
i i'm i've i'd i'll ok mr mrs ms dr sir st jr madam president presidents minister ministers senator
secretary general governor mayor king queen prince pope saint father mother chairman chairwoman
vice deputy prime chief commander colonel captain comrade comrades
party parties union unions front movement movements workers worker people peoples republic republics
federation league council committee congress parliament assembly senate government state states
national international socialist socialists communist communists democratic democrats democrat
republican republicans revolutionary revolution left right army navy ministry department office
bank court supreme prize award doctrine united kingdom nations organisation organization association
conference
summit agreement treaty charter declaration constitution law act bill
north south east west northern southern eastern western central middle far
america americas american americans latin europe european europeans africa african asia asian
caribbean pacific atlantic ocean sea gulf arctic antarctica world earth
spain spanish germany german france french italy italian britain british england english
portugal portuguese russia russian russians china chinese japan japanese brazil brazilian mexico mexican
ukraine ukrainian poland polish greece greek turkey turkish egypt egyptian sweden swedish norway
switzerland swiss belgium belgian netherlands dutch scotland scottish ireland irish wales welsh
venezuelan venezuelans cuban cubans colombian colombians peruvian argentinian argentine chilean
bolivian ecuadorian nicaraguan haitian haiti panama peru palestinian palestinians israeli israelis
arab arabs arabic iranian iraqi syrian lebanese kurdish kurds jewish muslim muslims christian
christians catholic protestant god lord bible church internet web online
the a an this that these those there here it its we our us you your he his she her they their them
in on at for and but or nor so yet of to by with from as if when while after before since during
although though because however meanwhile moreover furthermore also even only just not no yes all
every each both many much more most some any such other another what which who whom whose where why how
""") | MONTHS | WEEKDAYS
_SUFFIXES = ("ian", "ians", "ese", "ish", "ist", "ists", "ism")  # demonyms and -isms written as adjectives


# Acronyms the other languages write their own way: never protected, and any of these forms is fine.
LOCALISED_ACRONYMS: dict[str, tuple[str, ...]] = {
    "US": ("EE.UU.", "EEUU", "EE. UU.", "EUA", "E.U.A.", "É.-U.", "USA", "États-Unis", "Estados Unidos"),
    "USA": ("EE.UU.", "EEUU", "EE. UU.", "EUA", "E.U.A.", "É.-U.", "États-Unis", "Estados Unidos"),
    "UK": ("RU", "R.U.", "Reino Unido", "Royaume-Uni"),
    "NATO": ("OTAN",), "UN": ("ONU",), "EU": ("UE",), "IMF": ("FMI",), "OAS": ("OEA",),
    "WHO": ("OMS",), "WTO": ("OMC",), "AI": ("IA",), "GDP": ("PIB",), "NGO": ("ONG",), "ILO": ("OIT",),
}


# English abbreviations that other languages spell out or abbreviate their own way.
GENERIC_ABBREVIATIONS = frozenset(("CEO", "CEOs", "CFO", "MP", "MPs", "PM", "TV", "AM", "PR", "HR", "ID", "DJ",
                                   "VIP", "FAQ", "DIY", "ASAP", "OK", "UFO", "PS", "NB", "AD", "BC"))


def fold(text: str) -> str:
    """Lower case without accents, for comparing ``Nicolas`` with ``Nicolás``."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_common(word: str) -> bool:
    """A capitalised word that is not a name by itself (month, title, nationality, …)."""
    low = fold(word.rstrip("’'s") if word.endswith(("'s", "’s")) else word)
    return low in COMMON or (len(low) > 6 and low.endswith(_SUFFIXES))


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(_MARKUP_LEAD)
    return bool(_SENTENCE_END.search(before))


def _trim(words: list[str], lexicon: Mapping[str, str]) -> list[str]:
    """Drop common words and particles at either end: ``President Nicolás Maduro`` → ``Nicolás Maduro``."""
    particles = set(_PARTICLES.split("|"))

    def weak(word: str) -> bool:
        return is_common(word) or word in particles

    while words and (weak(words[0]) or (len(words) > 1 and lexicon.get(words[0]) in (ADJ, COMMON_WORD))):
        words = words[1:]  # titles come first: Defence Minister, First Combatant, Honduran President
    while words and weak(words[-1]):
        words = words[:-1]
    return words


def _title_case(text: str) -> bool:
    """A headline in Title Case says nothing about which of its words are names."""
    words = re.findall(rf"[{_UPPER}{_LOWER}]{{4,}}", text)
    return len(words) >= 3 and sum(w[0].islower() for w in words) <= 0.1 * len(words)


def _is_name(words: list[str], lexicon: Mapping[str, str]) -> bool:
    """A run is a name when a word of it is a person's name or a word no dictionary knows.

    Without a lexicon every capitalised word counts; with one, a lone common
    word (``Struggle``) or a place the engine knows (``Brazil``) does not.
    """
    if not lexicon:
        return True
    kinds = [lexicon.get(w, UNKNOWN) for w in words]
    if len(kinds) == 1:
        return kinds[0] in (GIVEN, SURNAME, UNKNOWN)
    return UNKNOWN in kinds or kinds[0] == GIVEN or kinds[-1] == SURNAME


def candidates(text: str, known: Iterable[str] = (), lexicon: Mapping[str, str] | None = None) -> list[str]:
    """Names in ``text``: capitalised runs not merely starting a sentence, and acronyms.

    A sentence-initial word counts only when it is in ``known`` (a word of a
    name seen elsewhere) or when a longer run follows it.
    """
    known_set = set(known)
    lexicon = lexicon or {}
    found: list[str] = []
    headline = _title_case(text)
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        if headline and not all(w in known_set for w in words):
            words = [w for w in words if w in known_set][:1]
        elif _sentence_start(text, match.start()) and words[0] not in known_set:
            words = words[1:]
        words = _trim(words, lexicon)
        at = match.start() + match.group(0).find(words[0]) if words else match.start()
        lone = (len(words) == 1 and lexicon.get(words[0], COMMON_WORD) == COMMON_WORD
                and _lone(text, at, at + len(words[0])))
        if words and (lone or _is_name(words, lexicon) or " ".join(words) in known_set):
            found.append(" ".join(words))
    return list(dict.fromkeys(found + [a for a in acronyms(text) if a not in LOCALISED_ACRONYMS]))


def acronyms(text: str) -> list[str]:
    """Upper-case abbreviations (``ICE``, ``ILPS``, ``IVP612``), not words in a shouted line."""
    return [m.group(0) for m in _ACRONYM.finditer(text)
            if not _shouted(text, m.start(), m.end()) and m.group(0) not in GENERIC_ABBREVIATIONS]


def _lone(text: str, start: int, end: int) -> bool:
    """A capitalised word in the middle of a lower-case sentence is a name even if it is also a word
    (``as Trump confessed``), unlike one in a Title Case phrase (``Action for Peace``)."""
    if _sentence_start(text, start):
        return False
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 30):start])
    after = re.findall(r"[^\W\d_]+", text[end:end + 30])
    if before and before[-1][0].isupper():
        previous = text[:start].rstrip()
        starts = _sentence_start(text, len(previous) - len(before[-1]))
        if not starts or len(before[-1]) > 3:
            return False  # "As Trump": a short sentence-initial word before it is fine
    if before and before[-1].lower() in _INSTITUTION_LEAD:
        return False  # "the Board of Peace", "the Kremlin": institutions, which other languages translate
    return bool(before or after) and all(w[0].islower() and w != "of" for w in after[:1])


_INSTITUTION_LEAD = frozenset(("the", "a", "an", "of", "for"))


def _shouted(text: str, start: int, end: int) -> bool:
    """An upper-case word among other upper-case words (``URGENT - Venezuela``) is not an acronym."""
    word = text[start:end]
    if len(word) >= 5 and word.isalpha():
        return True
    around = re.findall(rf"[{_UPPER}{_LOWER}]{{3,}}", text[max(0, start - 40):end + 40])
    upper = [w for w in around if w.isupper()]
    return len(upper) >= 3 and len(upper) > 0.6 * len(around)


def protected(texts: Iterable[str], metadata_names: Iterable[str] = (),
              lexicon: Mapping[str, str] | None = None) -> list[str]:
    """Every name of a set of paragraphs, longest first: what the engines must not translate.

    Words of a name seen in the middle of a sentence anywhere (or in the
    metadata, such as the author) are also names at the start of a sentence,
    and on their own (``Trump`` after ``Donald Trump``).
    """
    texts = list(texts)
    if lexicon is None:
        lexicon = cached_lexicon("\n".join(texts))
    seeds = [n.strip() for n in metadata_names if n.strip()]
    first = [name for text in texts for name in candidates(text, (), lexicon)] + seeds
    known = set(first) | {_surname(name, lexicon) for name in first}
    names = set(seeds) | {name for text in texts for name in candidates(text, known, lexicon)}
    return sorted(names, key=lambda n: (-len(n), n))


def _surname(name: str, lexicon: Mapping[str, str]) -> str:
    """The word of a name that stands for it alone: ``Trump`` for ``Donald Trump``."""
    words = name.split()
    if len(words) > 1 and (not lexicon or lexicon.get(words[0], UNKNOWN) in (GIVEN, UNKNOWN)):
        return words[-1]
    return name


GIVEN, SURNAME, PLACE, ADJ, COMMON_WORD, UNKNOWN = "given name", "surname", "place", "adjective", "common", "unknown"
_ANALYSIS = re.compile(r"\^([^/$]*)/([^$]*)\$")


_KNOWN: dict[str, str] = {}


def cached_lexicon(text: str) -> dict[str, str]:
    """``english_lexicon`` for the capitalised words of ``text``, asking apertium once per word."""
    words = set(re.findall(_CAP, text))
    missing = words - _KNOWN.keys()
    if missing:
        parts = {p for w in missing for p in w.split("-")}
        found = english_lexicon(missing | parts)
        if found:
            for word in missing:
                kinds = [found.get(p, UNKNOWN) for p in word.split("-")]
                compound = COMMON_WORD if "-" in word and all(k in (COMMON_WORD, ADJ) for k in kinds) else None
                _KNOWN[word] = compound or found.get(word, UNKNOWN)
    return {w: _KNOWN[w] for w in words if w in _KNOWN}


def english_lexicon(words: Iterable[str]) -> dict[str, str]:
    """What apertium's English dictionary makes of each word, or {} when apertium is not installed.

    ``given name``, ``surname``, ``place`` (a proper noun the engine
    translates itself), ``adjective``, ``common`` or ``unknown``.
    """
    unique = sorted(set(words))
    analyser = next(iter(sorted(Path("/usr/share/apertium").glob("apertium-eng-*/eng-*.automorf.bin"))), None)
    if not unique or analyser is None or shutil.which("lt-proc") is None:
        return {}
    try:
        result = subprocess.run(["lt-proc", str(analyser)], input="\n".join(unique) + "\n",
                                capture_output=True, text=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return {}
    lexicon: dict[str, str] = {}
    for surface, analyses in _ANALYSIS.findall(result.stdout):
        if analyses.startswith("*"):
            lexicon[surface] = UNKNOWN
        elif "<loc>" in analyses:
            lexicon[surface] = PLACE
        elif "<ant>" in analyses:
            lexicon[surface] = GIVEN
        elif "<cog>" in analyses:
            lexicon[surface] = SURNAME
        elif "<np>" in analyses:
            lexicon[surface] = PLACE
        elif any("<adj>" in a for a in analyses.split("/")):  # capitalised adjectives are demonyms
            lexicon[surface] = ADJ
        else:
            lexicon[surface] = COMMON_WORD
    return lexicon


def possessive_free(text: str) -> str:
    """``Maduro's`` → ``Maduro``: the possessive is grammar, not part of the name."""
    return re.sub(r"(?<=\w)['’]s?(?!\w)", "", text)


def kept(name: str, target: str) -> bool:
    """Whether ``name`` appears in ``target``, ignoring case, accents and a possessive ending."""
    wanted = fold(possessive_free(name))
    return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", fold(possessive_free(target))) is not None


def authors(fields: Iterable[str]) -> list[str]:
    """The people named in author fields (``Maria Lopez and Juan Pérez``), as names to protect."""
    found = []
    for value in fields:
        for part in re.split(r",|;|&|\band\b|\by\b|\bet\b|\be\b", value):
            part = re.sub(r"^\s*(?:by|por|par)\s+", "", part.strip(), flags=re.IGNORECASE)
            if part and part[0].isupper():
                found.append(part)
    return list(dict.fromkeys(found))
