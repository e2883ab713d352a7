"""The article model: every line of a page scored from evidence, the article chosen as a whole.

Each non-blank line gets named features: its own shape (words, sentence end, list marker, table
row, title case, share of function words), what the vocabulary rules said of it (their kind, as
negative evidence), where it stands (share of the page's prose before it, prose nearby, its
paragraph block) and its neighbours' shape. A linear score over those features, with weights
kept in the rule file, says how much the line looks like article text. The article is then the
best-scoring labelling of the whole page as head, article, gaps inside the article and tail
(article_path, a Viterbi path after the maximum-scoring-segment view of body text
extraction): a short interruption inside a long article is bridged, a box of chrome inside it
is cut out, and a later, larger part of the article is never dropped because an earlier
cluster came first.

This module makes the features; a line's own shape is read in page.py, and the path and the
headline are chosen in article_path.py.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

from cleaner.engine.lists import list_blocks
from cleaner.engine.page import END_KINDS, PageLine, TextCache


def _names(prefix: str, bounds: tuple[float, ...]) -> tuple[str, ...]:
    """f"{prefix}{_bin(value, bounds)}" for each bisect_right(bounds, value): one lookup."""
    return tuple(f"{prefix}{max(index - 1, 0)}" for index in range(len(bounds) + 1))


_AFTER_END_BOUNDS = (1, 3, 8, 20)
_AFTER_END = _names("after-end:", _AFTER_END_BOUNDS)
_MASS_BOUNDS = (0, 0.1, 0.3, 0.7, 0.9)
_MASS = _names("mass:", _MASS_BOUNDS)
_BEFORE_FIRST_BOUNDS = (1, 2, 4, 8, 16)
_BEFORE_FIRST = _names("before-first:", _BEFORE_FIRST_BOUNDS)
_POSITION_BOUNDS = (0, 0.05, 0.15, 0.85, 0.95)
_POSITION = _names("position:", _POSITION_BOUNDS)
_LOCAL_BOUNDS = (0, 1, 40, 120, 300)
_LOCAL = _names("local:", _LOCAL_BOUNDS)
_NEAREST_BOUNDS = (0, 1, 2, 4, 8, 16)
_NEAREST = _names("nearest:", _NEAREST_BOUNDS)
_BLOCK_BOUNDS = (1, 2, 4, 10)
_BLOCK = _names("block:", _BLOCK_BOUNDS)
_BLOCK_PROSE_BOUNDS = (0, 0.01, 0.5)
_BLOCK_PROSE = _names("block-prose:", _BLOCK_PROSE_BOUNDS)
_BLOCK_TITLES_BOUNDS = (0, 0.3, 0.7, 0.95)
_BLOCK_TITLES = _names("block-titles:", _BLOCK_TITLES_BOUNDS)
_BLOCK_SHORT_BOUNDS = (0, 0.5, 0.9)
_BLOCK_SHORT = _names("block-short:", _BLOCK_SHORT_BOUNDS)
_OVERLAP_BOUNDS = (0, 0.01, 0.34, 0.67)
_OVERLAP = {
    name: _names(f"{name}:", _OVERLAP_BOUNDS) for name in ("overlap-prose", "overlap", "overlap-short")
}
_MAIN_BOUNDS = (1, 2, 4, 8, 16, 32)
_MAIN_BEFORE = _names("main:before:", _MAIN_BOUNDS)
_MAIN_AFTER = _names("main:after:", _MAIN_BOUNDS)


def _next_names(name: str, offset: int) -> tuple[str, str, str]:
    if abs(offset) != 1:
        return "", "", ""
    return f"{name}:new-block", f"{name}:marker", f"{name}:sentence"


# Each neighbour: its offset and its feature names (edge, prose, tiny, evidence; and for the
# next lines only, new-block, marker, sentence).
_NEIGHBOURS: tuple[tuple[int, str, str, str, str, str, str, str], ...] = tuple(
    (offset, f"{name}:edge", f"{name}:prose", f"{name}:tiny", f"{name}:evidence", *_next_names(name, offset))
    for offset, name in ((-1, "prev"), (1, "next"), (-2, "prev2"), (2, "next2"))
)

# The defaults of the article rule's cluster_gap and cluster_plain_gap (rules/generic/article.toml).
CLUSTER_GAP = 6
PLAIN_GAP = 0.25
MAIN_SHARE = 0.5


def page_features(
    lines: Sequence[PageLine],
    cache: TextCache | None = None,
    listed: Sequence[bool] | None = None,
    cluster_gap: float = CLUSTER_GAP,
    plain_gap: float = PLAIN_GAP,
    main_share: float = MAIN_SHARE,
    parting_kinds: frozenset[str] = frozenset(),
) -> list[list[str]]:
    """The named features of each line: its shape, its evidence, its place and its neighbours.

    `listed` (list_blocks of the lines) may be given when the caller has it already;
    `cluster_gap`, `plain_gap`, `main_share` and `parting_kinds` are the article rule's (see
    _clusters)."""
    count = len(lines)
    if not count:
        return []
    cache = cache if cache is not None else TextCache()
    shapes = [cache.shape(line.text, line.words) for line in lines]
    prose_words = [line.words if line.prose else 0 for line in lines]
    total_prose = sum(prose_words)
    before = 0
    repeats = Counter(line.text for line in lines)
    block_sizes = Counter(line.block for line in lines)
    block_prose: Counter[int] = Counter()
    block_titles: Counter[int] = Counter()  # short title-case lines that are not sentences
    block_markers: Counter[int] = Counter()
    block_short: Counter[int] = Counter()  # lines of five words or fewer
    for line, shape in zip(lines, shapes, strict=True):
        if line.prose:
            block_prose[line.block] += 1
        if not line.sentence and line.words <= 10 and ("caps:all" in shape or "caps:most" in shape):
            block_titles[line.block] += 1
        if "marker" in shape:
            block_markers[line.block] += 1
        if line.words <= 5:
            block_short[line.block] += 1
    body_vocabulary = _vocabulary((line.text for line in lines if line.prose and line.words >= 12), cache)
    # The content words of one long prose line of the page or more, and of two or more.
    in_one = set(body_vocabulary)
    in_two = {word for word, count in body_vocabulary.items() if count > 1}
    prose_at = [i for i, line in enumerate(lines) if line.prose]
    seen_end: list[int] = []
    main_first, main_last, clusters = _clusters(lines, cluster_gap, plain_gap, main_share, parting_kinds)
    listed = listed if listed is not None else list_blocks(lines, cache)
    periodic = _periodic([_shape_code(line, shape) for line, shape in zip(lines, shapes, strict=True)])
    out: list[list[str]] = []
    nearest = _nearest_distances(prose_at, count)
    window = 6
    # Prose words within `window` lines on either side (self excluded), by a running sum.
    prefix = [0]
    for value in prose_words:
        prefix.append(prefix[-1] + value)
    for i, line in enumerate(lines):
        features = ["bias", *shapes[i]]
        if line.sentence:
            features.append("sentence")
        if line.prose:
            features.append("prose")
        if line.data:
            features.append("data")
        if line.evidence is not None:
            features.append("evidence")
            features.append(f"evidence:{line.evidence}")
        if line.heading is not None:
            features.append(f"heading:{line.heading}")
        if seen_end:
            features.append(_AFTER_END[bisect_right(_AFTER_END_BOUNDS, i - seen_end[-1])])
        if (
            (line.heading == "end" or line.evidence in END_KINDS)
            and total_prose
            and before >= 0.3 * total_prose
        ):
            seen_end.append(i)
        # Where it stands in the prose of the page.
        if total_prose:
            after = total_prose - before - prose_words[i]
            if before == 0:
                features.append("mass:none-before")
            elif after == 0:
                features.append("mass:none-after")
            else:
                features.append(_MASS[bisect_right(_MASS_BOUNDS, before / total_prose)])
            if before == 0 and i < (prose_at[0] if prose_at else count):
                features.append(_BEFORE_FIRST[bisect_right(_BEFORE_FIRST_BOUNDS, prose_at[0] - i)])
        else:
            features.append("mass:no-prose")
        before += prose_words[i]
        features.append(_POSITION[bisect_right(_POSITION_BOUNDS, i / count)])
        local = prefix[min(count, i + window + 1)] - prefix[max(0, i - window)] - prose_words[i]
        features.append(_LOCAL[bisect_right(_LOCAL_BOUNDS, local)])
        features.append(_NEAREST[bisect_right(_NEAREST_BOUNDS, nearest[i])])
        # The paragraph block it is part of.
        size = block_sizes[line.block]
        features.append(_BLOCK[bisect_right(_BLOCK_BOUNDS, size)])
        if size > 1:
            prose_share = block_prose.get(line.block, 0) / size
            features.append(_BLOCK_PROSE[bisect_right(_BLOCK_PROSE_BOUNDS, prose_share)])
        if size >= 3:
            titles = block_titles.get(line.block, 0) / size
            features.append(_BLOCK_TITLES[bisect_right(_BLOCK_TITLES_BOUNDS, titles)])
            markers = block_markers.get(line.block, 0) / size
            if markers >= 0.5:
                features.append("block-markers")
            short = block_short.get(line.block, 0) / size
            features.append(_BLOCK_SHORT[bisect_right(_BLOCK_SHORT_BOUNDS, short)])
        if repeats[line.text] > 1:
            features.append("repeated" if repeats[line.text] == 2 else "repeated:3")
        # Its neighbours.
        for offset, edge, prose, tiny, evidence, new_block, marker, sentence in _NEIGHBOURS:
            j = i + offset
            if not 0 <= j < count:
                features.append(edge)
                continue
            other = lines[j]
            if other.prose:
                features.append(prose)
            elif other.words <= 3:
                features.append(tiny)
            if other.evidence is not None:
                features.append(evidence)
            if new_block:
                if other.block != line.block:
                    features.append(new_block)
                if "marker" in shapes[j]:
                    features.append(marker)
                if other.sentence:
                    features.append(sentence)
        # Does it speak of what the rest of the prose of the page speaks of?
        if body_vocabulary:
            own = cache.content_words(line.text)
            if own:
                # A long prose line counts itself in the vocabulary: its words must occur twice.
                known = in_two if line.prose and line.words >= 12 else in_one
                shared = len(own & known) / len(own)
                prefix_name = (
                    "overlap-prose" if line.prose else "overlap" if line.words > 5 else "overlap-short"
                )
                features.append(_OVERLAP[prefix_name][bisect_right(_OVERLAP_BOUNDS, shared)])
        if main_first <= i <= main_last:
            features.append("cluster:main")
        elif main_last >= 0:
            if i < main_first:
                features.append(_MAIN_BEFORE[bisect_right(_MAIN_BOUNDS, main_first - i)])
            else:
                features.append(_MAIN_AFTER[bisect_right(_MAIN_BOUNDS, i - main_last)])
            if clusters[i]:
                features.append(f"cluster:other:{clusters[i]}")
        if listed[i]:
            features.append("list-block")
        if periodic[i]:
            features.append("periodic:2" if periodic[i] == 2 else "periodic:3+")
            if line.prose:
                features.append("periodic-prose")
        if not line.prose and line.words <= 14 and not line.sentence:
            nxt = lines[i + 1] if i + 1 < count else None
            if nxt is not None and nxt.prose:
                features.append("short-before-prose")
        out.append(features)
    return out


def _clusters(
    lines: Sequence[PageLine],
    cluster_gap: float,
    plain_gap: float,
    main_share: float = MAIN_SHARE,
    parting_kinds: frozenset[str] = frozenset(),
) -> tuple[int, int, list[int]]:
    """The main span of prose (first, last line) and, for each line in a cluster outside it, how
    big that cluster is next to the largest one (1: under a tenth, 2: under a half, 3: more), 0
    for lines in no cluster. (-1, -1, ...) without prose.

    A cluster ends after non-prose lines that weigh more than `cluster_gap`: a line a rule
    took or of three words or fewer weighs 1, any other `plain_gap`. The main span runs from
    the first to the last cluster of at least `main_share` of the words of the largest one
    around it, up to a heading or a line a rule took as one of `parting_kinds` (comments, a
    copyright line: a page's end, or a box of related stories, parts two articles' prose)."""
    spans: list[tuple[int, int, int, bool]] = []  # first, last prose line, words, parted
    first = last = -1
    words = 0
    gap = 0.0  # the weight of the non-prose lines since the last prose line
    headed = parted = False  # a heading or a parting line among them; before this cluster
    for i, line in enumerate(lines):
        if not line.prose:
            gap += 1.0 if line.evidence is not None or line.words <= 3 else plain_gap
            headed = headed or line.heading is not None or line.evidence in parting_kinds
            continue
        if last >= 0 and gap > cluster_gap:
            spans.append((first, last, words, parted))
            first, words = -1, 0
        if first < 0:
            first, parted = i, headed
        last = i
        gap, headed = 0.0, False
        words += line.words
    if first >= 0:
        spans.append((first, last, words, parted))
    sizes = [0] * len(lines)
    if not spans:
        return -1, -1, sizes
    largest = max(range(len(spans)), key=lambda k: spans[k][2])
    least = main_share * spans[largest][2]
    low = high = largest
    # Clusters nearly as large as the largest are the article too (a listicle whose entries are
    # parted by address and map lines), unless a heading parts them from it.
    for k in range(largest - 1, -1, -1):
        if spans[k + 1][3]:
            break
        if spans[k][2] >= least:
            low = k
    for k in range(largest + 1, len(spans)):
        if spans[k][3]:
            break
        if spans[k][2] >= least:
            high = k
    main_first, main_last, most = spans[low][0], spans[high][1], spans[largest][2]
    for start, end, count, _ in spans:
        if main_first <= start and end <= main_last:
            continue
        share = count / most
        size = 1 if share < 0.1 else 2 if share < 0.5 else 3
        for j in range(start, end + 1):
            sizes[j] = size
    return main_first, main_last, sizes


def _shape_code(line: PageLine, shape: list[str]) -> str:
    """A coarse letter for a line's shape, to see records repeat (headline, summary, date)."""
    if line.prose:
        return "S"
    if line.evidence is not None:
        return "E"
    if line.words <= 3:
        return "T"
    if "digit-heavy" in shape or "end:digit" in shape:
        return "D"
    if any(f.startswith("caps") for f in shape):
        return "H"
    return "O"


