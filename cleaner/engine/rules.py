"""What every rule kind shares: patterns, examples, the context a rule runs in, the Rule base class.

The kinds are a closed set (ruletypes.py): each is a frozen dataclass whose apply() returns new
lines; the vocabulary kinds are in vocabulary.py, the structural ones in structure.py and
repeated.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import regex

from cleaner.caching import pickled_by_fields
from cleaner.engine.result import Removal, Substitution
from cleaner.errors import RuleTimeoutError
from cleaner.text.backtracking import untimed_lengths
from cleaner.text.document import Line, ProseTest, TextFacts, Zones
from cleaner.text.prefilter import Required, required

ZONES = ("any", "head", "tail", "edges")


# VERSION1 folds case fully by default ("ß" is "ss", "ﬁ" is "fi", and a class such as
# [\p{L}\p{N}] takes "ff" as one letter): ten times slower on a case-insensitive pattern, and
# not what Python's re does. A pattern that wants it says (?f).
_SIMPLE_CASE = "(?-f)"


def compile_pattern(source: str) -> regex.Pattern[str]:
    """How every pattern a rule file holds is compiled, its [settings] included: one flavour
    (regex's VERSION1, with set operations in classes, and simple case folding, as Python's
    re), checked at load and used at run."""
    try:
        return regex.compile(_SIMPLE_CASE + source, regex.VERSION1)
    except (regex.error, ValueError):  # ValueError: an inline flag regex refuses, (?V0)
        regex.compile(source, regex.VERSION1)  # the error where the author's pattern has it
        raise


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern that knows its rule, so a runaway match names who wrote it.

    The timeout guards against catastrophic backtracking, and asking for it costs about as
    much as a short match: a pattern that cannot run away on a text of a given length runs
    without it there (see backtracking.py), every other call keeps it."""

    source: str
    compiled: regex.Pattern[str]
    rule_id: str
    path: str
    timeout: float
    # What every match contains, to skip texts without it (see prefilter.py); None: unknown.
    required: Required | None = field(init=False, repr=False, compare=False)
    # The longest texts that fullmatch() and search() or subn() run on without the timeout.
    untimed_full: float = field(init=False, repr=False, compare=False)
    untimed_search: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", required(self.source))
        full, search = untimed_lengths(self.source)
        object.__setattr__(self, "untimed_full", full)
        object.__setattr__(self, "untimed_search", search)

    def may_match(self, folded: str | None, text: str) -> bool:
        """False only when the pattern cannot match `text` (`folded` is prefilter.fold(text))."""
        return self.required is None or self.required.found_in(folded, text)

    def fullmatch(self, text: str) -> bool:
        if len(text) <= self.untimed_full:
            return self.compiled.fullmatch(text) is not None
        try:
            return self.compiled.fullmatch(text, timeout=self.timeout) is not None
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None

    def search(self, text: str) -> bool:
        if len(text) <= self.untimed_search:
            return self.compiled.search(text) is not None
        try:
            return self.compiled.search(text, timeout=self.timeout) is not None
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        if len(text) <= self.untimed_search:
            return self.compiled.subn(replacement, text)
        try:
            return self.compiled.subn(replacement, text, timeout=self.timeout)
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None


class Example(NamedTuple):
    """A rule file's example: an input, and what the rule makes of it (None: no change)."""

    input: str
    output: str | None  # None: the rule must leave the input unchanged


