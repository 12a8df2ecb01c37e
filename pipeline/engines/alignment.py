"""Markup put back into a whole-sentence translation by the model's own alignment.

Argos models know no tags, so a paragraph with a link, bold text or a glossary
term used to be translated piece by piece between the markup, and each piece
lost its sentence.  Here the model sees the whole text without the markup;
CTranslate2 returns its attention, and each span (bold, emphasis, link) is
projected onto the contiguous run of output tokens that attends most to the
span's own source tokens (a maximum-sum window, the way markup transfer by
alignment works), inside its parent's run and beside its siblings'.  A
placeholder (a verbatim piece, a glossary term, a line break) follows the
output token that attends most to the source token before it.  Tokens that
come through unchanged (names, numbers) are sure alignments and override the
attention.

The result is checked before it is used: the output must hold every span and
placeholder once, with the same nesting as the source, and each span must
enclose text the model aligned to it.  A text that fails goes back to the
piece-by-piece path, so the markup is exact whatever the model does.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .tagged import literal

# The tags ``tagged.to_tagged`` writes, and nothing else.
_TAG = re.compile(r'<img alt="p(\d+)"/>|<a href="#p(\d+)">|</a>|<b>|</b>|<i>|</i>')
_OPENERS = re.compile(r'((?:<b>|<i>|<a href="#p\d+">)+)(\s+)')
_CLOSERS = re.compile(r"(\s+)((?:</b>|</i>|</a>)+)")
_SPACES = re.compile(r"[ \t]{2,}")

_OPENING = re.compile(r"<[bi]>|<a ")  # a span starts
_CLOSING = re.compile(r"</[bia]>\Z")  # a span ends, just before


@dataclass
class Span:
    """A bold, emphasis or link span over ``[start, end)`` of the plain text.

    A span around placeholders only (``**<term>**``) is itself a placeholder.
    """

    opening: str
    closing: str
    start: int
    end: int = -1
    raw: int = 0  # where the opening tag is in the tagged text
    children: list[Span] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class Point:
    """A placeholder at offset ``at`` of the plain text, and whether spaces surround it there."""

    tag: str
    at: int
    space_before: bool
    space_after: bool
    glued_before: bool = False  # the source has a letter or digit right before it
    glued_after: bool = False  # ... or right after it
    after_span: bool = False  # the source has it right after a span's end (``</b><p>``)
    before_span: bool = False  # ... or right before a span's start


@dataclass(frozen=True)
class Marked:
    """A tagged text as the model sees it (``plain``) and its markup over that text."""

    plain: str
    root: Span

    @property
    def has_markup(self) -> bool:
        return bool(self.root.children or self.root.points)


def parse(tagged: str) -> Marked | None:
    """The plain text and markup tree of ``to_tagged`` output; None if the tags do not nest."""
    root = Span("", "", 0)
    stack = [root]
    pieces = [(m, html.unescape(tagged[e:m.start()])) for m, e in
              zip(_TAG.finditer(tagged), [0, *(m.end() for m in _TAG.finditer(tagged))])]
    tail = html.unescape(tagged[pieces[-1][0].end():] if pieces else tagged)
    plain = ""
    for index, (match, text) in enumerate(pieces):
        after = pieces[index + 1][1] if index + 1 < len(pieces) else tail
        if text and plain and not plain[-1].isspace() and not text[0].isspace() \
                and index and pieces[index - 1][0].group(1) is not None:
            plain += " "  # a placeholder between two words: the model still sees two words
        plain += text
        tag = match.group(0)
        if match.group(1) is not None:
            stack[-1].points.append(Point(tag, len(plain), text[-1:].isspace() or (not text and plain[-1:].isspace()),
                                          after[:1].isspace()))
        elif tag.startswith("</"):
            if len(stack) == 1 or stack[-1].closing != tag:
                return None
            span = stack.pop()
            span.end = len(plain)
            if not plain[span.start:].strip():  # only placeholders inside: it moves as one placeholder
                stack[-1].children.remove(span)
                stack[-1].points.append(Point(tagged[span.raw:match.end()], span.start,
                                              plain[span.start - 1:span.start].isspace(), after[:1].isspace()))
        else:
            span = Span(tag, "</a>" if tag.startswith("<a") else f"</{tag[1]}>", len(plain), raw=match.start())
            stack[-1].children.append(span)
            stack.append(span)
    if tail and plain and not plain[-1].isspace() and not tail[0].isspace() and pieces \
            and pieces[-1][0].group(1) is not None:
        plain += " "
    plain += tail
    if len(stack) != 1:
        return None
    root.end = len(plain)
    _glue(root, tagged)
    return Marked(plain, root)


def _glue(node: Span, tagged: str) -> None:
    """Whether each placeholder touches a word in the source (``x<p>``), read from the tagged text."""
    for index, point in enumerate(node.points):
        at = tagged.find(point.tag)
        before = tagged[at - 1:at] if at > 0 else ""
        after = tagged[at + len(point.tag):at + len(point.tag) + 1]
        node.points[index] = replace(point, glued_before=before.isalnum(), glued_after=after.isalnum(),
                                     after_span=bool(_CLOSING.search(tagged, 0, at)),
                                     before_span=bool(_OPENING.match(tagged, at + len(point.tag))))
    for child in node.children:
        _glue(child, tagged)


def char_ranges(sentence: str, pieces: Sequence[str], offset: int = 0) -> list[tuple[int, int]] | None:
    """Where each SentencePiece piece lies in ``sentence`` (shifted by ``offset``); None if unsure.

    Pieces are matched against the sentence as SentencePiece normalises it
    (NFKC: ``…`` is ``...``), each normalised character mapped back to the one
    it came from.  A piece that is only the word-boundary mark covers no
    characters; one that cannot be found where it should be (an unknown piece)
    makes the whole mapping unsure, and the caller falls back.
    """
    normal: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(sentence):
        for part in unicodedata.normalize("NFKC", char):
            normal.append(part)
            origin.append(index)
    text_of = "".join(normal)
    ranges = []
    cursor = 0
    for piece in pieces:
        text = piece.replace("\u2581", "")
        while cursor < len(text_of) and text_of[cursor].isspace():
            cursor += 1
        if not text:
            at = origin[cursor] if cursor < len(origin) else len(sentence)
            ranges.append((offset + at, offset + at))
            continue
        end = cursor + len(text)
        if text_of[cursor:end] != text:
            return None
        ranges.append((offset + origin[cursor], offset + origin[end - 1] + 1))
        cursor = end
    return ranges


@dataclass(frozen=True)
class Alignment:
    """One text's model input and output: source pieces' character ranges, output pieces, attention."""

    ranges: Sequence[tuple[int, int]]
    source: Sequence[str]
    target: Sequence[str]
    attention: Sequence[Sequence[float]]  # one row per output piece, one column per source piece


def project(marked: Marked, alignment: Alignment, decode: Callable[[Sequence[str]], str]) -> str | None:
    """The translation with the markup of ``marked`` put back, as tagged text; None if it fails the check."""
    target = list(alignment.target)
    if not target or len(alignment.attention) != len(target) or not marked.plain.strip():
        return None
    best = _links(alignment)
    windows: dict[int, tuple[int, int]] = {}
    if not _place(marked.root, (0, len(target)), alignment, best, windows):
        return None
    full = decode(target)
    cuts = [0]
    for end in range(1, len(target) + 1):
        prefix = decode(target[:end])
        if not full.startswith(prefix) or len(prefix) < cuts[-1]:
            return None
        cuts.append(len(prefix))
    cuts[-1] = len(full)
    pieces = [full[cuts[i]:cuts[i + 1]] for i in range(len(target))]
    try:
        out = _render(marked.root, (0, len(target)), pieces, windows, _Context(alignment, best, marked.plain))
    except _Unplaceable:
        return None
    out = _SPACES.sub(" ", _CLOSERS.sub(r"\2\1", _OPENERS.sub(r"\2\1", _unglue(marked.root, out)))).strip()
    return out if same_markup(marked, out) else None


class _Unplaceable(Exception):
    """A placeholder has no place in its span that keeps the span's edges as the source has them."""


