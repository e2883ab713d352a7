"""Rule types, a closed set: each is a frozen dataclass whose apply() returns new lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from cleaner.engine.result import Removal, Substitution
from cleaner.errors import RuleTimeoutError
from cleaner.text.document import Line, ProseTest, TextFacts, Zones
from cleaner.text.prefilter import Required, required

ZONES = ("any", "head", "tail", "edges")


def compile_pattern(source: str) -> regex.Pattern[str]:
    """How every pattern a rule file holds is compiled, its [settings] included: one flavour
    (regex's VERSION1, with set operations in classes), checked at load and used at run."""
    return regex.compile(source, regex.VERSION1)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern that knows its rule, so a runaway match names who wrote it."""

    source: str
    compiled: regex.Pattern[str]
    rule_id: str
    path: str
    timeout: float
    # What every match contains, to skip texts without it (see prefilter.py); None: unknown.
    required: Required | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", required(self.source))

    def may_match(self, folded: str | None, text: str) -> bool:
        """False only when the pattern cannot match `text` (`folded` is prefilter.fold(text))."""
        return self.required is None or self.required.found_in(folded, text)

    def fullmatch(self, text: str) -> bool:
        try:
            return self.compiled.fullmatch(text, timeout=self.timeout) is not None
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None

    def search(self, text: str) -> bool:
        try:
            return self.compiled.search(text, timeout=self.timeout) is not None
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        try:
            return self.compiled.subn(replacement, text, timeout=self.timeout)
        except TimeoutError:
            raise RuleTimeoutError(self.rule_id, self.path, self.timeout) from None


@dataclass(frozen=True, slots=True)
class Example:
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


@dataclass(frozen=True, slots=True)
class LineRule(Rule):
    """Drop each line that the pattern matches in full (optionally: in a zone, when short).

    With `skip_prose`, a line that reads as prose is never dropped: a dateline pattern must not
    take "Today, we are going to look at ..." with it.
    """

    pattern: Pattern
    zone: str = "any"
    max_words: int | None = None
    skip_prose: bool = False
    keep_in_article: bool = False
    # A line that reads as prose is taken only when this pattern is found in it too: a
    # sentence needs more than one keyword to go (a cookie notice speaks to "you").
    prose_needs: Pattern | None = None

    def apply(self, lines: list[Line], context: Context) -> Applied:
        zones = context.zones(lines) if self.zone != "any" else None
        matches = self.matches
        facts = context.facts
        memo = facts.rule_memo(self)
        hits = []
        for index, line in enumerate(lines):
            text = line.text
            if not text or (zones is not None and not zones.contains(self.zone, index)):
                continue
            if self.keep_in_article and context.protected(line):
                continue
            hit = memo.get(text)
            if hit is None:
                hit = memo[text] = matches(text, facts)
            if hit:
                hits.append(index)
        if not hits:
            return lines, [], []
        return _drop(lines, [(self.kind, [i]) for i in hits], self)

    def matches(self, text: str, facts: TextFacts) -> bool:
        """Whether the rule drops a (non-blank) line of this text where its zone allows."""
        return (
            (self.max_words is None or facts.words(text) <= self.max_words)
            and self.pattern.may_match(facts.folded(text), text)
            and self.pattern.fullmatch(text)
            and not (self.skip_prose and facts.is_prose(text))
            and not (
                self.prose_needs is not None and facts.is_prose(text) and not self.prose_needs.search(text)
            )
        )


@dataclass(frozen=True, slots=True)
class ParagraphRule(Rule):
    """Drop each paragraph that contains the marker, up to a length (captions, credits)."""

    pattern: Pattern
    zone: str = "any"
    max_words: int | None = None
    keep_in_article: bool = False

    def apply(self, lines: list[Line], context: Context) -> Applied:
        zones = context.zones(lines) if self.zone != "any" else None
        facts = context.facts
        memo = facts.rule_memo(self)
        groups = []
        for start, end, words in context.paragraphs(lines):
            if self.max_words is not None and words > self.max_words:
                continue
            if self.keep_in_article and any(context.protected(line) for line in lines[start:end]):
                continue
            if zones is not None and not (
                zones.contains(self.zone, start) and zones.contains(self.zone, end - 1)
            ):
                continue
            text = "\n".join(line.text for line in lines[start:end])
            found = memo.get(text)
            if found is None:
                found = self.pattern.may_match(facts.folded(text), text) and self.pattern.search(text)
                memo[text] = found
            if found:
                groups.append((self.kind, list(range(start, end))))
        if not groups:
            return lines, [], []
        return _drop(lines, groups, self)


@dataclass(frozen=True, slots=True)
class Step:
    pattern: Pattern
    optional: bool = False


@dataclass(frozen=True, slots=True)
class BlockRule(Rule):
    """Drop an ordered run of lines, one per step (blank lines between are skipped).

    With `rest_kind`, everything after the run goes too, reported under that kind, provided
    no more than `rest_max_lines` non-blank lines follow.
    """

    steps: tuple[Step, ...]
    rest_kind: str | None = None
    rest_max_lines: int | None = None

    def apply(self, lines: list[Line], context: Context) -> Applied:
        facts = context.facts
        memo = facts.rule_memo(self)  # (step, text) -> whether the step's pattern takes the text

        def fits(step: int, text: str) -> bool:
            found = memo.get((step, text))
            if found is None:
                pattern = self.steps[step].pattern
                found = pattern.may_match(facts.folded(text), text) and pattern.fullmatch(text)
                memo[step, text] = found
            return found

        removals: list[Removal] = []
        resume = 0
        while True:
            filled = [index for index, line in enumerate(lines) if line.text]
            for position in range(resume, len(filled)):
                end = self._match(lines, filled, position, fits)
                if end is not None:
                    break
            else:
                return lines, removals, []
            groups = [(self.kind, list(range(filled[position], filled[end - 1] + 1)))]
            rest = filled[end:]
            if self.rest_kind and rest and (self.rest_max_lines is None or len(rest) <= self.rest_max_lines):
                groups.append((self.rest_kind, list(range(rest[0], len(lines)))))
            lines, removed, _ = _drop(lines, groups, self)
            removals += removed
            # The lines before the run are as they were, and no match starting more than
            # len(steps) - 1 lines before it can reach past them: those starts failed already.
            resume = max(0, position - (len(self.steps) - 1))

    def _match(self, lines: list[Line], filled: list[int], position: int, fits) -> int | None:
        """Position just past a full match of the steps starting at `position`, or None."""
        memo: dict[tuple[int, int], int | None] = {}
        end = self._match_from(0, position, lines, filled, fits, memo)
        return end if end is not None and end > position else None

    def _match_from(
        self, step: int, at: int, lines: list[Line], filled: list[int], fits, memo: dict
    ) -> int | None:
        # A method, not a closure that calls itself: that would be a reference cycle per call.
        if step == len(self.steps):
            return at
        key = (step, at)
        if key not in memo:
            found = None
            if at < len(filled) and fits(step, lines[filled[at]].text):
                found = self._match_from(step + 1, at + 1, lines, filled, fits, memo)
            if found is None and self.steps[step].optional:
                found = self._match_from(step + 1, at, lines, filled, fits, memo)
            memo[key] = found
        return memo[key]


@dataclass(frozen=True, slots=True)
class SubstituteRule(Rule):
    """Replace a pattern inside lines; a line left empty is dropped like a removal."""

    pattern: Pattern
    replacement: str = ""

    def apply(self, lines: list[Line], context: Context) -> Applied:
        kept: list[Line] = []
        removals: list[Removal] = []
        substitutions: list[Substitution] = []
        for line in lines:
            if not line.text:
                kept.append(line)
                continue
            new_text, count = self.pattern.subn(self.replacement, line.text)
            if not count or new_text == line.text:
                kept.append(line)
                continue
            new_text = " ".join(new_text.split())
            substitutions.append(Substitution(self.id, self.kind, line.number, line.text, new_text))
            if new_text:
                kept.append(Line(line.number, new_text))
            else:
                removals.append(Removal(self.id, self.kind, (line,)))
        return kept, removals, substitutions


_NO_RULE = -1


class LineRuleRun:
    """Consecutive line rules applied as one, with the very result of applying them in turn.

    Each line is dropped by the first rule that takes it, so each distinct text is matched
    once per document: against the rules in order until one takes it (its length, its
    required strings, its pattern, not prose if so asked). A rule limited to a zone waits
    until its turn, since the zones move as earlier rules drop lines; a line outside its
    zone goes on to the next rules.
    """

    __slots__ = ("_checks", "rules")

    def __init__(self, rules: Sequence[LineRule]) -> None:
        self.rules = tuple(rules)
        # LineRule.matches() taken apart, so that the loop over the rules stays cheap.
        self._checks = tuple(
            (
                number,
                rule.zone != "any",
                rule.max_words,
                rule.pattern.required,
                rule.pattern,
                rule.skip_prose,
                rule.prose_needs,
            )
            for number, rule in enumerate(self.rules)
        )

    def _first(self, text: str, start: int, facts: TextFacts) -> int:
        """The first rule from `start` that takes `text`, or waits for its zone; else _NO_RULE."""
        words = facts.words(text)
        folded = facts.folded(text)
        for number, zoned, max_words, needs, pattern, skip_prose, prose_needs in self._checks[start:]:
            if zoned:
                return number
            if max_words is not None and words > max_words:
                continue
            if needs is not None and not needs.found_in(folded, text):
                continue
            if not pattern.fullmatch(text):
                continue
            guarded = skip_prose or prose_needs is not None
            if (
                guarded
                and facts.is_prose(text, words)
                and (prose_needs is None or not prose_needs.search(text))
            ):
                continue
            return number
        return _NO_RULE

    def apply(self, lines: list[Line], context: Context) -> Applied:
        facts = context.facts
        memo = facts.rule_memo(self)
        taken: dict[int, list[int]] = {}  # rule number -> indexes of the lines it may take
        for index, line in enumerate(lines):
            text = line.text
            if not text:
                continue
            number = memo.get(text)
            if number is None:
                number = memo[text] = self._first(text, 0, facts)
            if number != _NO_RULE:
                taken.setdefault(number, []).append(index)
        if not taken:
            return lines, [], []
        removals: list[Removal] = []
        dropped: set[int] = set()
        for number, rule in enumerate(self.rules):
            indexes = taken.pop(number, None)
            if indexes is None:
                continue
            if rule.zone != "any":
                indexes = self._in_zone(rule, number, lines, sorted(indexes), dropped, taken, context)
            if rule.keep_in_article:
                indexes = self._unprotected(rule, number, lines, indexes, taken, context)
            removals += [Removal(rule.id, rule.kind, (lines[i],)) for i in indexes]
            dropped.update(indexes)
        if not dropped:
            return lines, [], []
        return [line for index, line in enumerate(lines) if index not in dropped], removals, []

    def _unprotected(
        self,
        rule: LineRule,
        number: int,
        lines: list[Line],
        indexes: list[int],
        taken: dict[int, list[int]],
        context: Context,
    ) -> list[int]:
        """The lines `rule` may take; a line the article keeps from it goes on to the next rule."""
        free = []
        for index in indexes:
            if not context.protected(lines[index]):
                free.append(index)
                continue
            later = self._first(lines[index].text, number + 1, context.facts)
            if later != _NO_RULE:
                taken.setdefault(later, []).append(index)
        return free

    def _in_zone(
        self,
        rule: LineRule,
        number: int,
        lines: list[Line],
        indexes: list[int],
        dropped: set[int],
        taken: dict[int, list[int]],
        context: Context,
    ) -> list[int]:
        """The lines a zone rule takes, on the page as the rules before it left it; the
        others go on to the next rule that takes them."""
        position: dict[int, int] = {}
        current: list[Line] = []
        for index, line in enumerate(lines):
            if index not in dropped:
                position[index] = len(current)
                current.append(line)
        zones = context.zones(current)
        facts = context.facts
        memo = facts.rule_memo(rule)
        hits = []
        for index in indexes:
            text = lines[index].text
            if zones.contains(rule.zone, position[index]):
                hit = memo.get(text)
                if hit is None:
                    hit = memo[text] = rule.matches(text, facts)
                if hit:
                    hits.append(index)
                    continue
            later = self._first(text, number + 1, facts)
            if later != _NO_RULE:
                taken.setdefault(later, []).append(index)
        return hits
