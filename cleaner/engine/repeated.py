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
