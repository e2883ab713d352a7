"""The vocabulary rule kinds, which judge a line by what it says: line, paragraph, block and
substitute rules; and LineRuleGroup, which tries every line rule on a line at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from cleaner.caching import pickled_by_fields
from cleaner.engine.gate import GateOnDemand, set_bits
from cleaner.engine.result import Removal, Substitution
from cleaner.engine.rules import Applied, Context, Pattern, Rule, _drop
from cleaner.text.document import Line, TextFacts


@pickled_by_fields
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


class Step(NamedTuple):
    """One line of a block rule's run: the pattern it matches, and whether it may be missing."""

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
        facts = context.facts
        for line in lines:
            # A text without the pattern's required strings cannot change (prefilter.py).
            if not line.text or not self.pattern.may_match(facts.folded(line.text), line.text):
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


class LineRuleGroup:
    """Consecutive line rules applied as one, with the very result of applying them in turn.

    Each line is dropped by the first rule that takes it, so each distinct text is matched
    once per document: against the rules in order until one takes it (its length, its
    required strings, its pattern, not prose if so asked). A rule limited to a zone waits
    until its turn, since the zones move as earlier rules drop lines; a line outside its
    zone goes on to the next rules.
    """

    __slots__ = ("_checks", "_gate", "rules")

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
        # The multi-string gate (gate.py), built once enough texts were asked about, where
        # hyperscan is installed. A zone rule is visited in its turn whatever the text: always
        # let through.
        self._gate = GateOnDemand([needs if not zoned else None for _, zoned, _, needs, *_ in self._checks])

    def _first(self, text: str, start: int, facts: TextFacts) -> int:
        """The first rule from `start` that takes `text`, or waits for its zone; else _NO_RULE.

        With the gate (gate.py), only the rules whose requirement the text meets are visited;
        without it, each rule's requirement is tested in turn. Either way the same rules run."""
        words = facts.words(text)
        folded = facts.folded(text)
        checks = self._checks
        mask = self._gate.mask(text, folded)
        gated = mask is not None
        candidates: Iterable[int] = range(start, len(checks))
        if mask is not None:
            candidates = set_bits(mask >> start, start)
        for number in candidates:
            _, zoned, max_words, needs, pattern, skip_prose, prose_needs = checks[number]
            if zoned:
                return number
            if max_words is not None and words > max_words:
                continue
            if not gated and needs is not None and not needs.found_in(folded, text):
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
