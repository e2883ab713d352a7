"""The repeated-line rule: a short line that recurs on the page, in the places chrome takes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cleaner.engine.rules import Applied, Context, Rule, _drop
from cleaner.text.document import Line


@dataclass(frozen=True, slots=True)
class RepeatedLineRule(Rule):
    """Drop every copy of a line that occurs `min_count` times or more in the page.

    Gallery captions, alt texts, kickers and menus printed twice for mobile repeat; an article
    does not say the same paragraph three times. But a short label whose every copy leads
    into a line of its own ("Q:" before each question, "Pros" before each list) alternates
    with different content: it is part of that content and stays, with `labels_stay`.

    With `min_run`, the rule drops runs instead: `min_run` or more non-blank lines, none of
    them prose, printed again in the same order elsewhere on the page (a menu printed twice,
    for the desktop and for the phone). An article does not repeat a stretch of lines; a
    prose line, or a run of fewer lines (a headline, a pull quote), stays.
    """

    min_count: int = 3
    max_words: int | None = None
    keep_in_article: bool = False
    labels_stay: bool = False
    label_max_words: int = 4
    min_run: int = 0

    def apply(self, lines: list[Line], context: Context) -> Applied:
        if self.min_run:
            hits = [
                index
                for index in self._repeated_runs(lines, context)
                if not (self.keep_in_article and context.protected(lines[index]))
            ]
            if not hits:
                return lines, [], []
            return _drop(lines, [(self.kind, [i]) for i in hits], self)
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

    def _repeated_runs(self, lines: list[Line], context: Context) -> list[int]:
        """The indexes of the lines in runs of `min_run` or more non-prose lines that occur
        again, in the same order, elsewhere on the page (blank lines between them ignored)."""
        facts = context.facts
        # A line whose text occurs once is in no copy of a run: it parts runs as prose does.
        counts = Counter(line.text for line in lines)
        runs: list[list[int]] = [[]]
        for index, line in enumerate(lines):
            text = line.text
            if not text:
                continue  # blank lines do not part a run
            if (
                counts[text] < 2
                or facts.is_prose(text)
                or (self.max_words is not None and facts.words(text) > self.max_words)
            ):
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append(index)
        size = self.min_run
        seen: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for run_number, run in enumerate(runs):
            for start in range(len(run) - size + 1):
                key = tuple(lines[k].text for k in run[start : start + size])
                if len(set(key)) > 1:
                    seen.setdefault(key, []).append((run_number, start))
        hits: set[int] = set()
        for places in seen.values():
            if len(places) < 2 or (places[-1][0] == places[0][0] and places[-1][1] - places[0][1] < size):
                continue  # once only, or overlapping copies within one run
            for run_number, start in places:
                hits.update(runs[run_number][start : start + size])
        return sorted(hits)

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