def _periodic(codes: list[str], repeats: int = 3) -> list[int]:
    """For each line, the shortest period (2 to 5 lines) of a record shape that repeats
    `repeats` times or more around it (a teaser grid, a comment thread), else 0. A stretch of
    one shape only (all prose, a plain list) is not a record stream."""
    count = len(codes)
    marked = [0] * count
    for period in (2, 3, 4, 5):
        span = period * repeats
        run = 0  # length of the current stretch where codes[i] == codes[i - period]
        for i in range(period, count):
            run = run + 1 if codes[i] == codes[i - period] else 0
            if run + period >= span:
                window = codes[i - period + 1 : i + 1]
                if len(set(window)) > 1:
                    for j in range(i - run - period + 1, i + 1):
                        if not marked[j]:
                            marked[j] = period
    return marked


def _vocabulary(texts: Iterable[str], cache: TextCache | None = None) -> Counter[str]:
    """In how many of the texts each content word (over three letters) occurs."""
    cache = cache if cache is not None else TextCache()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(cache.content_words(text))
    return counts


def _nearest_distances(positions: list[int], count: int) -> list[int]:
    """For each line, the distance to the nearest other prose line (count + 1 when none)."""
    far = count + 1
    result = [far] * count
    last = -far
    at = 0
    for i in range(count):
        if at < len(positions) and positions[at] == i:
            result[i] = i - last
            last = i
            at += 1
        else:
            result[i] = i - last
    last = 2 * far
    at = len(positions) - 1
    for i in range(count - 1, -1, -1):
        if at >= 0 and positions[at] == i:
            result[i] = min(result[i], last - i)
            last = i
            at -= 1
        else:
            result[i] = min(result[i], last - i)
    return [min(value, far) for value in result]
