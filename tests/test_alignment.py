"""Whole-sentence argos drafts: markup put back by the model's attention, exact whatever the model does."""

from __future__ import annotations

import html
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from helpers import SEEDS, token_marks
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline import markup
from pipeline.engines import draft, tagged
from pipeline.engines.alignment import Alignment, char_ranges, parse, project, same_markup
from pipeline.glossary import Glossary

WORDS = ["The", "mayor", "said", "Maria", "Lopez", "would", "see", "the", "council", "at", "today", "workers"]


def _decode(pieces: list[str] | tuple[str, ...]) -> str:
    """SentencePiece's decoding of the pieces used here: the word mark is a space."""
    return "".join(pieces).replace("\u2581", " ").strip()


def _aligned(source_text: str, target: list[str], links: list[int]) -> tuple[str | None, object]:
    """Project the markup of ``source_text`` onto ``target``, each output piece attending to one source piece."""
    marked = parse(tagged.to_tagged(markup.tokenize(source_text)))
    assert marked is not None
    source = ["\u2581" + word for word in marked.plain.replace(".", " .").split()]
    source = [piece if piece != "\u2581." else "." for piece in source]
    ranges = char_ranges(marked.plain, source)
    assert ranges is not None, (marked.plain, source)
    attention = [[1.0 if s == link else 0.01 for s in range(len(source))] for link in links]
    return project(marked, Alignment(ranges=ranges, source=source, target=target, attention=attention),
                   _decode), marked


def test_spans_land_on_the_words_the_model_aligned_them_to() -> None:
    source = "The mayor said **Maria Lopez** would see [the council](https://x.org/c) at https://a.org/x today."
    target = ["\u2581El", "\u2581alcalde", "\u2581dijo", "\u2581que", "\u2581Maria", "\u2581Lopez", "\u2581vería",
              "\u2581al", "\u2581consejo", "\u2581hoy", "."]
    out, _ = _aligned(source, target, [0, 1, 2, 2, 3, 4, 5, 7, 8, 10, 11])
    assert out == ('El alcalde dijo que <b>Maria Lopez</b> vería <a href="#p5">al consejo</a> '
                   '<img alt="p9"/> hoy.'), out
    tokens = markup.tokenize(source)
    text, problems = tagged.from_tagged(out, tokens)
    assert problems == [] and text == ("El alcalde dijo que **Maria Lopez** vería [al consejo](https://x.org/c) "
                                       "https://a.org/x hoy."), text


def test_a_placeholder_the_source_set_apart_from_a_span_stays_apart() -> None:
    """``**s.**https://e.org/x`` would not close the bold (CommonMark's flanking rules): a placeholder the
    source does not have right after a span's end gets a space there (found by the property below)."""
    source = "https://e.org/x **The** The The"
    marked = parse(tagged.to_tagged(markup.tokenize(source)))
    assert marked is not None
    pieces = ["\u2581" + word for word in marked.plain.split()]
    ranges = char_ranges(marked.plain, pieces)
    assert ranges is not None
    attention = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    out = project(marked, Alignment(ranges=ranges, source=pieces, target=["s", ".", "\u2581The"],
                                    attention=attention), _decode)
    assert out is not None
    text, problems = tagged.from_tagged(out, markup.tokenize(source))
    assert problems == [] and token_marks(text) == token_marks(source), (out, text)


def test_a_name_the_model_copied_outweighs_its_attention() -> None:
    source = "The mayor said **Maria Lopez** would see the council today."
    target = ["\u2581Maria", "\u2581Lopez", "\u2581dijo", "\u2581el", "\u2581alcalde", "."]
    # Attention says the first two output pieces look at "The mayor"; the copied names say otherwise.
    out, _ = _aligned(source, target, [0, 1, 2, 0, 1, 10])
    assert out == "<b>Maria Lopez</b> dijo el alcalde.", out


@pytest.mark.parametrize("target, links", [
    (["\u2581Hola"], [3]),  # one output piece cannot hold two spans
    (["\u2581Hola", "\u2581mundo"], [0, 1]),  # nothing aligned to either span: no evidence
], ids=["too-short", "no-evidence"])
def test_an_alignment_that_fails_the_check_is_refused(target: list[str], links: list[int]) -> None:
    out, _ = _aligned("The mayor said **Maria** would see *the council* today.", target, links)
    assert out is None


def test_a_piece_the_sentence_does_not_hold_makes_the_mapping_unsure() -> None:
    assert char_ranges("The mayor", ["\u2581The", "\u2581mayor"]) == [(0, 3), (4, 9)]
    assert char_ranges("The mayor", ["\u2581The", "\u2581", "mayor"]) == [(0, 3), (4, 4), (4, 9)]
    assert char_ranges("The mayor", ["\u2581The", "\u2581<unk>"]) is None


