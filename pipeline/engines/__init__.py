"""Machine translation engines behind one small interface.

An engine translates a batch of texts from one language to another in as few
calls as it can, and names itself and its model for the provenance comment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import markup
from ..errors import EngineError
from ..glossary import Glossary
from ..repair import after_engine
from ..segment import strip_control
from . import tagged

if TYPE_CHECKING:
    from ..cache import DraftCache
    from ..config import ArgosSettings, LibreSettings

Progress = Callable[[int], None]


class Engine(Protocol):
    name: str
    model: str
    tagged: bool  # True: inputs are HTML with tags to carry through (see ``markup``)

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        """Translate every text; ``progress`` is called with the number of texts just finished."""
        ...


def provenance(engine: Engine) -> str:
    return f"{engine.name} {engine.model}"


def clean_output(text: str) -> str:
    """Engines can emit control characters and stray whitespace; catalogs and XHTML cannot hold them."""
    lines = (" ".join(line.split()) for line in strip_control(text).split("\n"))
    return "\n".join(line for line in lines if line)  # a hard line break of the source survives


@dataclass(frozen=True)
class Draft:
    """A machine draft and what had to be repaired in it (for the translator comment)."""

    text: str
    notes: tuple[str, ...] = ()


def draft(engine: Engine, texts: Sequence[str], glossary: Glossary | None = None,
          cache: DraftCache | None = None, target: str = "") -> list[Draft]:
    """Drafts for ``texts`` with markup, URLs and glossary terms out of the engine's reach.

    Each distinct engine input is translated once, and not at all when the cache has it.
    What the engine damaged is repaired for the ``target`` language (``repair``).
    """
    tokenized = [markup.tokenize(text, glossary) for text in texts]
    if engine.tagged:
        inputs = [tagged.to_tagged(tokens) for tokens in tokenized]
        outputs = _cached(engine, inputs, cache)
        _reshaped(engine, inputs, outputs, tokenized, cache)
        results = []
        for source, tokens, output in zip(texts, tokenized, outputs):
            text, problems = tagged.from_tagged(output, tokens)
            results.append(_repaired(source, clean_output(text), target, tuple(problems), tagged=True))
        return results
    wanted = [tagged.pieces(tokens) for tokens in tokenized]
    unique = list(dict.fromkeys(piece for found in wanted for piece in found.values()))
    translated = dict(zip(unique, _cached(engine, unique, cache)))
    return [_repaired(source, clean_output(markup.join(tokens, {i: tagged.with_spacing(tokens[i].value,
                                                                                       translated[v])
                                                                for i, v in found.items()})), target)
            for source, tokens, found in zip(texts, tokenized, wanted)]


def _repaired(source: str, text: str, target: str, problems: tuple[str, ...] = (), tagged: bool = False) -> Draft:
    """Engine damage repaired; a span moved is reported only where the engine placed the tags."""
    fixed, notes = after_engine(source, text, target, spans=tagged)
    return Draft(fixed, problems + notes)


def _reshaped(engine: Engine, inputs: list[str], outputs: list[str], tokenized: Sequence[list[markup.Token]],
              cache: DraftCache | None) -> None:
    """Outputs whose Markdown reads differently from the source's (``tagged.shape``) done again the
    engine's safe way, where it has one (argos: piece by piece between the markup), in place."""
    redo = getattr(engine, "redo", None)
    if redo is None:
        return
    wrong = [i for i, (output, tokens) in enumerate(zip(outputs, tokenized))
             if tagged.shape(tagged.from_tagged(output, tokens)[0]) != tagged.shape(markup.join(tokens))]
    for i, output in zip(wrong, redo([inputs[i] for i in wrong])):
        outputs[i] = output
        if cache is not None and output:
            cache.put(inputs[i], output)


def _cached(engine: Engine, inputs: list[str], cache: DraftCache | None) -> list[str]:
    known = {text: cache.get(text) for text in dict.fromkeys(inputs)} if cache else {}
    missing = [text for text in dict.fromkeys(inputs) if known.get(text) is None]
    if missing:
        for text, output in zip(missing, engine.translate(missing)):
            known[text] = output
            if cache is not None and output:
                cache.put(text, output)
    return [known[text] or "" for text in inputs]


def resolve(choice: str, source: str, target: str, libre: LibreSettings | None = None,
            cache: Path | None = None, argos_settings: ArgosSettings | None = None) -> Engine | None:
    """The engine for a language pair; None for ``none``; EngineError saying what to install.

    ``auto`` prefers a direct argos model, then a direct apertium mode, then two
    argos models through a third language, then apertium through Spanish.
    ``libretranslate`` is only ever chosen by name: it needs servers; so is ``pseudo``,
    the deterministic stand-in that tests and layout previews use.
    """
    from . import apertium, argos

    if choice == "none":
        return None
    if choice == "pseudo":
        from .pseudo import PseudoEngine

        return PseudoEngine()
    if choice == "libretranslate":
        from .libretranslate import LibreTranslateEngine

        engine = LibreTranslateEngine(libre, source, target)
        engine.check_pair()
        return engine
    use_argos, use_apertium = choice in ("auto", "argos"), choice in ("auto", "apertium")
    if use_argos:
        pkg = argos.find_package(source, target)
        if pkg is not None:
            return argos.ArgosEngine(pkg, argos_settings)
    chain = apertium.find_chain(source, target) if use_apertium else ()
    if len(chain) == 1:
        return apertium.ApertiumEngine(chain)
    if use_argos:
        pivot = argos.find_pivot(source, target)
        if pivot is not None:
            return argos.ArgosPivotEngine(*pivot, settings=argos_settings)
    if chain:
        return apertium.ApertiumEngine(chain)
    if choice == "argos":
        raise EngineError(
            f"no argos model installed for {source}->{target}, directly or through another language",
            hint=f"run 'pipeline models download {source} {target}' or "
                 f"'pipeline models install FILE.argosmodel'")
    from ..advice import apertium_advice, install_hint

    if choice == "apertium":
        raise EngineError(
            f"no apertium mode for {source}->{target} (directly or through Spanish or Catalan)",
            hint=apertium_advice(source, target, cache) or "Debian has no apertium pair for it here; choose "
                                                    "another engine in [engines] of pipeline.toml")
    raise EngineError(f"no translation engine for {source}->{target}", hint=install_hint(source, target, cache))