@dataclass(frozen=True)
class _Context:
    alignment: Alignment
    links: list[int]
    plain: str


def _unglue(node: Span, out: str) -> str:
    """A space between a placeholder and an output word it did not touch in the source
    (``perro<url>`` where the source had ``dog (<url>)``), and between it and a span it stood apart
    from (``**s.**<url>`` would not close the bold: CommonMark's flanking rules)."""
    for point in node.points:
        at = out.find(point.tag)
        if at < 0:
            continue
        end = at + len(point.tag)
        if not point.glued_after and (out[end:end + 1].isalnum()
                                      or not point.before_span and _OPENING.match(out, end)):
            out = out[:end] + " " + out[end:]
        if not point.glued_before and at > 0 and (out[at - 1].isalnum()
                                                  or not point.after_span and _CLOSING.search(out, 0, at)):
            out = out[:at] + " " + out[at:]
    for child in node.children:
        out = _unglue(child, out)
    return out


def _links(alignment: Alignment) -> list[int]:
    """The source piece each output piece is aligned to: a copied piece surely, otherwise by attention."""
    src_count: dict[str, int] = {}
    tgt_count: dict[str, int] = {}
    for piece in alignment.source:
        src_count[piece] = src_count.get(piece, 0) + 1
    for piece in alignment.target:
        tgt_count[piece] = tgt_count.get(piece, 0) + 1
    wordlike = [end > start for start, end in alignment.ranges]
    links = []
    for row, piece in zip(alignment.attention, alignment.target):
        copied = len(piece.strip("\u2581")) > 1 and src_count.get(piece) == 1 and tgt_count[piece] == 1
        if copied:
            links.append(list(alignment.source).index(piece))
            continue
        scores = [value if wordlike[s] else -1.0 for s, value in enumerate(row[:len(wordlike)])]
        links.append(max(range(len(scores)), key=scores.__getitem__) if scores else -1)
    return links


