"""Machine translation engines behind one small interface.

An engine translates a batch of texts from one language to another in as few
calls as it can, and names itself and its model for the provenance comment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ..errors import EngineError
from ..segment import strip_control

Progress = Callable[[int], None]


class Engine(Protocol):
    name: str
    model: str

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        """Translate every text; ``progress`` is called with the number of texts just finished."""
        ...


def provenance(engine: Engine) -> str:
    return f"{engine.name} {engine.model}"


def clean_output(text: str) -> str:
    """Engines can emit control characters and stray whitespace; catalogs and XHTML cannot hold them."""
    return " ".join(strip_control(text).split())


def resolve(choice: str, source: str, target: str) -> Engine | None:
    """The engine for a language pair; None for ``none``; EngineError saying what to install."""
    from . import apertium, argos

    if choice == "none":
        return None
    if choice in ("auto", "argos"):
        pkg = argos.find_package(source, target)
        if pkg is not None:
            return argos.ArgosEngine(pkg)
        if choice == "argos":
            raise EngineError(
                f"no argos model installed for {source}->{target}",
                hint=f"run 'pipeline models download {source} {target}' or "
                     f"'pipeline models install FILE.argosmodel'")
    chain = apertium.find_chain(source, target)
    if chain:
        return apertium.ApertiumEngine(chain)
    if choice == "apertium":
        raise EngineError(
            f"no apertium mode for {source}->{target} (directly or through Spanish)",
            hint=f"install the Debian package for the pair, e.g. 'apt-get install apertium-{source}-{target}'")
    raise EngineError(
        f"no translation engine for {source}->{target}",
        hint=f"install an argos model ('pipeline models download {source} {target}') "
             f"or an apertium pair from Debian (apertium-eng-spa, apertium-es-pt, apertium-fr-es)")