_UNITS = st.lists(st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: f"**{w}**"),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(lambda ws: f"*{' '.join(ws)}*"),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(lambda ws: f"[{' '.join(ws)}](https://e.org/p)"),
    st.sampled_from(["https://e.org/x", "`code`", "Frente Amplio", "[**Maria** said](https://e.org/m)"]),
), min_size=1, max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=_UNITS, data=st.data())
def test_projected_markup_is_exact_for_any_model(unit: str, data: st.DataObject) -> None:
    """Whatever the model outputs and attends to, a projection either fails (and the engine falls
    back piece by piece) or carries exactly the source's markup: every span and placeholder once,
    nested the same way, each span around text."""
    glossary = Glossary({"Frente Amplio": "Frente Amplio"})
    tokens = markup.tokenize(unit, glossary)
    marked = parse(tagged.to_tagged(tokens))
    assert marked is not None
    source = ["\u2581" + word for word in marked.plain.split()]
    ranges = char_ranges(marked.plain, source)
    assert ranges is not None
    length = data.draw(st.integers(1, 14))
    target = data.draw(st.lists(st.sampled_from([*source, "\u2581uno", "\u2581dos", "s", "."]),
                                min_size=length, max_size=length))
    weights = st.floats(0, 1, allow_nan=False)
    attention = data.draw(st.lists(st.lists(weights, min_size=len(source), max_size=len(source)),
                                   min_size=length, max_size=length))
    out = project(marked, Alignment(ranges=ranges, source=source, target=target, attention=attention), _decode)
    event("fell back" if out is None else "projected")
    if out is None:
        return
    assert same_markup(marked, out), (unit, out)
    text, problems = tagged.from_tagged(out, tokens)
    assert problems == [], (unit, out, problems)
    assert token_marks(text) == token_marks(markup.join(tokens)), (unit, text)
    assert Counter(t.target for t in markup.tokenize(text) if t.mark == "a" and t.kind == "open") == \
        Counter(t.target for t in tokens if t.mark == "a" and t.kind == "open"), (unit, text)


# ------------------------------------------------------------- the real engine with the test model

RICH = [
    "The mayor said **Maria Lopez** would speak to [the council](https://council.example/agenda) today.",
    "Workers met the *union* in the hall. The mayor of the city said **no** to the plan at https://city.example.",
    "Frente Amplio and the **workers of the city** met [the mayor](https://e.org/m), said the union.",
]


