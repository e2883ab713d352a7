"""Where the article rule ends the article: at the tail, a heading of a list of other stories, a
stream of comments, a grid of teasers; where it begins, at a headline with its byline; and the
prose kept beside the article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from cleaner.engine.lists import block_ranges
from cleaner.engine.page import END_KINDS, FUNCTION_WORDS, PageLine, TextCache
from cleaner.text.patterns import compiled


class Cut(NamedTuple):
    """Where the article begins or ends, besides its lines' scores, and why (for explain)."""

    line: int  # the source line number of the first line in (a start) or out (an end)
    why: str


# Whom a biography is about: the capitalised words it begins with ("Dr Jane Doe", "Mariusz").
_SUBJECT = compiled(r"(?:(?:Dr|Prof)\.? )?\p{Lu}[\p{L}'’.-]+(?: \p{Lu}[\p{L}'’.-]+){0,3}")

if TYPE_CHECKING:
    from cleaner.engine.structure import ArticleRule, _Page


def _keep_adjacent_prose(
    page: _Page, path: list[bool], scores: list[float], least: float, words: int
) -> None:
    """Put into the article the long sentences that touch it (or a run of such sentences that
    does), that no rule removed and that the model does not score below `least`. A paragraph
    of prose counts as a sentence though its last one lacks its full stop."""
    lines = page.lines

    def eligible(i: int) -> bool:
        line = lines[i]
        return (
            not page.removed[i]
            and (line.sentence or line.prose)
            and line.words >= words
            and scores[i] >= least
        )

    # One sweep each way reaches every run of eligible lines that touches the article.
    for i in range(1, len(lines)):
        if not path[i] and path[i - 1] and eligible(i):
            path[i] = True
    for i in range(len(lines) - 2, -1, -1):
        if not path[i] and path[i + 1] and eligible(i):
            path[i] = True


def _complete_blocks(page: _Page, path: list[bool], share: float, min_lines: int = 3) -> list[int]:
    """The rows of paragraph blocks of `min_lines` lines or more that the article takes most
    of (at least `share` of their rows) but not all: a block is written as one unit, a list or
    a schedule without blank lines, and the rows the model scored low in it (the first rows
    under a heading, a row with a slash in it) are rows of it too. The rows of such blocks,
    less those a rule that cannot be overruled took: rows of the article, as a list's are."""
    rows_of_article: list[int] = []
    for rows in block_ranges(page.lines):
        if len(rows) < min_lines:
            continue
        taken = sum(1 for k in rows if path[k] and not page.removed[k])
        if taken == len(rows) or taken < share * len(rows):
            continue
        for k in rows:
            if not page.removed[k] or page.soft[k]:
                path[k] = True
                rows_of_article.append(k)
    return rows_of_article


def _continue_records(page: _Page, path: list[bool], scores: list[float], least: float, words: int) -> None:
    """Carry the article on past its last paragraph while the page goes on as the article did
    (the entries of a listicle, parted by address, map and credit lines): to a long sentence
    that no rule took and that scores at least `least`, across a gap like one between two
    paragraphs of the article, with the same kinds of rule-removed lines and as long, give or
    take a line. A heading in the gap ends it."""
    lines = page.lines
    paragraphs = [i for i, keep in enumerate(path) if keep and lines[i].prose]

    def shape(gap: range) -> tuple[str, ...]:
        return tuple(sorted(kind for j in gap if (kind := lines[j].evidence) is not None))

    gaps = {
        (len(gap), shape(gap))
        for before, after in pairwise(paragraphs)
        if len(gap := range(before + 1, after)) and not any(page.headings[j] for j in gap)
    }
    if not gaps:
        return
    last = paragraphs[-1]
    while True:
        following = next((j for j in range(last + 1, len(lines)) if lines[j].prose), None)
        if following is None:
            return
        line = lines[following]
        if page.removed[following] or not line.sentence or line.words < words or scores[following] < least:
            return
        gap = range(last + 1, following)
        kinds = shape(gap)
        like = any(kinds == other and abs(len(gap) - size) <= 1 for size, other in gaps)
        if not like or any(page.headings[j] is not None for j in gap):
            return
        for j in gap:
            path[j] = path[j] or (not page.removed[j] and scores[j] >= 0)
        path[following] = True
        last = following


def _end_at_tail(page: _Page, path: list[bool], min_words: int, window: int) -> Cut | None:
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
            return _ends(page, path, i, "an end heading with comment chrome after it")
    return None


