"""What ``msgfmt -c --use-fuzzy`` checks in each translated entry, with its messages.

Newlines: msgid, msgid_plural and every msgstr form begin with ``\\n`` all or none,
and end with one all or none.  Format strings, for entries flagged c-format,
python-format or python-brace-format: every argument of the translation exists
in the msgid, with the same type, and the msgid's arguments are all used (a
plural form that serves few numbers, such as the singular, may leave some out).
Plural entries have as many forms as the header's ``nplurals``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CatalogError
from . import formats
from .flags import checked_languages
from .header import nplurals, often, plural_forms
from .model import Catalog, Message


def check_catalog(catalog: Catalog, path: Path | str) -> None:
    forms = plural_forms(catalog.header)
    count = nplurals(forms)
    frequent = often(forms)
    for msg in catalog.messages:
        if msg.obsolete or not msg.msgstr or msg.msgid == "":
            continue
        if msg.plural:
            if count is None or frequent is None:
                raise CatalogError("the catalog has plural translations, but its header lacks a valid "
                                   "'Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;'", path, msg.lineno,
                                   hint="add the Plural-Forms line for the language (see the gettext manual)")
            if len(msg.msgstr_plural) != count:
                raise CatalogError(f"this entry has {len(msg.msgstr_plural)} plural forms, but the header "
                                   f"says nplurals = {count}", path, msg.lineno,
                                   hint="give the entry one msgstr[N] per plural form")
        problem = newline_problem(msg) or format_problem(msg, frequent)
        if problem:
            raise CatalogError(problem, path, msg.lineno, hint="msgfmt -c refuses this entry too")


def _strings(msg: Message) -> list[tuple[str, str]]:
    if not msg.plural:
        return [("msgstr", msg.msgstr)]
    return [(f"msgstr[{n}]", form) for n, form in enumerate(msg.msgstr_plural)]


def newline_problem(msg: Message) -> str | None:
    others = ([("msgid_plural", msg.msgid_plural)] if msg.msgid_plural is not None else []) + _strings(msg)
    begins = msg.msgid.startswith("\n")
    ends = msg.msgid.endswith("\n")
    for name, text in others:
        if text.startswith("\n") != begins:
            return f"'msgid' and '{name}' entries do not both begin with '\\n'"
    for name, text in others:
        if text.endswith("\n") != ends:
            return f"'msgid' and '{name}' entries do not both end with '\\n'"
    return None


def format_problem(msg: Message, frequent: tuple[bool, ...] | None) -> str | None:
    for language in checked_languages(msg.flags):
        known = formats.LANGUAGES.get(language)
        if known is None:
            continue  # other languages are not checked (docs/catalogs.md)
        description, parse, counts_always = known
        source, source_name = (msg.msgid_plural, "msgid_plural") if msg.msgid_plural is not None \
            else (msg.msgid, "msgid")
        try:
            expected = parse(source)
        except formats.Invalid:
            continue  # msgfmt checks nothing when the msgid itself is not a valid format string
        for index, (name, text) in enumerate(_strings(msg)):
            strict = not msg.plural or frequent is None or index >= len(frequent) or frequent[index]
            try:
                found = parse(text)
            except formats.Invalid as exc:
                return f"'{name}' is not a valid {description} format string, unlike '{source_name}'. " \
                       f"Reason: {exc}"
            problem = formats.compare(expected, found, strict, (source_name, name), counts_always)
            if problem:
                return problem
    return None
