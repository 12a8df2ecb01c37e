"""Placeholders: paragraphs cut into tokens and put back, and what an engine may break."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import ROOT, renderer_marks, token_marks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.engines.tagged import from_tagged, pieces, to_tagged
from pipeline.errors import ConfigError
from pipeline.glossary import Glossary, read_glossary
from pipeline.markup import join, spans, tokenize
from pipeline.po import load_po

GLOSSARY = Glossary({"Nicolás Maduro": "Nicolás Maduro", "ILPS": "ILPS", "working class": "clase obrera"})
RICH = ("The working class and **Nicolás Maduro** met [the ILPS](https://ilps.info/x) at https://ilps.info, "
        "wrote to info@ilps.info, ran `make all` and said *no*.")


def test_every_seed_entry_comes_back_unchanged() -> None:
    for pot in sorted((ROOT / "i18n" / "templates").glob("*.pot")):
        for msg in load_po(pot).messages:
            assert join(tokenize(msg.msgid)) == msg.msgid


def test_link_targets_urls_code_and_terms_never_reach_an_engine() -> None:
    tokens = tokenize(RICH, GLOSSARY)
    tagged = to_tagged(tokens)
    for hidden in ("https://ilps.info", "info@ilps.info", "make all", "ILPS", "Maduro", "working class"):
        assert hidden not in tagged and all(hidden not in p for p in pieces(tokens).values())
    assert "the" in pieces(tokens).values() and "<b>" in tagged and '<a href="#p' in tagged
    assert join(tokens) == RICH.replace("working class", "clase obrera")


def test_tagged_round_trip_restores_markdown() -> None:
    tokens = tokenize(RICH, GLOSSARY)
    text, problems = from_tagged(to_tagged(tokens), tokens)
    assert problems == [] and text == join(tokens)


@pytest.mark.parametrize("damage, repaired, note", [
    pytest.param(lambda s: s.replace('<img alt="p4"/>', ""), "Nicolás Maduro", "dropped the placeholder for",
                 id="dropped"),
    pytest.param(lambda s: s.replace('<img alt="p4"/>', '<img alt="p4"/> <img alt="p4"/>'), None,
                 "doubled the placeholder", id="doubled"),
    pytest.param(lambda s: s.replace("<b>", "").replace("</b>", ""), None, "**…** markup: 1 in the source, 0",
                 id="bold-lost"),
])
def test_damage_by_an_engine_is_repaired_where_possible_and_reported(damage, repaired, note) -> None:  # type: ignore[no-untyped-def]
    tokens = tokenize(RICH, GLOSSARY)
    text, problems = from_tagged(damage(to_tagged(tokens)), tokens)
    assert any(note in p for p in problems), problems
    assert text.count("Nicolás Maduro") == 1
    if repaired:
        assert text.rstrip().endswith(repaired)


def test_glossary_file_format() -> None:
    glossary = read_glossary("term,translation,note\nNicolás Maduro,,name\nworking class,clase obrera,\n"
                             "# a comment\n\"Party, The\",\"El Partido\",quoted\n", "g.csv")
    assert glossary.terms == {"Nicolás Maduro": "Nicolás Maduro", "working class": "clase obrera",
                              "Party, The": "El Partido"}
    assert glossary.fixed("Working class", at_start=True) == "Clase obrera"
    assert glossary.fixed("Working class") == "clase obrera"
    with pytest.raises(ConfigError, match=r"g.csv:3: term 'ILPS' appears twice \(first at line 2\)"):
        read_glossary("term,translation\nILPS,\nILPS,x\n", "g.csv")


def test_underscore_emphasis_notes_images_and_autolinks_are_markup_not_text() -> None:
    text = ('Some __strong__ and _em_ in snake_case_name, a note[^1], ![a picket](x.png "t") '
            "and <https://x.org/a>.")
    tokens = tokenize(text)
    assert join(tokens) == text
    tagged = to_tagged(tokens)
    assert "<b>strong</b>" in tagged and "<i>em</i>" in tagged and "snake_case_name" in tagged
    for hidden in ("[^1]", "x.png", "https://x.org/a"):
        assert hidden not in tagged and all(hidden not in p for p in pieces(tokens).values())
    assert from_tagged(tagged, tokens) == (text, [])
    restored, problems = from_tagged(tagged.replace("<i>em</i>", "em"), tokens)
    assert restored == text.replace("_em_", "em") and problems == [
        "*…* markup: 1 in the source, 0 in the draft"]


def test_a_hard_line_break_is_a_placeholder_an_engine_cannot_lose() -> None:
    tokens = tokenize("12 Main Street\nSpringfield")
    tagged = to_tagged(tokens)
    assert "\n" not in tagged and tagged.count("<img") == 1
    assert from_tagged(tagged.replace("Main Street", "Calle Principal"), tokens) == (
        "12 Calle Principal\nSpringfield", [])
    assert join(tokens, {0: "12 Calle Principal"}) == "12 Calle Principal\nSpringfield"


# ------------------------------------------------------------- one reader: the parser's own tokens

@pytest.mark.parametrize("text, marks", [
    pytest.param("2*3*4 and snake_case_name", {"i": 1}, id="intraword-star-is-emphasis-underscore-is-not"),
    pytest.param(r"a \*literal\* star", {}, id="escaped-stars-are-text"),
    pytest.param("[x](javascript:alert(1)) stays text", {}, id="unsafe-link-is-not-a-link"),
    pytest.param('see [the *report*](https://x.org/r "Report") now', {"a": 1, "i": 1}, id="link-with-title"),
    pytest.param("`` a ` b `` and ![alt *x*](i.png)", {"`": 1, "!": 1}, id="double-backtick-code-and-image"),
    pytest.param("***both*** here", {"b": 1, "i": 1}, id="strong-inside-em"),
])
def test_tokens_are_the_renderers_reading_and_join_back_exactly(text: str, marks: dict[str, int]) -> None:
    assert join(tokenize(text)) == text
    assert token_marks(text) == Counter(marks) == renderer_marks(text)


# No "^": a unit's footnote reference is one whether or not this unit defines the note (the renderer is
# given the article's notes), so around an undefined "[^x" the two parses differ by design.
_MARKDOWNISH = st.lists(st.sampled_from(list("ab *_`[]()!<>\\\n#") + ["https://x.org/p", "**", "](u)", "x@y.org"]),
                        max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWNISH.map(lambda s: "".join(s)))
def test_any_unit_joins_back_and_reads_as_the_renderer_reads_it(text: str) -> None:
    tokens = tokenize(text)
    assert join(tokens) == text
    assert all(text.startswith(t.value, t.start) for t in tokens)
    assert token_marks(text) == renderer_marks(text)


def test_spans_give_offsets_of_what_each_span_encloses() -> None:
    text = "A **bold** word, an *em* and [a link](https://x.org)."
    found = {kind: [text[i:j] for _, i, j, _ in items] for kind, items in spans(text).items()}
    assert found == {"bold": ["bold"], "emphasis": ["em"], "link": ["a link"]}