def _end_at_list_heading(page: _Page, path: list[bool], min_words: int, share: float) -> Cut | None:
    """End the article at a `list` heading ("Related stories", "You might also like") or an
    `end` heading ("About the author") that comes after `min_words` words of it when what
    follows holds little of its prose: no more than `share` of the prose words before it. A
    line that reads as prose is not a heading ("Related work on the pier starts in spring.");
    one that leads in with a colon may be ("Related reading from the archive:"). A related
    box inside the article, with the article going on after it, is cut out as a box instead
    (ArticleRule._boxes)."""
    for i, line, before, after in _prose_around(page, path):
        # A heading a rule took as something else ("Related: TITLE", a link; "More on NAME",
        # a tag) is a line of its own, not the start of a section.
        heads = line.heading in ("list", "end") and line.evidence is None and not line.prose
        if heads and before >= min_words and after <= share * before:
            return _ends(page, path, i, f"a {line.heading} heading with little of the article after it")
    return None


def _end_at_bio(page: _Page, path: list[bool], rule: ArticleRule) -> Cut | None:
    """End the article at its author's biography: a paragraph an `author-bio` heading matches
    ("Jane Doe is a reporter at ... She covers ...") whose subject is named above it on a short
    line (the byline), after `end_min_words` words of the article, when what follows holds
    little of it (no more than `stream_after_share` of the prose before it) or begins as a
    page's end does: within `end_window` lines, a line a rule took as one of
    `cluster_parting_kinds` (a sign-up box, follow buttons, comments). A profile of someone the
    article is about is not named on a byline, and a listicle of people goes on after each of
    its entries."""
    lines = page.lines
    for i, line, before, after in _prose_around(page, path):
        heading = page.headings[i]
        about_author = heading is not None and heading.kind == "author-bio"
        if about_author and path[i] and before >= rule.end_min_words:
            subject = _SUBJECT.match(line.text)
            little = after - (line.words if line.prose else 0) <= rule.stream_after_share * before
            window = range(i + 1, min(len(lines), i + 1 + rule.end_window))
            page_end = any(lines[j].evidence in rule.cluster_parting_kinds for j in window)
            if subject is not None and (little or page_end) and _named_above(lines, i, subject.group()):
                return _ends(page, path, i, "the author's biography")
    return None


def _end_at_parting(page: _Page, path: list[bool], rule: ArticleRule) -> Cut | None:
    """End the article where the page's parting chrome gathers: `parting_min_lines` lines that
    rules removed as `cluster_parting_kinds` of at least two kinds (a sign-up box, a subscribe
    button, follow buttons) within `end_window` lines, after `end_min_words` words of the
    article, when what follows holds little of it (`stream_after_share` of the prose before)."""
    lines = page.lines
    parting = rule.cluster_parting_kinds
    for i, line, before, after in _prose_around(page, path):
        if line.evidence in parting and before >= rule.end_min_words:
            window = range(i, min(len(lines), i + rule.end_window))
            kinds = [lines[j].evidence for j in window if lines[j].evidence in parting]
            little = after <= rule.stream_after_share * before
            if len(kinds) >= rule.parting_min_lines and len(set(kinds)) >= 2 and little:
                shown = ", ".join(dict.fromkeys(str(kind) for kind in kinds))
                return _ends(page, path, i, f"the page's parting chrome ({shown})")
    return None


def _named_above(lines: Sequence[PageLine], index: int, name: str) -> bool:
    """Whether a short line (a byline, an author box's heading) above `index` holds `name`."""
    return any(name in lines[j].text for j in range(index) if lines[j].words <= 12)


def _end_at_stream(page: _Page, path: list[bool], rule: ArticleRule) -> Cut | None:
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
        return None
    words = _article_words(page, path)
    covered = [False] * len(lines)  # within reach of an anchor: a record's own lines
    for anchor in anchors:
        stop = min(len(lines), anchor + reach + 1)
        covered[anchor:stop] = [True] * (stop - anchor)
    after, loose = _words_after(words, covered)
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
        return _ends(page, path, start, "a stream of bylines, datelines or comment lines")
    return None


