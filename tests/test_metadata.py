"""Package metadata read off the rendered pages: languages, creators, publisher, accessibility claims.

The real readers (Ace, axe, Calibre) check the same books in tests/test_readers.py;
these are the fast checks of the rules behind what they see.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import DC, OPF, XHTML

from pipeline.config import load_config
from pipeline.metadata import PageFacts, conforms, languages, read_pages, summary
from pipeline.render import Edition, Translation, render_collection
from pipeline.segment import segment
from pipeline.sources import SourceText

PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="es" xml:lang="es"><head><title>Título largo</title></head>
<body><main><h1>Un título</h1><p class="untranslated" lang="en" xml:lang="en">An English paragraph
<em>with emphasis</em> left as it was.</p><p>Un párrafo 2026 <span lang="fr" xml:lang="fr">oui</span> traducido.</p>
{image}</main></body></html>"""


def test_words_are_counted_in_the_language_each_element_inherits() -> None:
    facts = read_pages([PAGE.format(image="").encode()])
    assert facts.words == {"es": 2 + 3, "en": 9, "fr": 1}  # head and numbers not counted
    assert facts.untranslated and not facts.drafts and facts.images == 0 and conforms(facts)
    assert languages(facts, "es") == ["en", "es", "fr"]  # most words first
    assert languages(facts, "es", bilingual=True) == ["es", "en", "fr"]
    assert languages(PageFacts(words={"en": 3, "es": 3}), "es") == ["es", "en"]  # a tie: the edition's own
    assert languages(PageFacts(), "pt") == ["pt"]


def test_an_image_without_alternative_withholds_the_conformance_claim() -> None:
    described = read_pages([PAGE.format(image='<img src="a.png" alt="A march"/>').encode()])
    bare = read_pages([PAGE.format(image='<img src="a.png" alt=" "/>').encode()])
    assert described.images == 1 and conforms(described)
    assert bare.images_without_alt == 1 and not conforms(bare)


def test_the_summary_says_what_holds_for_the_edition() -> None:
    partial = read_pages([PAGE.format(image="").encode()])
    text, lang = summary(partial, lang="es", kind="translation", articles=1, collection=False,
                         fallback="original", percent=40.0)
    assert lang == "es" and "sin traducir" in text and "Solo texto" in text and "revisada." not in text
    done, _ = summary(PageFacts(words={"es": 9}), lang="es", kind="translation", articles=1, collection=False,
                      fallback="original", percent=100.0)
    assert "Cada párrafo es una traducción revisada." in done and "sin traducir" not in done
    text, lang = summary(PageFacts(), lang="de", kind="original", articles=3, collection=True,
                         fallback="original", percent=None)
    assert lang == "en" and text.startswith("A collection of 3 articles")


def _editions(publisher: str) -> tuple[Edition, ...]:
    signed = segment(SourceText("a", "seeds/a.txt", "A signed article\n\nBy Ana Autora\n\nIts only paragraph."))
    unsigned = segment(SourceText("b", "seeds/b.txt", "An unsigned article\n\nIts only paragraph, unsigned."))
    approved = {b.text: Translation(f"ES {b.text}", True) for b in unsigned.translatable()}
    return (Edition(signed, "es", "en", {}, project="Proyecto", publisher=publisher),
            Edition(unsigned, "es", "en", approved, project="Proyecto", publisher=publisher))


def _metadata(files: dict[str, bytes]) -> dict[str, list[str]]:
    meta = ET.fromstring(files["OEBPS/content.opf"]).find(f"{OPF}metadata")
    assert meta is not None
    found: dict[str, list[str]] = {}
    for element in meta:
        key = element.get("property") or element.tag.replace(DC, "dc:")
        found.setdefault(key, []).append(element.text or "")
    return found


def test_publisher_stands_for_a_missing_author_and_a_collection_credits_everyone() -> None:
    signed, unsigned = _editions("Editorial Roja")
    alone = _metadata(render_collection((unsigned,), ""))
    assert alone["dc:creator"] == ["Editorial Roja"] and alone["dc:publisher"] == ["Editorial Roja"]
    assert alone["role"] == ["aut"] and alone["dc:language"] == ["es"]  # all approved: Spanish only
    both = _metadata(render_collection((signed, unsigned), "Reunidos"))
    assert set(both["dc:creator"]) == {"Editorial Roja"} | {signed.doc.metadata.author or "?"}
    assert len(both["dc:creator"]) == 2 and "en" in both["dc:language"]
    assert both["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert both["a11y:certifiedBy"] == ["Editorial Roja"]
    assert [i.startswith(p) for i, p in zip(both["dc:identifier"], ("urn:uuid:", "pipeline:"))] == [True, True]
    assert both["dc:identifier"][0].removeprefix("urn:uuid:") == both["dc:identifier"][1].removeprefix("pipeline:")
    assert _metadata(render_collection((Edition(unsigned.doc, "es", "en", project="Proyecto"),), ""))[
        "dc:publisher"] == ["Proyecto"]  # no publisher configured: the project's name


def test_navigation_has_doc_toc_landmarks_and_the_title_page_first() -> None:
    files = render_collection(_editions("Editorial Roja"), "Reunidos")
    nav = ET.fromstring(files["OEBPS/nav.xhtml"])
    toc, landmarks = nav.iter(f"{XHTML}nav")
    assert toc.get("role") == "doc-toc" and toc.get("{http://www.idpf.org/2007/ops}type") == "toc"
    assert [a.get("href") for a in toc.iter(f"{XHTML}a")][0] == "title.xhtml"
    assert landmarks.get("hidden") == "hidden"
    kinds = [a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iter(f"{XHTML}a")]
    assert kinds == ["toc", "titlepage", "bodymatter"]
    title = ET.fromstring(files["OEBPS/title.xhtml"])
    assert [a.get("href") for a in title.iter(f"{XHTML}a")] == ["a1.xhtml#a1-title", "a2.xhtml#a2-title"]
    assert all(ET.fromstring(files[n]).find(f".//{XHTML}main") is not None
               for n in ("OEBPS/nav.xhtml", "OEBPS/title.xhtml", "OEBPS/a1.xhtml"))


def test_publisher_comes_from_pipeline_toml_or_defaults_to_the_name(tmp_path: Path) -> None:
    toml = tmp_path / "pipeline.toml"
    toml.write_text('[project]\nname = "Solidarity"\npublisher = "Red Press"\n', encoding="utf-8")
    assert load_config(toml).publisher == "Red Press"
    toml.write_text('[project]\nname = "Solidarity"\n', encoding="utf-8")
    assert load_config(toml).publisher == "Solidarity"
