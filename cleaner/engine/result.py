"""What cleaning returns: removals, substitutions, repairs, counts and the clean text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from cleaner.engine.tally import Tally
from cleaner.text.document import Line


class Removal(NamedTuple):
    """Lines one rule removed, with the kind of chrome they were."""

    rule: str
    kind: str
    lines: tuple[Line, ...]
    evidence: str = ""  # for a structural decision, what it rests on

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Substitution(NamedTuple):
    """Text a substitute rule replaced inside one line."""

    rule: str
    kind: str
    line: int
    before: str
    after: str


class Repair(NamedTuple):
    """What the repair step (ftfy) changed on one input line."""

    line: int
    before: str
    after: str
    fixes: tuple[str, ...]


# A document's counts are a Tally, as a run's are: what is counted is added up one way.
Stats = Tally


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What clean_text() made of a document: the title and paragraphs kept, and every removal,
    substitution and repair, with the counts, the encoding and the language."""

    title: str | None
    paragraphs: tuple[str, ...]
    removals: tuple[Removal, ...] = ()
    substitutions: tuple[Substitution, ...] = ()
    repairs: tuple[Repair, ...] = ()
    stats: Stats = field(default_factory=Stats)
    warnings: tuple[str, ...] = ()
    encoding: str | None = None
    encoding_confidence: float | None = None  # when the encoding was detected, not known
    sites: tuple[str, ...] = ()  # site packs that applied
    language: str | None = None  # ISO 639-1, detected or given (Options.lang); None: unsure
    # Where the article model found the article: first and last line, score, gaps, favor.
    article: dict | None = None

    def removed_counts(self) -> tuple[Counter[str], Counter[str]]:
        """Removed input lines counted by kind and by rule, for summaries."""
        by_kind: Counter[str] = Counter()
        by_rule: Counter[str] = Counter()
        for removal in self.removals:
            by_kind[removal.kind] += len(removal.lines)
            by_rule[removal.rule] += len(removal.lines)
        return by_kind, by_rule

    @property
    def body(self) -> str:
        """The body paragraphs, separated by one blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """Title, blank line, body; one final newline; empty when nothing is left."""
        parts = ([self.title] if self.title else []) + list(self.paragraphs)
        return "\n\n".join(parts) + "\n" if parts else ""
