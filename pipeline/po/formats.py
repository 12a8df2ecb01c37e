"""Format strings as ``msgfmt -c`` checks them: c-format, python-format, python-brace-format.

Each parser gives a ``Spec`` (named arguments by name, unnamed ones by position,
each with a type) or raises ``Invalid``; ``compare`` says what differs between
the msgid's spec and a msgstr's, in gettext's words, or None.  ``strict`` is
False for a plural form that serves few numbers, which may leave arguments out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


class Invalid(Exception):
    """Not a valid format string; the argument is gettext's reason."""


@dataclass
class Spec:
    named: dict[str, str] = field(default_factory=dict)
    unnamed: list[str] = field(default_factory=list)


_PY_TYPES = {**dict.fromkeys("c", "char"), **dict.fromkeys("sra", "string"),
             **dict.fromkeys("iduoxX", "integer"), **dict.fromkeys("eEfFgG", "float"), "%": ""}


def parse_python(text: str) -> Spec:
    spec = Spec()
    pos = 0
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            break
        pos += 1
        if text[pos:pos + 1] == "%":
            pos += 1
            continue
        name = None
        if text[pos:pos + 1] == "(":
            depth, start = 1, pos + 1
            pos += 1
            while depth and pos < len(text):
                depth += {"(": 1, ")": -1}.get(text[pos], 0)
                pos += 1
            if depth:
                raise Invalid("The string ends in the middle of a directive.")
            name = text[start:pos - 1]
        while pos < len(text) and text[pos] in " -+#0":
            pos += 1
        pos = _py_number(text, pos, spec, name)
        if text[pos:pos + 1] == ".":
            pos = _py_number(text, pos + 1, spec, name)
        while pos < len(text) and text[pos] in "hlL":
            pos += 1
        if pos >= len(text):
            raise Invalid("The string ends in the middle of a directive.")
        kind = _PY_TYPES.get(text[pos])
        if kind is None:
            raise Invalid(f"In the directive number {len(spec.unnamed) + len(spec.named) + 1}, "
                          f"the character '{text[pos]}' is not a valid conversion specifier.")
        pos += 1
        if kind:
            _py_add(spec, name, kind)
    return spec


def _py_number(text: str, pos: int, spec: Spec, name: str | None) -> int:
    if text[pos:pos + 1] == "*":
        if name is not None:
            raise Invalid("A named directive cannot take its width or precision from an argument.")
        _py_add(spec, None, "integer")
        return pos + 1
    while pos < len(text) and text[pos].isdigit():
        pos += 1
    return pos


def _py_add(spec: Spec, name: str | None, kind: str) -> None:
    if name is None:
        if spec.named:
            raise Invalid("The string refers to arguments both through names and through positions.")
        spec.unnamed.append(kind)
        return
    if spec.unnamed:
        raise Invalid("The string refers to arguments both through names and through positions.")
    if spec.named.setdefault(name, kind) != kind:
        raise Invalid(f"The string refers to the argument named '{name}' in incompatible ways.")


_BRACE_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[0-9]+)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])*)")


def parse_brace(text: str) -> Spec:
    spec = Spec()
    pos, count = 0, 0
    while pos < len(text):
        char = text[pos]
        if char == "}" or (char == "{" and text[pos + 1:pos + 2] == "{"):
            pos += 2 if text[pos + 1:pos + 2] == char else 1
            continue
        if char != "{":
            pos += 1
            continue
        pos = _brace_field(text, pos + 1, spec, count, nested=False)
        count += 1
    return spec


def _brace_field(text: str, pos: int, spec: Spec, count: int, nested: bool) -> int:
    match = _BRACE_NAME.match(text, pos)
    if not match:
        raise Invalid(f"In the directive number {count}, there is no field name.")
    if not nested:  # the whole field, attributes and indices included, names the argument
        spec.named.setdefault(match.group(0), "any")
    pos = match.end()
    if text[pos:pos + 1] == "!":  # gettext 0.21 knows no conversions: the string is not a brace format
        raise Invalid(f"In the directive number {count}, there is an unterminated format directive.")
    if text[pos:pos + 1] == ":" and not nested:
        pos += 1
        while pos < len(text) and text[pos] != "}":
            pos = _brace_field(text, pos + 1, spec, count, True) if text[pos] == "{" else pos + 1
    if text[pos:pos + 1] != "}":
        raise Invalid(f"In the directive number {count}, there is an unterminated format directive.")
    return pos + 1


_C_DIRECTIVE = re.compile(r"%(?:(\d+)\$)?([-+ #0'I]*)(\*(?:\d+\$)?|\d*)(?:\.(\*(?:\d+\$)?|\d*))?"
                          r"(hh|h|ll|l|L|q|j|z|Z|t)?(.?)", re.S)
_C_MACRO = re.compile(r"(PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR))>")
_C_TYPES = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"),
            **dict.fromkeys("eEfFgGaA", "double"), "c": "char", "s": "string", "p": "pointer", "n": "count"}