def _inside(span: Span, alignment: Alignment) -> list[bool] | None:
    """Which source pieces lie in ``span``; None if a piece straddles its edge or none has a character."""
    inside = []
    for start, end in alignment.ranges:
        if end > start and start < span.end and end > span.start and not (span.start <= start and end <= span.end):
            return None
        inside.append(end > start and span.start <= start and end <= span.end)
    return inside if any(inside) else None


def _place(node: Span, window: tuple[int, int], alignment: Alignment, links: list[int],
           windows: dict[int, tuple[int, int]]) -> bool:
    """Windows for ``node``'s children inside ``window``, then theirs inside each; False if impossible."""
    free = [window]
    bounds = _word_bounds(alignment.target)
    for child in node.children:
        inside = _inside(child, alignment)
        if inside is None:
            return False
        score = [1.0 if links[t] >= 0 and inside[links[t]] else -1.0 for t in range(len(links))]
        chosen = max((w for part in free for w in [_best_window(score, part, bounds)] if w is not None),
                     key=lambda w: (sum(score[w[0]:w[1]]), -w[0]), default=None)
        if chosen is None:
            return False
        windows[id(child)] = chosen
        free = [part for lo, hi in free
                for part in ((lo, max(lo, min(hi, chosen[0]))), (max(lo, min(hi, chosen[1])), hi)) if part[1] > part[0]]
        if not _place(child, chosen, alignment, links, windows):
            return False
    return True


def _word_bounds(target: Sequence[str]) -> tuple[list[bool], list[bool]]:
    """Where a span may open (before a piece that starts a word) and close (before one that starts a
    word or is punctuation, or at the end).

    A span never cuts a word (``**provoc**at``), and emphasis on those bounds
    is always read as emphasis by CommonMark's flanking rules.
    """
    opens = [t == 0 or target[t].startswith("\u2581") for t in range(len(target))] + [False]
    closes = [t == len(target) or target[t].startswith("\u2581") or not any(c.isalnum() for c in target[t])
              for t in range(len(target) + 1)]
    return opens, closes


