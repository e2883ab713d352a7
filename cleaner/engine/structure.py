"""Structural rule types: they judge a line by where it stands, not only by what it says.

They run after the vocabulary rules (block, paragraph, line), so they see a page whose known
chrome is already gone, and all their thresholds come from the rule file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise

from cleaner.engine.article import block_ranges, list_blocks, page_features
from cleaner.engine.article_path import article_path, headline_candidates, headline_features, score
from cleaner.engine.page import END_KINDS, PageLine, TextCache
from cleaner.engine.rules import Applied, Context, Pattern, Rule, _drop, overruled_in_article
from cleaner.text.document import Line

HEADING_ROLES = ("list", "end")


@dataclass(frozen=True, slots=True)
class RepeatedLineRule(Rule):
    """Drop every copy of a line that occurs `min_count` times or more in the page.

    Gallery captions, alt texts, kickers and menus printed twice for mobile repeat; an article
    does not say the same paragraph three times. But a short label whose every copy leads
    into a line of its own ("Q:" before each question, "Pros" before each list) alternates
    with different content: it is part of that content and stays, with `labels_stay`.
    """

    min_count: int = 3
    max_words: int | None = None
    keep_in_article: bool = False
    labels_stay: bool = False
    label_max_words: int = 4

    def apply(self, lines: list[Line], context: Context) -> Applied:
        counts = Counter(line.text for line in lines if line.text)
        words = context.facts.words
        repeated = {
            text
            for text, count in counts.items()
            if count >= self.min_count and (self.max_words is None or words(text) <= self.max_words)
        }
        if self.labels_stay and repeated:
            repeated -= self._labels(lines, repeated, counts, words)
        hits = [
            index
            for index, line in enumerate(lines)
            if line.text in repeated and not (self.keep_in_article and context.protected(line))
        ]
        if not hits:
            return lines, [], []
        return _drop(lines, [(self.kind, [i]) for i in hits], self)

    def _labels(self, lines: list[Line], repeated: set[str], counts: Counter[str], words) -> set[str]:
        """The repeated texts that are labels: short, and every copy followed by a line that
        occurs once on the page."""
        following: dict[str, list[str]] = {}
        texts = [line.text for line in lines if line.text]
        for text, after in zip(texts, [*texts[1:], ""], strict=True):
            if text in repeated:
                following.setdefault(text, []).append(after)
        return {
            text
            for text, nexts in following.items()
            if words(text) <= self.label_max_words and all(counts[after] == 1 for after in nexts)
        }


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
class Favor:
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
    _weights: dict[str, float] = field(init=False, repr=False, compare=False, default_factory=dict)
    _headline_weights: dict[str, float] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weights", dict(self.weights))
        object.__setattr__(self, "_headline_weights", dict(self.headline_weights))

    def headline(
        self, page: _Page, scores: list[float], path: list[bool], start: int, least: float, cache: TextCache
    ) -> int | None:
        """The headline of an article whose first prose line is `start`: the best-scoring
        candidate above it, if it scores at least `least` and no rule that cannot be overruled
        took it."""
        candidates = [
            i
            for i in headline_candidates(page.lines, start, self.headline_lookback)
            if not page.removed[i] or page.soft[i]
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
            if not path[i] or heading is None or heading.role != "list":
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
        listed = list_blocks(page.lines, cache)
        features = page_features(page.lines, cache, listed)
        scores = [score(names, self._weights) + favor.offset for names in features]
        path = self._path(page, scores, favor)
        structured = set(_structured_blocks(page, path, listed, self.list_min_lines))
        if not all(path[i] for i in structured):
            # Lists and tables of the article are article: find the article again with them in
            # it, so that what follows them is judged as following article text.
            for i in structured:
                scores[i] = max(scores[i], 0.0)
            path = self._path(page, scores, favor)
            for i in structured:
                path[i] = True
        _keep_adjacent_prose(page, path, scores, favor.prose_min_score, self.prose_keep_words)
        if self.end_min_words:
            _end_at_tail(page, path, self.end_min_words, self.end_window)
            if self.stream_kinds:
                _end_at_stream(page, path, self)
            if self.teaser_min_records:
                _end_at_teasers(page, path, self, cache)
            _end_at_list_heading(page, path, self.end_min_words, self.stream_after_share)
        inside = [i for i, keep in enumerate(path) if keep]
        if not inside:
            # No line earns a place: when in doubt, keep the page as it is.
            return lines, [], []
        start = next((i for i in inside if page.lines[i].prose), inside[0])
        headline = self.headline(page, scores, path, start, favor.headline_min_score, cache)
        header_end = inside[0]  # lines before this one are the page header
        if headline is not None:
            # Above the headline is the page header; the headline itself is article.
            for i in range(headline):
                if path[i] and not page.lines[i].prose:
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
        evidence = {i: _evidence(page, i, first, last, scores, features[i], self._weights) for i in kinds}
        return page.drop(lines, kinds, evidence, restored, self)


def _keep_adjacent_prose(
    page: _Page, path: list[bool], scores: list[float], least: float, words: int
) -> None:
    """Put into the article the long sentences that touch it (or a run of such sentences that
    does), that no rule removed and that the model does not score below `least`."""
    lines = page.lines

    def eligible(i: int) -> bool:
        line = lines[i]
        return not page.removed[i] and line.sentence and line.words >= words and scores[i] >= least

    # One sweep each way reaches every run of eligible lines that touches the article.
    for i in range(1, len(lines)):
        if not path[i] and path[i - 1] and eligible(i):
            path[i] = True
    for i in range(len(lines) - 2, -1, -1):
        if not path[i] and path[i + 1] and eligible(i):
            path[i] = True


def _end_at_tail(page: _Page, path: list[bool], min_words: int, window: int) -> None:
    """End the article at an end heading (comments, about the author; or a short line a rule
    removed as such, "12 Comments", "Leave a Reply") that comes after `min_words` words of it
    and is followed by tail chrome: within `window` lines, two lines that rules removed as
    comment, author or repeated chrome. A heading that reads as a sentence is never one."""
    lines = page.lines
    words = 0
    for i, line in enumerate(lines):
        if path[i] and line.prose:
            words += line.words
        marks_end = line.heading == "end" or (line.evidence in END_KINDS and line.words <= 8)
        if words < min_words or not marks_end or line.sentence:
            continue
        after = range(i + 1, min(len(lines), i + 1 + window))
        tail = sum(
            1 for j in after if lines[j].evidence in END_KINDS or lines[j].evidence == "repeated-chrome"
        )
        if tail >= 2:
            for j in range(i, len(lines)):
                path[j] = False
            return


def _end_at_list_heading(page: _Page, path: list[bool], min_words: int, share: float) -> None:
    """End the article at a `list` heading ("Related stories", "You might also like") that
    comes after `min_words` words of it when what follows holds little of its prose: no more
    than `share` of the prose words before the heading. A related box inside the article,
    with the article going on after it, is cut out as a box instead (ArticleRule._boxes)."""
    lines = page.lines
    words = [line.words if path[i] and line.prose else 0 for i, line in enumerate(lines)]
    total = sum(words)
    before = 0
    for i, line in enumerate(lines):
        # A heading a rule took as something else ("Related: TITLE", a link; "More on NAME",
        # a tag) is a line of its own, not the start of a section.
        heads = line.heading == "list" and line.evidence is None and not line.sentence
        if heads and before >= min_words and total - before <= share * before:
            for j in range(i, len(lines)):
                path[j] = False
            return
        before += words[i]


def _end_at_stream(page: _Page, path: list[bool], rule: ArticleRule) -> None:
    """End the article where a stream of records begins (see ArticleRule.stream_kinds): at the
    first of `stream_min_anchors` anchors in a row, each within `stream_spacing` lines of the
    next and with prose between them, when at least `floor_words` words of article come
    before it and the stream holds what follows: no more than `stream_after_share` of the
    article's prose after it lies beyond `stream_spacing` lines from an anchor. The short lines
    just above the first anchor ("Comments Filter:", "Load all comments") go with it."""
    lines = page.lines
    kinds = set(rule.stream_kinds)
    reach = rule.stream_spacing
    anchors = [i for i, line in enumerate(lines) if line.evidence in kinds and line.words <= 20]
    if len(anchors) < rule.stream_min_anchors:
        return
    words = [line.words if path[i] and line.prose else 0 for i, line in enumerate(lines)]
    covered = [False] * len(lines)  # within reach of an anchor: a record's own lines
    for anchor in anchors:
        stop = min(len(lines), anchor + reach + 1)
        covered[anchor:stop] = [True] * (stop - anchor)
    after = [0] * (len(lines) + 1)  # prose words of the article from each line on
    loose = [0] * (len(lines) + 1)  # of them, beyond reach of any anchor
    for i in range(len(lines) - 1, -1, -1):
        after[i] = after[i + 1] + words[i]
        loose[i] = loose[i + 1] + (0 if covered[i] else words[i])
    total = after[0]
    for k, start in enumerate(anchors):
        run = anchors[k : k + rule.stream_min_anchors]
        if len(run) < rule.stream_min_anchors or total - after[start] < rule.floor_words:
            continue
        if any(b - a > reach for a, b in pairwise(run)):
            continue
        if not after[run[0]] - after[run[-1]]:  # records that carry prose: a thread, not names
            continue
        if loose[start] > rule.stream_after_share * after[start]:
            continue
        while start > 0 and path[start - 1] and not lines[start - 1].prose and lines[start - 1].words <= 8:
            start -= 1
        for j in range(start, len(lines)):
            path[j] = False
        return


def _end_at_teasers(page: _Page, path: list[bool], rule: ArticleRule, cache: TextCache) -> None:
    """End the article where a grid of teasers begins (see ArticleRule.teaser_min_records):
    headline, summary, headline, summary, about other things than the article; when the grid
    holds what follows (as for a stream of records, `stream_after_share`)."""
    lines = page.lines
    count = len(lines)
    records: list[tuple[int, int]] = []  # (title line, summary line)
    for i, line in enumerate(lines):
        if line.prose or line.sentence or line.evidence is not None or not 3 <= line.words <= 16:
            continue
        shape = cache.shape(line.text, line.words)
        if "caps:all" not in shape and "caps:most" not in shape:
            continue
        summary = next((k for k in range(i + 1, min(count, i + 3)) if lines[k].prose), None)
        if summary is not None and lines[summary].words <= rule.teaser_max_words:
            records.append((i, summary))
    needed = rule.teaser_min_records
    if len(records) < needed:
        return
    words = [line.words if path[i] and line.prose else 0 for i, line in enumerate(lines)]
    reach = [False] * count
    for title, summary in records:
        for j in range(title, min(count, summary + rule.teaser_spacing)):
            reach[j] = True
    for k in range(len(records) - needed + 1):
        run = records[k : k + needed]
        if any(b[0] - a[0] > rule.teaser_spacing for a, b in pairwise(run)):
            continue
        start = run[0][0]
        if sum(words[:start]) < rule.floor_words:
            continue
        after = sum(words[start:])
        loose = sum(w for j, w in enumerate(words[start:], start) if not reach[j])
        if loose > rule.stream_after_share * after:
            continue
        vocabulary = Counter[str]()
        for j in range(start):
            if words[j]:
                vocabulary.update(cache.content_words(lines[j].text))
        shares = []
        for _, summary in run:
            own = cache.content_words(lines[summary].text)
            shares.append(sum(1 for w in own if w in vocabulary) / len(own) if own else 1.0)
        if sum(shares) / len(shares) >= rule.teaser_max_overlap:
            continue
        for j in range(start, count):
            path[j] = False
        return


def _structured_blocks(page: _Page, path: list[bool], listed: list[bool], min_lines: int) -> list[int]:
    """Lines of lists and tables (blocks of `min_lines` rows or more that read as a list of
    things or a table, see article.reads_as_list) that come right after a line of the article:
    a lead-in line, a subheading, or the prose they go on from. Removed lines among them come
    back when the rule that took them may be overruled."""
    found: list[int] = []
    for rows in block_ranges(page.lines):
        before = rows.start - 1
        if len(rows) < min_lines or not listed[rows.start] or before < 0 or not path[before]:
            continue
        found += [k for k in rows if not page.removed[k] or page.soft[k]]
    return found


def _region(page: _Page, scores: list[float], path: list[bool], first: int, last: int, favor: str) -> dict:
    gaps: list[list[int]] = []
    for i in range(first, last + 1):
        if not path[i]:
            number = page.source[i].number
            if gaps and gaps[-1][1] == page.source[i - 1].number:
                gaps[-1][1] = number
            else:
                gaps.append([number, number])
    return {
        "first_line": page.source[first].number,
        "last_line": page.source[last].number,
        "score": round(sum(s for s, keep in zip(scores, path, strict=True) if keep), 2),
        "lines": sum(path),
        "gaps": gaps,
        "favor": favor,
    }


def _evidence(
    page: _Page,
    i: int,
    first: int,
    last: int,
    scores: list[float],
    names: list[str],
    weights: dict[str, float],
) -> str:
    """Why the article model left line `i` out: where it stands, its score, its strongest features."""
    where = (
        "before the article" if i < first else "after the article" if i > last else "a gap inside the article"
    )
    strongest = sorted(
        ((weights.get(name, 0.0), name) for name in names if name != "bias"), key=lambda x: x[0]
    )[:3]
    reasons = ", ".join(f"{name} {weight:+.1f}" for weight, name in strongest)
    span = f"lines {page.source[first].number}-{page.source[last].number}"
    return f"{where} ({span}); score {scores[i]:+.1f}: {reasons}"


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
        evidence: dict[int, str],
        restored: set[Line],
        rule: Rule,
    ) -> Applied:
        """Remove the page lines in `kinds` (one removal per run of lines of one kind) and put
        back the `restored` ones where they stood."""
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
                notes.append(evidence[position[line]])
            previous = kind
        kept, removals, _ = _drop(lines, groups, rule)
        removals = [replace(removal, evidence=note) for removal, note in zip(removals, notes, strict=True)]
        return kept, removals, []


def _page(lines: list[Line], context: Context, headings: tuple[Heading, ...]) -> _Page:
    original = list(context.original if context.original is not None else lines)
    present = set(lines)
    facts = context.facts
    memo = facts.rule_memo(headings)
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
            memo[text] = next((h for h in headings if h.matches(text, words, folded)), None)
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