@pytest.fixture(scope="module")
def talkative_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test model built to talk at length (no early end of sentence), unpacked as a package folder."""
    from tinyargos import build_package

    work = tmp_path_factory.mktemp("talkative")
    built = build_package([p.read_text(encoding="utf-8") for p in SEEDS], work / "m.argosmodel", eos_bias=0.0)
    with zipfile.ZipFile(built) as archive:
        archive.extractall(work / "packages")
    return next((work / "packages").iterdir())


def _units() -> list[str]:
    from pipeline.segment import segment
    from pipeline.sources import read_source

    found = [b.text for path in SEEDS for b in segment(read_source(path, path.name)).translatable()]
    return list(dict.fromkeys(found + RICH))


@pytest.mark.slow
@pytest.mark.parametrize("talkative", [True, False], ids=["sentence-length-output", "one-word-output"])
def test_argos_drafts_keep_the_markup_exactly(talkative: bool, talkative_model: Path, argos_installed: Path) -> None:
    """Real argostranslate and CTranslate2 code: every draft carries the source's markup, whether the
    alignment placed it (whole sentences) or the check failed and it went piece by piece."""
    from pipeline.engines.argos import ArgosEngine, find_package, read_metadata

    info = read_metadata(talkative_model) if talkative else find_package("en", "es")
    assert info is not None
    engine = ArgosEngine(info)
    glossary = Glossary({"Frente Amplio": "Frente Amplio", "Nicolás Maduro": "Nicolás Maduro"})
    units = _units()
    drafts = draft(engine, units, glossary, target="es")
    with_markup = [u for u in units if parse(tagged.to_tagged(markup.tokenize(u, glossary))).has_markup]  # type: ignore[union-attr]
    assert engine.whole + engine.split == len(set(with_markup)) > 10
    for unit, result in zip(units, drafts):
        source = markup.join(markup.tokenize(unit, glossary))
        assert token_marks(result.text) == token_marks(source), (unit, result)
        tokens = markup.tokenize(unit, glossary)
        kept = Counter(t.value for t in tokens if t.kind == "keep" and not t.value.isspace())
        for value, count in kept.items():
            assert result.text.count(value) >= count, (value, result.text)
        for token in tokens:
            if token.kind == "open" and token.mark == "a":
                assert f"]({token.target}" in result.text, (unit, result.text)
    if talkative:
        # Random weights: a few drafts drop a leading "- " (a list's shape) or lose a span and rightly
        # go piece by piece; how many moves with the libraries' numerics (3 of 28 with
        # scripts/constraints.txt's versions). Alignment itself broken would place none.
        assert engine.whole >= 0.8 * len(with_markup), (engine.whole, engine.split)
    else:
        assert engine.split > 0, (engine.whole, engine.split)  # a one-word draft cannot hold two spans


@pytest.mark.slow
def test_plain_paragraphs_are_escaped_both_ways(argos_installed: Path) -> None:
    from pipeline.engines.argos import ArgosEngine, find_package

    info = find_package("en", "es")
    assert info is not None
    out = ArgosEngine(info).translate([html.escape("Fish & chips < 3 euros.", quote=False)])
    assert "&" not in html.unescape(out[0]).replace("&", "") and "<" not in out[0]


def test_two_of_the_sources_own_names_side_by_side_are_not_a_doubling() -> None:
    """Placeholders of two occurrences can land together; the doubled-word repair must not eat one."""
    from pipeline.repair import remove_doubled

    source = "Maduro dismissed it, saying Pompeo said Maduro had a plane."
    assert remove_doubled(source, "Maduro Maduro lo negó.", "es") == ("Maduro Maduro lo negó.", [])
    assert remove_doubled(source, "Maduro lo lo negó.", "es") == ("Maduro lo negó.", ["lo"])


@pytest.mark.parametrize(("source", "draft", "fixed"), [
    ("He saw a dog and a cat.", "Vio a a un perro y un gato.", "Vio a un perro y un gato."),
    ("La ville et la mer, la nuit.", "La ciudad y la la mar.", "La ciudad y la mar."),
    ("The city. The sea.", "La La ciudad.", "La ciudad."),
], ids=["article", "repeated-in-source", "capital-at-sentence-start"])
def test_a_common_word_the_source_repeats_elsewhere_is_still_undoubled(source: str, draft: str, fixed: str) -> None:
    from pipeline.repair import remove_doubled

    assert remove_doubled(source, draft, "es")[0] == fixed


def test_a_break_inside_a_span_never_lands_on_its_edge() -> None:
    """``**big\\ndog**`` reordered by the model: the break stays inside the bold, or the projection fails."""
    source = "The **big\ndog** barked."
    target = ["\u2581El", "\u2581perro", "\u2581grande", "\u2581ladró", "."]
    out, _ = _aligned(source, target, [0, 3, 2, 4, 5])
    if out is not None:
        text, problems = tagged.from_tagged(out, markup.tokenize(source))
        assert problems == [] and tagged.shape(text) == tagged.shape(source), text


def test_a_placeholder_the_source_kept_apart_is_not_glued_to_a_word() -> None:
    source = "The dog (https://e.org/d) barked."
    target = ["\u2581El", "\u2581perro", "\u2581ladró", "."]
    out, _ = _aligned(source, target, [0, 1, 4, 5])
    assert out is not None
    text, _ = tagged.from_tagged(out, markup.tokenize(source))
    assert "perro https://e.org/d" in text or "https://e.org/d ladró" in text, text
    assert "perrohttps" not in text and "d/ladró" not in text, text


class _RandomAligner:
    """An aligning engine whose "model" writes random words and attends at random: draft() must still
    give a draft that reads as the source does, whole or piece by piece."""

    name, model, tagged = "argos", "random", True

    def __init__(self, data: st.DataObject) -> None:
        self.data, self.whole, self.split = data, 0, 0

    def _plain(self, texts: list[str]) -> list[str]:
        return [tagged.literal(t.upper()) for t in texts]

    def redo(self, texts: list[str]) -> list[str]:
        from pipeline.engines.argos import ArgosEngine

        self.split += len(texts)
        event("redone")
        return ArgosEngine._piecewise(self, texts)  # type: ignore[arg-type]

    def translate(self, texts: list[str], progress: object = None) -> list[str]:
        out = []
        for text in texts:
            marked = parse(text)
            assert marked is not None
            source = ["\u2581" + word for word in marked.plain.split()]
            ranges = char_ranges(marked.plain, source)
            length = self.data.draw(st.integers(1, 12))
            vocabulary = [*source, "\u2581uno", "s", ".", "\u2581-", "\u2581=", "\u2581#"]
            target = self.data.draw(st.lists(st.sampled_from(vocabulary), min_size=length, max_size=length))
            attention = self.data.draw(st.lists(st.lists(st.floats(0, 1), min_size=len(source),
                                                         max_size=len(source)), min_size=length, max_size=length))
            placed = project(marked, Alignment(ranges=ranges or [], source=source, target=target,
                                               attention=attention), _decode) if ranges else None
            event("whole" if placed is not None else "piece by piece")
            out.append(placed if placed is not None else self.redo([text])[0])
        return out


_BROKEN = st.lists(st.one_of(
    _UNITS,
    st.sampled_from(["line\nnext", "hard\\\nbreak", "**big\ndog**", "*a\\\nb*", "1999", "**2019**"]),
), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=_BROKEN, data=st.data())
def test_drafts_read_as_their_source_whatever_the_model_does(unit: str, data: st.DataObject) -> None:
    """Through draft(): the same blocks, spans, breaks and inline pieces as the source (tagged.shape),
    the same link targets and verbatim pieces, for random output and attention."""
    glossary = Glossary({"Frente Amplio": "Frente Amplio"})
    tokens = markup.tokenize(unit, glossary)
    result = draft(_RandomAligner(data), [unit], glossary)[0]  # type: ignore[arg-type]
    assert tagged.shape(result.text) == tagged.shape(markup.join(tokens)), (unit, result.text)
    for token in tokens:
        if token.kind == "open" and token.mark == "a":
            assert f"]({token.target}" in result.text, (unit, result.text)
