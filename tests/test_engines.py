"""Engines against the real things: Debian's apertium and argostranslate with the tiny model."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from helpers import SEEDS

from pipeline.engines import draft, provenance, resolve
from pipeline.engines.apertium import _CHUNK, ApertiumEngine, find_chain
from pipeline.engines.argos import ArgosEngine, find_package
from pipeline.engines.tagged import literal
from pipeline.errors import EngineError
from pipeline.segment import segment
from pipeline.sources import read_source


def seed_paragraphs(limit: int = 40) -> list[str]:
    texts = []
    for path in SEEDS:
        texts += [b.text for b in segment(read_source(path, path.name)).translatable()]
    return list(dict.fromkeys(texts))[:limit]


@pytest.mark.parametrize("target, chain", [("es", ("eng-spa",)), ("pt", ("eng-spa", "es-pt")),
                                           ("fr", ("eng-spa", "es-fr"))], ids=["es", "pt-pivot", "fr-pivot"])
def test_apertium_chains(target: str, chain: tuple[str, ...]) -> None:
    assert find_chain("en", target) == chain


def test_pseudo_engine_is_deterministic_and_keeps_markup_and_urls() -> None:
    engine = resolve("pseudo", "en", "es")
    assert engine is not None and provenance(engine) == "pseudo accents-1"
    texts = ["Read **the news** at https://example.org/a_e today.", "[Our union](https://union.example/about)"]
    first = [d.text for d in draft(engine, texts)]
    assert first == ["Réád **thé néws** át https://example.org/a_e tódáy.", "[Óúr úníón](https://union.example/about)"]
    assert [d.text for d in draft(engine, texts)] == first


@pytest.mark.slow
def test_apertium_translates_a_batch_and_keeps_markup() -> None:
    engine = ApertiumEngine(find_chain("en", "es"))
    texts = ["US out of Venezuela!", "Translated by **International Viewpoint** from [Anticapitalistas](#).",
             "Fish & chips <b>are</b> not tags."]
    out = engine.translate(texts)
    assert out[0] == "EE.UU. fuera de Venezuela!"
    assert out[1].count("**") == 2 and "](#)" in out[1] and out[1].startswith("Traducido por")
    assert "&" in out[2] and "<b>" in out[2]  # literal text stays literal


@pytest.mark.slow
def test_apertium_keeps_order_across_chunks() -> None:
    engine = ApertiumEngine(find_chain("en", "es"))
    count = _CHUNK + 50  # two apertium processes
    texts = [f"Number {i} is here." for i in range(count)]
    out = engine.translate(texts)
    assert len(out) == count
    assert [re.findall(r"\d+", line) for line in out] == [[str(i)] for i in range(count)], out


@pytest.mark.slow
def test_argos_batch_equals_argostranslate_translate(argos_installed: Path) -> None:
    """The batched engine must give exactly what argostranslate's own translate() gives."""
    from argostranslate import translate as argos_translate
    from argostranslate.package import Package
    from argostranslate.translate import PackageTranslation

    info = find_package("en", "es")
    assert info is not None and info.name == "translate-en_es-1.0"
    texts = seed_paragraphs()
    engine = ArgosEngine(info)
    ours = [html.unescape(t) for t in engine.translate([html.escape(t, quote=False) for t in texts])]
    reference = PackageTranslation(None, None, Package(info.path))  # type: ignore[arg-type]
    theirs = [argos_translate.ITranslation.translate(reference, t) for t in texts]
    assert ours == [literal(" ".join(t.split())) for t in theirs]  # a star the model wrote stays a star
    assert all(ours) and engine.whole == engine.split == 0  # plain paragraphs: no markup to align


@pytest.mark.slow
def test_auto_prefers_argos_when_installed(argos_installed: Path) -> None:
    assert resolve("auto", "en", "es").name == "argos"  # type: ignore[union-attr]
    assert resolve("auto", "en", "pt").name == "apertium"  # type: ignore[union-attr]


@pytest.mark.slow
def test_missing_engine_says_what_to_install() -> None:
    with pytest.raises(EngineError) as info:
        resolve("auto", "en", "de")
    assert "pipeline models download en de" in str(info.value)
    with pytest.raises(EngineError, match="no argos model installed for en->es"):
        resolve("argos", "en", "es")
    assert resolve("none", "en", "es") is None
