"""Structural rule types: they judge a line by where it stands, not only by what it says.

They run after the vocabulary rules (block, paragraph, line), so they see a page whose known
chrome is already gone, and all their thresholds come from the rule file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from cleaner.document import Line
from cleaner.rules import Applied, Context, Pattern, Rule, _drop

HEADING_ROLES = ("list", "end")


@dataclass(frozen=True, slots=True)
class RepeatedLineRule(Rule):
    """Drop every copy of a line that occurs `min_count` times or more in the page.

    Gallery captions, alt texts, kickers and menus printed twice for mobile repeat; an article
    does not say the same paragraph three times.
    """

    page_level: ClassVar[bool] = True

    min_count: int = 3
    max_words: int | None = None

    def apply(self, lines: list[Line], context: Context) -> Applied:
        counts = Counter(line.text for line in lines if line.text)
        words = context.facts.words
        hits = [
            index
            for index, line in enumerate(lines)
            if line.text
            and counts[line.text] >= self.min_count
            and (self.max_words is None or words(line.text) <= self.max_words)
        ]
        if not hits:
            return lines, [], []
        return _drop(lines, [(self.kind, [i]) for i in hits], self)


@dataclass(frozen=True, slots=True)
class ShortRunRule(Rule):
    """Inside the body (between the first and last prose paragraph), drop each run of at least
    `min_lines` consecutive short lines that are neither sentences nor table rows: link lists,
    headline lists, tag lists, "1 of 6" gallery counters. A lone subheading is a run of one.
    """

    min_lines: int = 4
    max_words: int = 14

    def apply(self, lines: list[Line], context: Context) -> Applied:
        zones = context.zones(lines)
        facts = context.facts
        groups: list[tuple[str, list[int]]] = []
        run: list[int] = []
        for index in range(max(zones.first, 0), min(zones.last + 1, len(lines))):
            text = lines[index].text
            if not text:
                continue
            short = facts.words(text) <= self.max_words
            if short and not facts.is_sentence(text) and not facts.is_data(text):
                run.append(index)
                continue
            if len(run) >= self.min_lines:
                groups.append((self.kind, run))
            run = []
        if len(run) >= self.min_lines:
            groups.append((self.kind, run))
        if not groups:
            return lines, [], []
        return _drop(lines, groups, self)


@dataclass(frozen=True, slots=True)
class Heading:
    """A short line that opens a list (`list`: related, most read) or ends the article (`end`:
    comments, about the author). A final colon is ignored."""

    role: str
    kind: str
    pattern: Pattern
    max_words: int

    def matches(self, text: str, words: int, folded: str | None = None) -> bool:
        """`folded` (prefilter.fold(text)), when given, lets a text without the pattern's
        required strings go unmatched; the stripped text is part of `text`, so that is sound."""
        if words > self.max_words:
            return False
        stripped = text.rstrip(":").rstrip()
        if folded is not None and not self.pattern.may_match(folded, stripped):
            return False
        return self.pattern.fullmatch(stripped)


@dataclass(frozen=True, slots=True)
class BodyRule(Rule):
    """Keep the article body and its headline; drop the page around them.

    The body is the first substantial cluster of prose lines. A cluster ends after more than
    `cluster_gap` other lines, or at a heading. A `list` heading followed by a short list and
    then more prose is an inline box: it is dropped and the article goes on. An `end` heading
    after a real cluster (`end_min_words`) ends the search: nothing after it is the article.
    The headline is the nearest short non-sentence line above the body. Everything before the
    body but the headline is dropped as `kind`, everything after it as `tail_kind` (or as the
    kind of the heading that opens that part of the tail). When no cluster reaches
    `floor_words`, the page has no body this rule can trust, and it removes nothing.

    It reads the page as it was before any rule ran: removed lines are not prose, but a removed
    heading still marks where its section starts.
    """

    page_level: ClassVar[bool] = True

    headings: tuple[Heading, ...] = ()
    tail_kind: str = "page-footer"
    cluster_gap: int = 12
    body_min_words: int = 100
    body_min_share: float = 0.5
    floor_words: int = 0
    end_min_words: int = 30
    end_guard_kinds: tuple[str, ...] = ()
    box_max_lines: int = 16
    box_window: int = 6
    box_min_prose: int = 4
    headline_lookback: int = 30
    headline_min_words: int = 2
    headline_max_words: int = 30

    def apply(self, lines: list[Line], context: Context) -> Applied:
        page = _Page(lines, context, self.headings)
        boxes: dict[int, str] = {}
        clusters = self._clusters(page, boxes)
        if not clusters:
            return lines, [], []
        sizes = [sum(page.words[i] for i in cluster) for cluster in clusters]
        if max(sizes) < self.floor_words:
            return lines, [], []
        need = min(self.body_min_words, self.body_min_share * max(sizes))
        body = next(cluster for cluster, size in zip(clusters, sizes, strict=True) if size >= need)
        start, end = body[0], body[-1]
        headline = self._headline(page, start)
        kinds: dict[int, str] = {}
        tail = self.tail_kind
        for i in range(len(page.lines)):
            if i > end and page.heading[i] is not None:
                tail = page.heading[i].kind
            if page.removed[i] or i == headline:
                continue
            if i in boxes:
                kinds[i] = boxes[i]
            elif i < start:
                kinds[i] = self.kind
            elif i > end:
                kinds[i] = tail
        return page.drop(lines, kinds, self)

    def _clusters(self, page: _Page, boxes: dict[int, str]) -> list[list[int]]:
        clusters: list[list[int]] = []
        current: list[int] = []
        gap = 0
        i = 0
        while i < len(page.lines):
            heading = page.heading[i]
            if heading is not None and current:
                if heading.role == "list":
                    box_end = self._inline_box(page, i)
                    if box_end is not None:
                        boxes.update((b, heading.kind) for b in range(i, box_end) if not page.removed[b])
                        i = box_end
                        continue
                clusters.append(current)
                current, gap = [], 0
                words = sum(page.words[x] for x in clusters[-1])
                if heading.role == "end" and words >= self.end_min_words and not self._guarded(page, i):
                    break
                i += 1
                continue
            if not page.removed[i]:
                if page.prose[i] or (current and page.data[i]):
                    if current and gap > self.cluster_gap:
                        clusters.append(current)
                        current = []
                    current.append(i)
                    gap = 0
                elif current:
                    gap += 1
            i += 1
        if current:
            clusters.append(current)
        return clusters

    def _inline_box(self, page: _Page, at: int) -> int | None:
        """Where the inline box opened by the list heading at `at` ends, or None if it is not one.

        A box is the heading and 1 to `box_max_lines` short lines, without a second heading,
        after which the article resumes: the first line after it is prose, and so are at least
        `box_min_prose` of the next `box_window` lines.
        """
        size = 1
        j = at + 1
        while j < len(page.lines) and size <= self.box_max_lines + 1:
            if page.prose[j]:
                break
            if page.heading[j] is not None:
                return None
            if not page.removed[j]:
                size += 1
            j += 1
        if not 2 <= size <= self.box_max_lines + 1:
            return None
        stop = min(len(page.lines), j + 4 * self.box_window)
        window = [x for x in range(j, stop) if not page.removed[x]][: self.box_window]
        if not window or not page.prose[window[0]]:
            return None
        if sum(page.prose[x] for x in window) < self.box_min_prose:
            return None
        return j

    def _guarded(self, page: _Page, at: int) -> bool:
        """An end heading next to share buttons is one of the buttons ("Comments", "Share")."""
        neighbours = [x for x in (at - 1, at + 1) if 0 <= x < len(page.lines)]
        return any(page.removed_kind(x) in self.end_guard_kinds for x in neighbours)

    def _headline(self, page: _Page, start: int) -> int | None:
        for i in range(start - 1, max(start - 1 - self.headline_lookback, -1), -1):
            if page.removed[i] or page.heading[i] is not None:
                continue
            words = page.words[i]
            if self.headline_min_words <= words <= self.headline_max_words and not page.is_sentence(i):
                return i
        return None


class _Page:
    """The non-blank lines as they were before any rule ran, with what the body rule asks of each."""

    __slots__ = ("_context", "_present", "data", "heading", "lines", "prose", "removed", "words")

    def __init__(self, lines: list[Line], context: Context, headings: tuple[Heading, ...]) -> None:
        original = context.original if context.original is not None else lines
        self.lines = [line for line in original if line.text]
        self._context = context
        self._present = {line for line in lines if line.text}
        self.removed = [line not in self._present for line in self.lines]
        texts = [line.text for line in self.lines]
        facts = context.facts
        self.words = [facts.words(text) for text in texts]
        self.prose = [not gone and facts.is_prose(t) for t, gone in zip(texts, self.removed, strict=True)]
        self.data = [not gone and facts.is_data(t) for t, gone in zip(texts, self.removed, strict=True)]
        memo = facts.rule_memo(headings)
        self.heading = []
        for text, words in zip(texts, self.words, strict=True):
            if text not in memo:
                folded = facts.folded(text)
                memo[text] = next((h for h in headings if h.matches(text, words, folded)), None)
            self.heading.append(memo[text])

    def is_sentence(self, i: int) -> bool:
        return self._context.facts.is_sentence(self.lines[i].text)

    def removed_kind(self, i: int) -> str | None:
        return self._context.removed.get(self.lines[i]) if self.removed[i] else None

    def drop(self, lines: list[Line], kinds: dict[int, str], rule: Rule) -> Applied:
        """Remove the page lines in `kinds`, one removal per run of lines of the same kind."""
        if not kinds:
            return lines, [], []
        position = {line: i for i, line in enumerate(self.lines)}
        groups: list[tuple[str, list[int]]] = []
        previous = None  # the kind the previous non-blank line was dropped as, if it was
        for index, line in enumerate(lines):
            if not line.text:
                continue
            kind = kinds.get(position[line])
            if kind is not None and kind == previous:
                groups[-1][1].append(index)
            elif kind is not None:
                groups.append((kind, [index]))
            previous = kind
        return _drop(lines, groups, rule)
