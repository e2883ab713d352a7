"""The article rule, a structural rule type: it judges a line by where it stands, not only by what
it says (the other structural type, the repeated-line rule, is in repeated.py).

Both run after the vocabulary rules (block, paragraph, line), so they see a page whose known
chrome is already gone, and all their thresholds come from the rule file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from cleaner.engine.article import CLUSTER_GAP, MAIN_SHARE, PLAIN_GAP, page_features
from cleaner.engine.article_ends import (
    Cut,
    _complete_blocks,
    _continue_records,
    _end_at_bio,
    _end_at_list_heading,
    _end_at_parting,
    _end_at_stream,
    _end_at_tail,
    _end_at_teasers,
    _keep_adjacent_prose,
    _start_at_byline,
    _structured_blocks,
)
from cleaner.engine.article_path import article_path, headline_candidates, headline_features, score
from cleaner.engine.article_region import _evidence, _region
from cleaner.engine.gate import set_bits, shared_gate
from cleaner.engine.headings import Heading, names_one_link
from cleaner.engine.lists import list_blocks, list_ranges
from cleaner.engine.page import PageLine, TextCache
from cleaner.engine.rules import Applied, Context, Rule, _drop, overruled_in_article
from cleaner.text.document import Line


class Favor(NamedTuple):
    """The thresholds of one --favor setting: how readily a line counts as article."""

    offset: float = 0.0  # added to every line's score: above 0 keeps more
    enter_cost: float = 0.0  # what starting the article costs
    gap_cost: float = 1.0  # what opening a gap of chrome inside the article costs
    gap_line_cost: float = 0.6  # what each line of such a gap costs
    # A line a keep_in_article rule removed comes back inside the article from this score.
    restore_min_score: float = 0.0
    headline_min_score: float = 0.0  # the best headline candidate is the headline from this score
    # A long sentence next to the article, that no rule took, stays unless it scores below this:
    # a paragraph needs strong evidence to go.
    prose_min_score: float = -1.0
    # A line above the headline that scores this much is article: the headline is a subheading
    # and the lines above it stay.
    header_keep_score: float = 1.0


@dataclass(frozen=True, slots=True)
class ArticleRule(Rule):
    """Keep the article and drop the page around it, as the article model finds it.

    Every non-blank line of the page (as it was before any rule ran) is scored from named
    features (see cleaner.engine.article) with the rule file's `weights`; the article is the best
    labelling of the page as head, article with gaps, and tail (article.article_path). Lines
    before it go as `kind`, lines after it as `tail_kind` (or the kind of the heading that opens
    that part of the tail), gaps inside it as `gap_kind` (or their heading's kind). Inside the
    article, what a keep_in_article rule removed comes back when its line scores at least
    `restore_min_score`. With fewer than `floor_words` words of prose on the page there is no
    article to trust, and the rule removes nothing.
    """

    headings: tuple[Heading, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    favors: tuple[tuple[str, Favor], ...] = (("balanced", Favor()),)
    headline_weights: tuple[tuple[str, float], ...] = ()
    tail_kind: str = "page-footer"
    gap_kind: str = "inline-box"
    floor_words: int = 0
    headline_lookback: int = 12
    box_max_lines: int = 12  # the most lines a box under a list heading has
    list_min_lines: int = 2  # a list or table beside the article is article from this many rows
    block_complete_share: float = 0.0  # a block the article takes this much of, it takes whole
    prose_keep_words: int = 20  # a sentence this long next to the article needs strong evidence to go
    end_min_words: int = 0  # an end heading after this many article words, followed by tail chrome, ends it
    end_window: int = 6  # lines after the heading that are looked at for tail chrome
    # A stream of records (a comment thread) ends the article too: `stream_min_anchors` lines
    # that rules removed as one of `stream_kinds` ("by NAME writes:", "NAME says:", "Reply"),
    # each within `stream_spacing` lines of the next, after `floor_words` words of article,
    # with no more than `stream_after_share` of that article's words left after the stream.
    stream_kinds: tuple[str, ...] = ()
    stream_min_anchors: int = 3
    stream_spacing: int = 12
    stream_after_share: float = 0.25
    # A grid of teasers ends it as well: `teaser_min_records` title lines (capitalised, not
    # sentences, no rule took them), each followed by a summary of at most `teaser_max_words`
    # words and within `teaser_spacing` lines of the next, whose summaries share on average
    # less than `teaser_max_overlap` of their content words with the article above them.
    teaser_min_records: int = 0
    teaser_max_words: int = 45
    teaser_spacing: int = 4
    teaser_max_overlap: float = 0.3
    cluster_gap: int = CLUSTER_GAP  # a prose cluster ends after non-prose lines weighing more
    cluster_plain_gap: float = PLAIN_GAP  # what a line no rule took, of over 3 words, weighs
    cluster_main_share: float = MAIN_SHARE  # clusters this large next to the largest are main too
    cluster_parting_kinds: frozenset[str] = frozenset()  # ... unless a line of these kinds parts them
    parting_min_lines: int = 0  # this many lines of those kinds together end the article
    _weights: dict[str, float] = field(init=False, repr=False, compare=False, default_factory=dict)
    _headline_weights: dict[str, float] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weights", dict(self.weights))
        object.__setattr__(self, "_headline_weights", dict(self.headline_weights))

    def headline(
        self,
        page: _Page,
        scores: list[float],
        path: list[bool],
        start: int,
        least: float,
        cache: TextCache,
        structured: set[int],
    ) -> int | None:
        """The headline of an article whose first prose line is `start`: the best-scoring
        candidate above it, if it scores at least `least`, no rule that cannot be overruled
        took it and it is not a row of a list or table of the article (`structured`)."""
        candidates = [
            i
            for i in headline_candidates(page.lines, start, self.headline_lookback)
            if (not page.removed[i] or page.soft[i]) and i not in structured
        ]
        if not candidates or not self._headline_weights:
            return None
        features = headline_features(page.lines, candidates, start, scores, path, cache)
        values = [score(names, self._headline_weights) for names in features]
        best = max(range(len(candidates)), key=values.__getitem__)
        if values[best] >= least:
            return candidates[best]
        # No candidate stands out: the nearest line above the prose that reads as a headline.
        for i in candidates:
            line = page.lines[i]
            asks = line.text.rstrip().endswith(("?", "!"))
            shaped = line.heading is None and 2 <= line.words <= 30 and not line.prose
            if i < start and shaped and not page.removed[i] and (not line.sentence or asks):
                return i
        return None

    def _path(self, page: _Page, scores: list[float], favor: Favor) -> list[bool]:
        """The best labelling of the page (article.article_path), less the boxes in it."""
        path = article_path(scores, favor.enter_cost, favor.gap_cost, favor.gap_line_cost)
        boxes = self._boxes(page, path)
        return [keep and i not in boxes for i, keep in enumerate(path)]

    def _boxes(self, page: _Page, path: list[bool]) -> set[int]:
        """Lines of boxes inside the article: a `list` heading (related, most read) and the
        short lines under it, up to `box_max_lines`, until prose resumes."""
        boxes: set[int] = set()
        count = len(page.lines)
        for i in range(count):
            heading = page.headings[i]
            # "Related: TITLE" is one link, not the heading of a box.
            if not path[i] or heading is None or heading.role != "list" or names_one_link(page.lines[i].text):
                continue
            j = i + 1
            while j < count and not page.lines[j].prose and j - i <= self.box_max_lines:
                j += 1
            if j - i <= self.box_max_lines:
                boxes.update(range(i, j))
        return boxes

    def favor(self, name: str) -> Favor:
        for favor_name, favor in self.favors:
            if favor_name == name:
                return favor
        return self.favors[0][1]

    def apply(self, lines: list[Line], context: Context) -> Applied:
        page = _page(lines, context, self.headings)
        if not page.lines or sum(line.words for line in page.lines if line.prose) < self.floor_words:
            return lines, [], []
        favor = self.favor(context.favor)
        if context.article.texts is None:
            context.article.texts = TextCache()
        cache = context.article.texts
        ranges = list_ranges(page.lines, cache)
        listed = list_blocks(page.lines, cache, ranges)
        features = page_features(
            page.lines,
            cache,
            listed,
            self.cluster_gap,
            self.cluster_plain_gap,
            self.cluster_main_share,
            self.cluster_parting_kinds,
        )
        scores = [score(names, self._weights) + favor.offset for names in features]
        path = self._path(page, scores, favor)
        structured = set(_structured_blocks(page, path, ranges, self.list_min_lines))
        if not all(path[i] for i in structured):
            # Lists and tables of the article are article: find the article again with them in
            # it, so that what follows them is judged as following article text.
            for i in structured:
                scores[i] = max(scores[i], 0.0)
            path = self._path(page, scores, favor)
            for i in structured:
                path[i] = True
        if self.block_complete_share:
            structured.update(_complete_blocks(page, path, self.block_complete_share))
        _keep_adjacent_prose(page, path, scores, favor.prose_min_score, self.prose_keep_words)
        _continue_records(page, path, scores, favor.prose_min_score, self.prose_keep_words)
        ends: list[Cut | None] = []
        if self.end_min_words:
            ends.append(_end_at_tail(page, path, self.end_min_words, self.end_window))
            if self.stream_kinds:
                ends.append(_end_at_stream(page, path, self))
            if self.teaser_min_records:
                ends.append(_end_at_teasers(page, path, self, cache))
            ends.append(_end_at_list_heading(page, path, self.end_min_words, self.stream_after_share))
            ends.append(_end_at_bio(page, path, self))
            if self.parting_min_lines:
                ends.append(_end_at_parting(page, path, self))
        end = min((cut for cut in ends if cut is not None), default=None)
        begins = _start_at_byline(page, path, self)  # weighed against the article as it now ends
        inside = [i for i, keep in enumerate(path) if keep]
        if not inside:
            # No line earns a place: when in doubt, keep the page as it is.
            return lines, [], []
        start = next((i for i in inside if page.lines[i].prose), inside[0])
        headline = self.headline(page, scores, path, start, favor.headline_min_score, cache, structured)
        header_end = inside[0]  # lines before this one are the page header
        if headline is not None:
            # Above the headline is the page header; the headline itself is article. Unless a
            # line above it is surely article: then the headline is a subheading (when in doubt,
            # keep), and nothing above it goes for being above it.
            above = [i for i in range(headline) if path[i] and not page.lines[i].prose]
            if not any(scores[i] >= favor.header_keep_score for i in above):
                for i in above:
                    path[i] = False
            path[headline] = True
            header_end = min(headline, next(i for i in range(len(path)) if path[i]))
            context.article.headline = page.source[headline]
            inside = [i for i, keep in enumerate(path) if keep]
        first, last = inside[0], inside[-1]
        if context.article.region is None:
            context.article.region = _region(page, scores, path, first, last, context.favor)
        kinds: dict[int, str] = {}
        gap_kind = None
        tail = self.tail_kind
        for i in range(len(page.lines)):
            heading = page.headings[i]
            if i > last and heading is not None:
                tail = heading.kind
            if path[i]:
                gap_kind = None
                continue
            if header_end < i < start and (headline is None or i > headline):
                kind = self.kind  # between the headline and the prose: bylines, dates
            elif first < i < last:
                if gap_kind is None:
                    gap_kind = heading.kind if heading is not None else self.gap_kind
                kind = gap_kind
            else:
                kind = self.kind if i < first else tail
            if not page.removed[i]:
                kinds[i] = kind
        restored = {
            page.source[i]
            for i in inside
            if page.soft[i] and (scores[i] >= favor.restore_min_score or i == headline or i in structured)
        }
        for line in restored:
            context.article.kept[line] = context.removed[line]
        context.restored |= restored
        cuts = (begins, end)

        def evidence(i: int) -> str:
            return _evidence(page, i, (first, last), cuts, scores, features[i], self._weights)

        return page.drop(lines, kinds, evidence, restored, self)


class _Page:
    """The non-blank lines as they were before any rule ran, as the article model sees them."""

    __slots__ = ("headings", "lines", "original", "removed", "soft", "source")

    def __init__(
        self,
        original: list[Line],
        source: list[Line],
        lines: list[PageLine],
        removed: list[bool],
        soft: list[bool],
        headings: list[Heading | None],
    ) -> None:
        self.original = original  # every line, blank ones too
        self.source = source  # the non-blank ones, which `lines` describe
        self.lines = lines
        self.removed = removed
        self.soft = soft  # removed by a rule the article model may overrule
        self.headings = headings

    def drop(
        self,
        lines: list[Line],
        kinds: dict[int, str],
        evidence: Callable[[int], str],
        restored: set[Line],
        rule: Rule,
    ) -> Applied:
        """Remove the page lines in `kinds` (one removal per run of lines of one kind) and put
        back the `restored` ones where they stood. `evidence(i)` says why page line i goes; it
        is asked only for the first line of each removal, which reports it."""
        if not kinds and not restored:
            return lines, [], []
        position = {line: i for i, line in enumerate(self.source)}
        if restored:
            present = set(lines) | restored
            lines = [line for line in self.original if line in present]
        groups: list[tuple[str, list[int]]] = []
        notes: list[str] = []
        previous = None
        for index, line in enumerate(lines):
            if not line.text:
                continue
            kind = kinds.get(position[line]) if line in position else None
            if kind is not None and kind == previous:
                groups[-1][1].append(index)
            elif kind is not None:
                groups.append((kind, [index]))
                notes.append(evidence(position[line]))  # a removal reports its first line's
            previous = kind
        kept, removals, _ = _drop(lines, groups, rule)
        removals = [removal._replace(evidence=note) for removal, note in zip(removals, notes, strict=True)]
        return kept, removals, []


def _page(lines: list[Line], context: Context, headings: tuple[Heading, ...]) -> _Page:
    original = list(context.original if context.original is not None else lines)
    present = set(lines)
    facts = context.facts
    memo = facts.rule_memo(headings)
    gate = shared_gate(headings, lambda: [heading.pattern.required for heading in headings])
    source: list[Line] = []
    page_lines: list[PageLine] = []
    removed: list[bool] = []
    soft: list[bool] = []
    found: list[Heading | None] = []
    block = 0
    blank = True
    for line in original:
        text = line.text
        if not text:
            block += 0 if blank else 1
            blank = True
            continue
        blank = False
        gone = line not in present
        words = facts.words(text)
        if text not in memo:
            folded = facts.folded(text)
            mask = gate.mask(text, folded)
            # With the gate, only the headings whose required strings the text holds are tried.
            candidates = headings if mask is None else [headings[k] for k in set_bits(mask)]
            memo[text] = next((h for h in candidates if h.matches(text, words, folded)), None)
        heading = memo[text]
        evidence = context.removed.get(line) if gone else context.article.kept.get(line)
        source.append(line)
        removed.append(gone)
        soft.append(gone and overruled_in_article(context.removed_by.get(line)))
        found.append(heading)
        page_lines.append(
            PageLine(
                context.marks.get(line, text),
                words,
                facts.is_sentence(text),
                not gone and facts.is_prose(text, words),
                facts.is_data(text),
                block,
                evidence,
                heading.role if heading is not None else None,
            )
        )
    return _Page(original, source, page_lines, removed, soft, found)