def _best_window(score: list[float], part: tuple[int, int],
                 bounds: tuple[list[bool], list[bool]]) -> tuple[int, int] | None:
    """The highest-scoring run of ``score`` within ``part`` that starts and ends at word bounds and
    holds at least one piece aligned into the span (one pass: for each end, the best start at or
    before the last aligned piece)."""
    lo, hi = part
    sums = [0.0]
    for t in range(lo, hi):
        sums.append(sums[-1] + score[t])
    best: tuple[float, int, int] | None = None
    low: tuple[float, int] | None = None  # the smallest prefix sum at an allowed start so far
    start = lo
    last_aligned = -1
    for end in range(lo + 1, hi + 1):
        if score[end - 1] > 0:
            last_aligned = end - 1
            while start <= last_aligned:
                if bounds[0][start] and (low is None or sums[start - lo] < low[0]):
                    low = (sums[start - lo], start)
                start += 1
        if low is None or not bounds[1][end]:
            continue
        total = sums[end - lo] - low[0]
        if best is None or total > best[0]:
            best = (total, low[1], end)
    return (best[1], best[2]) if best else None


def _render(node: Span, window: tuple[int, int], pieces: list[str], windows: dict[int, tuple[int, int]],
            ctx: _Context) -> str:
    children = {windows[id(child)][0]: child for child in node.children}
    points: dict[int, list[Point]] = {}
    for point in node.points:
        points.setdefault(_point_position(point, node, window, windows, ctx), []).append(point)
    out: list[str] = []
    t = window[0]
    while True:
        for point in points.get(t, []):
            out.append(" " * point.space_before + point.tag + " " * point.space_after)
        if t >= window[1]:
            break
        child = children.get(t)
        if child is not None:
            inner = windows[id(child)]
            out.append(child.opening + _render(child, inner, pieces, windows, ctx) + child.closing)
            t = inner[1]
        else:
            out.append(html.escape(literal(pieces[t]), quote=False))
            t += 1
    return "".join(out)


def _point_position(point: Point, node: Span, window: tuple[int, int], windows: dict[int, tuple[int, int]],
                    ctx: _Context) -> int:
    """Near the output piece aligned to the nearest source piece before the placeholder.

    Only word bounds outside the span's child spans qualify, and the span's
    first or last place only where the source has the placeholder there too:
    a line break at the edge of a bold span would undo the bold (``**x\n**``).
    """
    alignment, links, target = ctx.alignment, ctx.links, ctx.alignment.target
    first_after = next((s for s, (start, _) in enumerate(alignment.ranges) if start >= point.at), len(alignment.ranges))
    before = [t for t in range(*window) if 0 <= links[t] < first_after]
    ideal = max(before, key=lambda t: (links[t], t)) + 1 if before else window[0]
    taken = [windows[id(child)] for child in node.children]
    at_start = not ctx.plain[node.start:point.at].strip()
    at_end = not ctx.plain[point.at:node.end].strip()
    allowed = [b for b in range(window[0], window[1] + 1)
               if (b == len(target) or target[b].startswith("\u2581") or not any(c.isalnum() for c in target[b]))
               and not any(lo < b < hi for lo, hi in taken)
               and (b != window[0] or at_start) and (b != window[1] or at_end)]
    if not allowed:
        raise _Unplaceable()
    return min(allowed, key=lambda b: (abs(b - ideal), -b))


def same_markup(marked: Marked, output: str) -> bool:
    """Whether ``output`` holds exactly the markup of ``marked``: each span and placeholder once,
    nested the same way, every span around some text."""
    again = parse(output)
    return again is not None and _shape(again.root, again.plain) == _shape(marked.root, marked.plain) \
        and _spans_hold_text(again.root, again.plain)


def _shape(node: Span, plain: str) -> tuple[object, ...]:
    children = sorted((_shape(child, plain) for child in node.children), key=repr)
    return node.opening, tuple(sorted(p.tag for p in node.points)), tuple(children)


def _spans_hold_text(node: Span, plain: str) -> bool:
    return all(plain[child.start:child.end].strip() and _spans_hold_text(child, plain) for child in node.children)
