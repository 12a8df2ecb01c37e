"""Apertium, Debian's offline rule-based MT, driven in HTML mode.

All paragraphs of a batch go through one ``apertium -u -f html MODE`` process,
each wrapped in an element carrying its index.  Paragraphs arrive as HTML from
``tagged.to_tagged``: apertium's deformatter keeps the tags (bold, links, empty
placeholder elements) where they belong in the translated sentence.  Pairs
Debian lacks go through Spanish or Catalan.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .. import names
from ..errors import EngineError
from . import Progress, clean_output

MODES_DIR = Path("/usr/share/apertium/modes")
PIVOTS = ("es", "ca")  # Debian's two hubs: most pairs have Spanish or Catalan on one side
_ISO3 = {"eng": "en", "spa": "es", "cat": "ca", "por": "pt", "fra": "fr", "glg": "gl", "ita": "it",
         "deu": "de", "oci": "oc", "arg": "an", "ast": "ast", "eus": "eu", "nld": "nl", "ron": "ro"}
_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3}(?:_[A-Z]{2})?)$")
_P = re.compile(r'<p id="s(\d+)">(.*?)</p>', re.DOTALL)
_CHUNK = 500  # paragraphs per apertium process: start-up costs about 0.1 s per mode


def _norm(code: str) -> str:
    base, _, region = code.partition("_")
    base = _ISO3.get(base, base)
    return f"{base}_{region}" if region else base


def available_modes() -> dict[tuple[str, str], str]:
    """Installed modes by (source, target) in gettext language codes."""
    if shutil.which("apertium") is None or not MODES_DIR.is_dir():
        return {}
    modes: dict[tuple[str, str], str] = {}
    for path in sorted(MODES_DIR.glob("*.mode")):
        match = _MODE.match(path.stem)
        if match:
            modes.setdefault((_norm(match.group(1)), _norm(match.group(2))), path.stem)
    return modes


def find_chain(source: str, target: str) -> tuple[str, ...]:
    """The mode names to run in sequence for a pair: direct, else through a pivot."""
    modes = available_modes()
    if (source, target) in modes:
        return (modes[(source, target)],)
    for pivot in PIVOTS:
        if (source, pivot) in modes and (pivot, target) in modes:
            return (modes[(source, pivot)], modes[(pivot, target)])
    return ()


_PIECES = re.compile(r"(<[^>]*>)|([^<]+)")
_MARKED_WORD = re.compile(r"(?<![\w&])([*#@]?)([^\W\d_][\w'’-]*)")
_KEPT = re.compile(r'<img alt="n(\d+)"\s*/?>')
_PEOPLE = (names.GIVEN, names.SURNAME, names.UNKNOWN)


def _words(html: str) -> set[str]:
    return {m.group(2) for tag, text in _PIECES.findall(html) if text for m in _MARKED_WORD.finditer(text)}


def _protect(output: str, source: str) -> tuple[str, list[str]]:
    """A pivot leg's output for the next leg, every name it passed through untranslated hidden.

    The first leg marks words it does not know (``*Maduro``); a capitalised
    word that is also in the source (``Flores``) went through as a name.  The
    second leg would translate either as a word (``Maduro`` → ``Mûr``), so each
    becomes an empty element the second leg carries, and ``_restore`` puts the
    word back.  Places the dictionary knows (``China`` → ``Chine``), adjectives
    and lower-case words are left to the second leg.
    """
    in_source = _words(source)
    lexicon = names.cached_lexicon(" ".join(in_source))
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        mark, word = match.groups()
        passed = mark == "*" or word in in_source
        if passed and word[:1].isupper() and lexicon.get(word, names.UNKNOWN) in _PEOPLE:
            kept.append(word)
            return f'<img alt="n{len(kept) - 1}"/>'
        return word  # apertium's marks (*, # and @) dropped, the word kept

    pieces = [tag or _MARKED_WORD.sub(hide, text) for tag, text in _PIECES.findall(output)]
    return "".join(pieces), kept


def _restore(output: str, kept: list[str]) -> str:
    return _KEPT.sub(lambda m: kept[int(m.group(1))] if int(m.group(1)) < len(kept) else "", output)


class ApertiumEngine:
    """Paragraphs go in as HTML (see ``tagged.to_tagged``) and come back as HTML."""

    name = "apertium"
    tagged = True
    batch = _CHUNK

    def __init__(self, chain: Sequence[str]) -> None:
        self.chain = tuple(chain)
        self.model = "+".join(self.chain)

    @property
    def cache_label(self) -> str:
        """The draft cache's name for this engine: a pivot's output changed when names started to be kept
        through the second leg, so its old cache entries must not be reused."""
        return f"{self.name} {self.model}" + (" names" if len(self.chain) > 1 else "")

    def _run(self, mode: str, document: str, marks: bool = False) -> str:
        flags = ["-f", "html"] if marks else ["-u", "-f", "html"]
        try:
            result = subprocess.run(["apertium", *flags, mode], input=document,
                                    capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"apertium {mode} failed: {exc}") from None
        if result.returncode != 0:
            raise EngineError(f"apertium {mode} failed: {result.stderr.strip()[:300]}")
        return result.stdout

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        results: list[str] = []
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start:start + _CHUNK]
            paragraphs = list(chunk)
            kept: list[list[str]] = [[] for _ in chunk]
            for leg, mode in enumerate(self.chain):
                last = leg == len(self.chain) - 1
                document = "".join(f'<p id="s{i}">{t}</p>\n' for i, t in enumerate(paragraphs))
                found = {int(m.group(1)): m.group(2) for m in _P.finditer(self._run(mode, document, not last))}
                if len(found) != len(chunk):
                    raise EngineError(f"apertium {self.model} lost paragraphs: sent {len(chunk)}, got {len(found)}")
                if last:
                    paragraphs = [_restore(found[i], kept[i]) for i in range(len(chunk))]
                else:
                    names.cached_lexicon("\n".join(chunk))  # one dictionary look-up for the chunk
                    protected = [_protect(found[i], chunk[i]) for i in range(len(chunk))]
                    paragraphs, kept = [p for p, _ in protected], [k for _, k in protected]
            results.extend(clean_output(p) for p in paragraphs)
            if progress:
                progress(len(chunk))
        return results
