"""The article model's path: the line scores, and the best labelling of the page as head, article,
gaps inside it and tail (a Viterbi path); the headline before the article."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import repeat

from cleaner.engine.article import _vocabulary
from cleaner.engine.page import WORD_BINS, PageLine, TextCache, _bin


def score(features: Sequence[str], weights: Mapping[str, float]) -> float:
    # The weights of the features in their order, as a generator would add them, in C.
    return sum(map(weights.get, features, repeat(0.0)))


HEAD, ARTICLE, GAP, TAIL = range(4)


def article_path(
    scores: Sequence[float], enter_cost: float, gap_cost: float, gap_line_cost: float
) -> list[bool]:
    """The best labelling of the page as head, article, gaps inside the article, and tail.

    An article line earns its score; entering the article costs `enter_cost`, opening a gap
    inside it `gap_cost`, and every line of a gap `gap_line_cost`, so that a short box is cut
    out of a long article while a long stretch of chrome (a comment thread) ends it: a stray
    sentence beyond it is not worth the gap. Head and tail lines earn nothing.
    """
    count = len(scores)
    if not count:
        return []
    minus = -math.inf
    value = [0.0, minus, minus, minus]  # best value of a path ending in each state
    back: list[tuple[int, int, int, int]] = []
    for earned in scores:
        head = value[HEAD]
        enter = value[HEAD] - enter_cost
        article_from = max((value[ARTICLE], ARTICLE), (value[GAP], GAP), (enter, HEAD))
        gap_from = (
            (value[ARTICLE] - gap_cost, ARTICLE)
            if value[ARTICLE] - gap_cost > value[GAP]
            else (value[GAP], GAP)
        )
        tail_from = (value[ARTICLE], ARTICLE) if value[ARTICLE] >= value[TAIL] else (value[TAIL], TAIL)
        back.append((HEAD, article_from[1], gap_from[1], tail_from[1]))
        value = [head, article_from[0] + earned, gap_from[0] - gap_line_cost, tail_from[0]]
    ends = [(value[HEAD], HEAD), (value[ARTICLE], ARTICLE), (value[TAIL], TAIL)]
    state = max(ends)[1]
    path = [False] * count
    for i in range(count - 1, -1, -1):
        path[i] = state == ARTICLE
        state = back[i][state]
    return path


def headline_candidates(lines: Sequence[PageLine], start: int, lookback: int) -> list[int]:
    """Lines that may be the headline of an article whose first prose line is `start`: the
    non-blank lines above it (and it), nearest first, up to `lookback` of them."""
    return list(range(start, max(start - lookback, 0) - 1, -1))


def headline_features(
    lines: Sequence[PageLine],
    candidates: Sequence[int],
    start: int,
    scores: Sequence[float],
    path: Sequence[bool],
    cache: TextCache | None = None,
) -> list[list[str]]:
    """The named features of each headline candidate: its shape, where it stands, what the
    article model made of it, and whether the article's prose speaks of what it says."""
    cache = cache if cache is not None else TextCache()
    body = _vocabulary(
        (line.text for line, keep in zip(lines, path, strict=True) if keep and line.prose), cache
    )
    repeats = Counter(lines[i].text for i in candidates)
    out = []
    for rank, i in enumerate(candidates):
        line = lines[i]
        features = ["bias", f"words:{WORD_BINS[_bin(line.words, WORD_BINS)]}"]
        features += [name for name in cache.shape(line.text, line.words) if not name.startswith("words:")]
        if line.sentence:
            features.append("sentence")
        if line.prose:
            features.append("prose")
        if line.evidence is not None:
            features.append(f"evidence:{line.evidence}")
        if line.heading is not None:
            features.append(f"heading:{line.heading}")
        features.append(f"rank:{_bin(rank, (0, 1, 2, 3, 5, 8, 13))}")
        if repeats[line.text] > 1:
            features.append("repeated")
        features.append(f"distance:{_bin(start - i, (0, 1, 2, 3, 5, 8, 13))}")
        features.append(f"score:{_bin(scores[i], (-99, -3, -1.5, -0.5, 0.5, 1.5, 3))}")
        if path[i]:
            features.append("in-article")
        own = cache.content_words(line.text)
        if own and body:
            shared = sum(1 for w in own if body[w] > (1 if path[i] and line.prose else 0)) / len(own)
            features.append(f"overlap:{_bin(shared, (0, 0.01, 0.34, 0.67, 0.9))}")
        elif not own:
            features.append("overlap:none")
        out.append(features)
    return out