def _end_at_teasers(page: _Page, path: list[bool], rule: ArticleRule, cache: TextCache) -> Cut | None:
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
        return None
    words = _article_words(page, path)
    reach = [False] * count
    for title, summary in records:
        stop = min(count, summary + rule.teaser_spacing)
        reach[title:stop] = [True] * max(0, stop - title)
    after, loose = _words_after(words, reach)
    vocabulary: Counter[str] = Counter()  # content words of the article above `seen`
    seen = 0
    for k in range(len(records) - needed + 1):
        run = records[k : k + needed]
        start = run[0][0]
        if any(b[0] - a[0] > rule.teaser_spacing for a, b in pairwise(run)):
            continue
        if (
            after[0] - after[start] < rule.floor_words
            or loose[start] > rule.stream_after_share * after[start]
        ):
            continue
        for j in range(seen, start):
            if words[j]:
                vocabulary.update(cache.content_words(lines[j].text))
        seen = start
        shares = []
        for _, summary in run:
            own = cache.content_words(lines[summary].text)
            shares.append(sum(1 for w in own if w in vocabulary) / len(own) if own else 1.0)
        if sum(shares) / len(shares) >= rule.teaser_max_overlap:
            continue
        return _ends(page, path, start, "a grid of teasers about other things")
    return None


def _start_at_byline(page: _Page, path: list[bool], rule: ArticleRule) -> Cut | None:
    """Begin the article at the page's first headline with a byline or dateline under it
    (within two lines; a headline has function words, a list of names has none) when what the
    article holds above it is little of its prose (no more than `stream_after_share` of the
    prose below) and no paragraph of `prose_keep_words` words: teasers and a menu with short
    descriptions above the real start go with the page header. Under a paragraph of the
    article, a headline with a date is a card inside it, and nothing moves."""
    lines = page.lines
    started = False  # a line above is in the article
    for i, line, above, below in _prose_around(page, path):
        if path[i] and line.prose and line.words >= rule.prose_keep_words:
            return None  # a paragraph of the article is above: this is a box inside it
        # A headline has function words ("Ten bridges to walk"); a list of names does not.
        headline_shaped = not line.prose and not page.removed[i] and 3 <= line.words <= 20
        if headline_shaped and any(w.lower() in FUNCTION_WORDS for w in line.text.split()):
            credited = any(
                lines[j].evidence in ("byline", "dateline") for j in range(i + 1, min(len(lines), i + 3))
            )
            if credited:
                if started and above <= rule.stream_after_share * below:
                    for j in range(i):
                        path[j] = False
                    path[i] = True
                    return Cut(page.source[i].number, "a headline with its byline or dateline under it")
                return None  # only the first headline with a byline under it can be the start
        started = started or path[i]
    return None


def _ends(page: _Page, path: list[bool], first: int, why: str) -> Cut | None:
    """The article ends before line `first`: it and every line after it are out. Where and
    `why`, for explain, when that took any line out."""
    cut = any(path[first:])
    path[first:] = [False] * (len(path) - first)
    return Cut(page.source[first].number, why) if cut else None


def _article_words(page: _Page, path: list[bool]) -> list[int]:
    """Each line's words if it is prose of the article, else 0."""
    return [line.words if path[i] and line.prose else 0 for i, line in enumerate(page.lines)]


def _prose_around(page: _Page, path: list[bool]) -> Iterator[tuple[int, PageLine, int, int]]:
    """Each line with the article's prose words before it and from it on (the line's own
    included), as the path stands when the walk begins."""
    words = _article_words(page, path)
    before, after = 0, sum(words)
    for i, line in enumerate(page.lines):
        yield i, line, before, after
        before += words[i]
        after -= words[i]


def _words_after(words: list[int], reached: list[bool]) -> tuple[list[int], list[int]]:
    """From each line on: the article's prose words, and those of them out of reach of a
    record (`reached` false), as suffix sums with a 0 at the end."""
    after = [0] * (len(words) + 1)
    loose = [0] * (len(words) + 1)
    for i in range(len(words) - 1, -1, -1):
        after[i] = after[i + 1] + words[i]
        loose[i] = loose[i + 1] + (0 if reached[i] else words[i])
    return after, loose


def _structured_blocks(page: _Page, path: list[bool], ranges: list[range], min_lines: int) -> list[int]:
    """Lines of lists and tables (`ranges`, lists.list_ranges, of `min_lines` rows or more)
    that come right after a line of the article (a lead-in line, a subheading, or the prose
    they go on from) or right before it (a schedule above the text that explains it). Removed
    lines among them come back when the rule that took them may be overruled."""
    found: list[int] = []
    for rows in ranges:
        before, after = rows.start - 1, rows.stop
        touches = (before >= 0 and path[before]) or (after < len(path) and path[after])
        if len(rows) < min_lines or not touches:
            continue
        found += [k for k in rows if not page.removed[k] or page.soft[k]]
    return found