class Context:
    """What a rule may know about the document besides its lines.

    Its zones, kept current; the lines as they were before any rule ran (`original`); and
    which of them earlier rules removed, with their kind (`removed`). Structural rules read
    the last two, because a removed line can still be a landmark: a "Comments" button gone
    as a share button still marks where the comments begin.
    """

    __slots__ = (
        "_lines",
        "_paragraphs",
        "_paragraphs_of",
        "_zones",
        "article",
        "facts",
        "favor",
        "marks",
        "original",
        "prose",
        "removed",
        "removed_by",
        "restored",
    )

    def __init__(
        self,
        prose: ProseTest,
        original: Sequence[Line] | None = None,
        facts: TextFacts | None = None,
        article: ArticleState | None = None,
        favor: str = "balanced",
        marks: dict[Line, str] | None = None,
    ) -> None:
        self.prose = prose
        self.favor = favor  # which thresholds of the article model apply (--favor)
        self.marks = marks or {}  # Markdown lines: the text with its marks, for their shape
        self.original = original
        # What is known about the document's texts; shared by the rounds of one document.
        self.facts = facts if facts is not None and facts.prose is prose else TextFacts(prose)
        self.removed: dict[Line, str] = {}
        self.removed_by: dict[Line, Rule] = {}
        # What the article model decided, kept for all the rounds of one document.
        self.article = article if article is not None else ArticleState()
        self.restored: set[Line] = set()  # lines a rule gave back in this round, not yet counted
        self._lines: Sequence[Line] | None = None
        self._zones: Zones | None = None
        self._paragraphs_of: Sequence[Line] | None = None
        self._paragraphs: list[tuple[int, int, int]] = []

    def zones(self, lines: Sequence[Line]) -> Zones:
        # Rules hand back the same list when they change nothing, so identity is a safe key.
        if lines is not self._lines or self._zones is None:
            zones = Zones.of_paragraphs(lines, self.paragraphs(lines), self.facts)
            self._lines, self._zones = lines, zones
        return self._zones

    def paragraphs(self, lines: Sequence[Line]) -> list[tuple[int, int, int]]:
        """(start, end, words) of the paragraphs of `lines` (TextFacts.paragraphs), kept."""
        if lines is not self._paragraphs_of:
            self._paragraphs_of, self._paragraphs = lines, self.facts.paragraphs(lines)
        return self._paragraphs

    def record(self, removals: Sequence[Removal], rules: dict[str, Rule] | None = None) -> None:
        """Note the removed lines with their kind, and (given the rules by id) their rule."""
        for removal in removals:
            rule = rules.get(removal.rule) if rules is not None else None
            for line in removal.lines:
                self.removed.setdefault(line, removal.kind)
                if rule is not None:
                    self.removed_by.setdefault(line, rule)

    def protected(self, line: Line) -> bool:
        """Whether the article model gave `line` back as article text: a rule with
        keep_in_article leaves it alone from then on."""
        return line in self.article.kept


def overruled_in_article(rule: object) -> bool:
    """Whether the article model may overrule `rule` inside the article: the rule file says so
    (`keep_in_article`) of rules whose keywords also occur in article sentences."""
    return bool(getattr(rule, "keep_in_article", False))


class ArticleState:
    """The article model's findings for one document, kept across the rounds of rules.

    `kept`: lines inside the article that a rule with keep_in_article had removed and the
    model gave back (with the kind that rule saw in them, still evidence for the model);
    `region`: the first finding, for the result (see CleanResult.article); `headline`: the
    line it took for the headline, which becomes the title.
    """

    __slots__ = ("headline", "kept", "region", "texts")

    def __init__(self) -> None:
        self.kept: dict[Line, str] = {}
        self.region: dict[str, object] | None = None
        self.headline: Line | None = None  # the line the model took for the headline
        self.texts: Any = None  # the model's per-text cache (article.TextCache), made on first use


Applied = tuple[list[Line], list[Removal], list[Substitution]]


@dataclass(frozen=True, slots=True)
class Rule:
    """What every rule has: an id, the kind it reports, a description, its file and examples."""

    id: str
    kind: str
    description: str
    path: str
    examples: tuple[Example, ...]

    def apply(self, lines: list[Line], context: Context) -> Applied:
        raise NotImplementedError


def _drop(lines: list[Line], groups: list[tuple[str, list[int]]], rule: Rule) -> Applied:
    """Remove the lines at the given indexes, one Removal per (kind, indexes) group."""
    dropped = {index for _, indexes in groups for index in indexes}
    removals = [
        Removal(rule.id, kind, tuple(lines[i] for i in indexes if lines[i].text))
        for kind, indexes in groups
        if any(lines[i].text for i in indexes)
    ]
    kept = [line for index, line in enumerate(lines) if index not in dropped]
    return kept, removals, []