def parse_c(text: str) -> Spec:
    numbered: dict[int, str] = {}
    plain: list[str] = []
    pos = 0
    while (pos := text.find("%", pos)) >= 0:
        if text[pos + 1:pos + 2] == "%":
            pos += 2
            continue
        match = _C_DIRECTIVE.match(text, pos)
        assert match is not None  # every part of the pattern may be empty
        number, _flags, width, precision, size, conv = match.groups()
        pos = match.end()
        if conv == "<":
            macro = _C_MACRO.match(text, pos)
            if macro is None:
                raise Invalid("The string contains a '<' that is no <inttypes.h> macro.")
            conv, pos = "", macro.end()
            kind = f"<{macro.group(1)}>"
        else:
            size = {"q": "ll", "Z": "z"}.get(size or "", size or "") + ("l" if conv in "CS" and conv else "")
            conv = {"C": "c", "S": "s"}.get(conv, conv)
            kind = ""
        if conv == "" and not kind:
            raise Invalid("The string ends in the middle of a directive.")
        if conv == "m" or conv == "%":
            continue
        if not kind and conv not in _C_TYPES:
            raise Invalid(f"The character '{conv}' is not a valid conversion specifier.")
        args = [(w, "int") for w in (width, precision) if w and w.startswith("*")]
        args.append((f"{number}$" if number else "", kind or f"{size}{_C_TYPES[conv]}"))
        for where, kind in args:
            _c_add(numbered, plain, where, kind)
    if numbered:
        if sorted(numbered) != list(range(1, len(numbered) + 1)):
            raise Invalid("The string refers to an argument number it skips.")
        return Spec(unnamed=[numbered[n] for n in sorted(numbered)])
    return Spec(unnamed=plain)


def _c_add(numbered: dict[int, str], plain: list[str], where: str, kind: str) -> None:
    number = where.strip("*").rstrip("$")
    if number:
        if plain:
            raise Invalid("The string refers to arguments both through absolute argument numbers and "
                          "through unnumbered argument specifications.")
        if numbered.setdefault(int(number), kind) != kind:
            raise Invalid(f"The string refers to argument number {number} in incompatible ways.")
    else:
        if numbered:
            raise Invalid("The string refers to arguments both through absolute argument numbers and "
                          "through unnumbered argument specifications.")
        plain.append(kind)


def compare(one: Spec, two: Spec, strict: bool, names: tuple[str, str], positional_strict: bool) -> str | None:
    """How ``two`` (a msgstr) departs from ``one`` (its msgid), or None."""
    msgid, msgstr = names
    if one.named and two.unnamed:
        return f"format specifications in '{msgid}' expect a mapping, those in '{msgstr}' expect a tuple"
    if one.unnamed and two.named:
        return f"format specifications in '{msgid}' expect a tuple, those in '{msgstr}' expect a mapping"
    for name in sorted(set(one.named) | set(two.named)):
        if name not in one.named:
            return f"a format specification for argument '{name}', as in '{msgstr}', doesn't exist in '{msgid}'"
        if name not in two.named:
            if strict:
                return f"a format specification for argument '{name}' doesn't exist in '{msgstr}'"
            continue
        if "any" not in (one.named[name], two.named[name]) and one.named[name] != two.named[name]:
            return f"format specifications in '{msgid}' and '{msgstr}' for argument '{name}' are not the same"
    count_one, count_two = len(one.unnamed), len(two.unnamed)
    if count_one != count_two and (strict or positional_strict or count_two > count_one):
        return f"number of format specifications in '{msgid}' and '{msgstr}' does not match"
    for index, (a, b) in enumerate(zip(one.unnamed, two.unnamed), start=1):
        if a != b:
            return f"format specifications in '{msgid}' and '{msgstr}' for argument {index} are not the same"
    return None


_JS_DIRECTIVE = re.compile(r"%(?:(\d+)\$)?((?:[-+ 0]|'.)*)(\d*)(?:\.(\d*))?(.?)", re.S)
_JS_TYPES = {**dict.fromkeys("bdouxX", "integer"), **dict.fromkeys("efg", "float"), "c": "char", "s": "string",
             "j": "json"}


def parse_javascript(text: str) -> Spec:
    """JavaScript (sprintf.js style) directives; arguments are named by their position."""
    spec = Spec()
    pos, count = 0, 0
    while (pos := text.find("%", pos)) >= 0:
        if text[pos + 1:pos + 2] == "%":
            pos += 2
            continue
        match = _JS_DIRECTIVE.match(text, pos)
        assert match is not None  # every part of the pattern may be empty
        number, _flags, _width, _precision, conv = match.groups()
        pos = match.end()
        count += 1
        if conv not in _JS_TYPES:
            if not conv:
                raise Invalid("The string ends in the middle of a directive.")
            raise Invalid(f"In the directive number {count}, the character '{conv}' is not a valid conversion "
                          "specifier.")
        name = number or str(count)
        if spec.named.setdefault(name, _JS_TYPES[conv]) != _JS_TYPES[conv]:
            raise Invalid(f"The string refers to argument number {name} in incompatible ways.")
    return spec


# name in the flag -> (description in gettext's messages, parser, counts must match even when not strict)
LANGUAGES: dict[str, tuple[str, Callable[[str], Spec], bool]] = {
    "c": ("C", parse_c, False),
    "python": ("Python", parse_python, True),
    "python-brace": ("Python brace", parse_brace, False),
    "javascript": ("JavaScript", parse_javascript, False),
}
