"""clean_text(): repair, normalize, apply rules by phase, find the title, count."""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace

from cleaner.choices import FAVORS, MARKUPS, PARAGRAPHS
from cleaner.engine.result import CleanResult, Removal, Repair, Stats, Substitution
from cleaner.engine.rules import ArticleState, Context, Rule
from cleaner.engine.ruleset import RuleSet, Settings
from cleaner.engine.vocabulary import LineRule, LineRuleGroup
from cleaner.errors import CleanerError, UnknownSiteError
from cleaner.text.decoding import decode_bytes
from cleaner.text.document import Line, TextFacts, paragraph_spans, split_lines
from cleaner.text.language import detect_language
from cleaner.text.markup import (
    is_markdown,
    one_paragraph_per_line,
    paragraph_mode,
    restore_marks,
    visible_lines,
)
from cleaner.text.normalization import normalize_line, normalize_text
from cleaner.text.repair import may_need_repair, repair_line


@dataclass(frozen=True, slots=True)
class Options:
    """How to clean: which rules, which site packs to force, and repair choices."""

    rules: RuleSet | None = None  # None: the built-in rules
    sites: tuple[str, ...] = ()  # site packs to apply whether or not they detect the page
    ascii_quotes: bool = False  # let ftfy straighten typographic quotes
    repair: bool = True  # run ftfy at all
    favor: str = "balanced"  # the article model's thresholds: precision, balanced or recall
    paragraphs: str = "auto"  # "lines": each line is a paragraph; "blank": blank lines part them
    markup: str = "auto"  # "markdown": rules see the visible text, the marks stay; "plain"
    lang: str | None = None  # the document's language (ISO 639-1); None: detect it


_DEFAULT_RULES: list[RuleSet] = []


def default_rules() -> RuleSet:
    """The built-in rules, loaded once per process."""
    if not _DEFAULT_RULES:
        from cleaner.rulebook.rulefiles import load_rules

        _DEFAULT_RULES.append(load_rules())
    return _DEFAULT_RULES[0]


def clean_text(text: str, options: Options | None = None) -> CleanResult:
    """Clean one document. Pure: the same text and options always give the same result.

    >>> from cleaner.engine.ruleset import RuleSet
    >>> clean_text("Big News Today\\n\\nIt rained.\\n", Options(rules=RuleSet())).title
    'Big News Today'
    """
    options = options or Options()
    ruleset = options.rules if options.rules is not None else default_rules()
    _check_choices(options)
    # Cleaning makes many small short-lived containers and next to no reference cycles: the
    # cyclic collector would walk them again and again for nothing (a fifth of the time on
    # the bench pages). It waits until the document is done; freeing by reference counts
    # goes on as ever.
    if not gc.isenabled():
        return _clean(text, options, ruleset)
    gc.disable()
    try:
        return _clean(text, options, ruleset)
    finally:
        gc.enable()


def _clean(text: str, options: Options, ruleset: RuleSet) -> CleanResult:
    lines, repairs = _prepare(text, options)
    if paragraph_mode(lines, options.paragraphs) == "lines":
        lines = one_paragraph_per_line(lines)
    shown, marks, hidden = visible_lines(lines, markdown=is_markdown(lines, options.markup))
    page = "\n".join(line.text for line in shown)
    language = options.lang.lower() if options.lang else detect_language(page)
    try:
        sites, rules = ruleset.select(page, options.sites, language)
    except KeyError as error:
        raise UnknownSiteError(f"unknown site pack: {error.args[0]}") from None
    facts = TextFacts(ruleset.settings.prose_test())
    article = ArticleState()
    kept, removals, substitutions = _apply_rules(shown, rules, facts, article, options.favor, marks)
    if marks or hidden:
        kept = restore_marks(kept, marks, hidden)
        # a hidden table rule row goes with the row above it
        removals = [r._replace(lines=tuple(restore_marks(r.lines, marks, hidden))) for r in removals]
    result = _result(
        lines,
        kept,
        removals,
        substitutions,
        repairs,
        sites,
        ruleset.settings,
        facts,
        language,
        article.headline,
    )
    return replace(result, article=article.region) if article.region is not None else result


def _check_choices(options: Options) -> None:
    for name, value, allowed in (
        ("favor", options.favor, FAVORS),
        ("paragraphs", options.paragraphs, PARAGRAPHS),
        ("markup", options.markup, MARKUPS),
    ):
        if value not in allowed:
            raise CleanerError(f"unknown --{name} {value!r} (one of: {', '.join(allowed)})")


def clean_bytes(
    data: bytes, options: Options | None = None, source: str = "<stdin>", encoding: str | None = None
) -> CleanResult:
    """Decode (see decoding.decode_bytes) and clean; the result carries the encoding used."""
    decoded = decode_bytes(data, source, encoding)
    result = clean_text(decoded.text, options)
    return replace(
        result,
        encoding=decoded.encoding,
        encoding_confidence=decoded.confidence,
        warnings=decoded.warnings + result.warnings,
    )


def _prepare(text: str, options: Options) -> tuple[list[Line], list[Repair]]:
    """Numbered, repaired and normalized lines, and the repairs made.

    A line that ftfy could not change, before or after normalizing, comes out of the loop in
    _repair_and_normalize() as normalize_line() makes it (normalizing twice changes nothing),
    so those lines are normalized together and only the others go through the loop.
    """
    normalized = normalize_text(text)
    if not options.repair:
        return [Line(number, line) for number, line in enumerate(normalized, 1)], []
    quotes = options.ascii_quotes
    if not may_need_repair(text, quotes) and not may_need_repair("\n".join(normalized), quotes):
        return [Line(number, line) for number, line in enumerate(normalized, 1)], []
    lines: list[Line] = []
    repairs: list[Repair] = []
    # Each distinct input line is tested (and repaired) once: None when it needs nothing,
    # else what it becomes and the fixes made.
    known: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]] | None] = {}
    for number, (raw, line) in enumerate(zip(split_lines(text), normalized, strict=True), 1):
        try:
            done = known[raw]
        except KeyError:
            done = None
            if may_need_repair(raw, quotes) or may_need_repair(line, quotes):
                done = _repaired(raw, options)
            known[raw] = done
        if done is None:
            lines.append(Line(number, line))
            continue
        parts, fixed, fixes = done
        if fixes:
            repairs.append(Repair(number, raw, fixed, fixes))
        lines.extend(Line(number, part) for part in parts)
    return lines, repairs


def _repaired(raw: str, options: Options) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The lines one input line becomes, the repaired text and its fixes.

    A repair can turn an entity like &#10; into a line break: the parts keep the line's number.
    """
    fixed, fixes = _repair_and_normalize(raw, options)
    parts = split_lines(fixed) if "\n" in fixed or "\r" in fixed else (fixed,)
    return tuple(normalize_line(part) for part in parts), fixed, fixes


def _repair_into(lines: list[Line], repairs: list[Repair], number: int, raw: str, options: Options) -> None:
    """Repair one input line and add what it becomes to `lines` (and its repair to `repairs`)."""
    parts, fixed, fixes = _repaired(raw, options)
    if fixes:
        repairs.append(Repair(number, raw, fixed, fixes))
    lines.extend(Line(number, part) for part in parts)


def _prepare_by_line(text: str, options: Options) -> tuple[list[Line], list[Repair]]:
    """_prepare() without its shortcuts: every line through the loop (tests compare them)."""
    lines: list[Line] = []
    repairs: list[Repair] = []
    for number, raw in enumerate(split_lines(text), 1):
        _repair_into(lines, repairs, number, raw, options)
    return lines, repairs


def _repair_and_normalize(raw: str, options: Options) -> tuple[str, tuple[str, ...]]:
    """Repair and normalize until neither changes the line, so that a second run is a no-op.

    Normalizing can expose new mojibake ("Ã" before a tab that became a space), so one round
    is not always enough; three always were in testing, the bound only guards against a loop.
    """
    line = raw
    fixes: tuple[str, ...] = ()
    for _ in range(4):
        repaired, steps = repair_line(line, options.ascii_quotes) if options.repair else (line, ())
        normalized = "\n".join(normalize_line(part) for part in split_lines(repaired))
        if normalized == line:
            break
        line, fixes = normalized, fixes + steps
    return line, fixes


# Rules run again on what they left until a round changes nothing, so that cleaning twice is
# cleaning once: a line rule can clear the junk that kept a block rule from matching, and the
# body rule sees a different page once the chrome is gone. Two rounds are the rule; the bound
# only guards against substitutions that keep matching their own output.
MAX_ROUNDS = 4


_STEPS: dict[int, tuple[tuple[Rule, ...], tuple[Rule | LineRuleGroup, ...]]] = {}


def _rule_steps(rules: tuple[Rule, ...]) -> tuple[Rule | LineRuleGroup, ...]:
    """The rules as applied: each run of consecutive line rules as one LineRuleGroup.

    Kept per rule tuple (RuleSet.select returns the same tuple for the same sites).
    """
    entry = _STEPS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    steps: list[Rule | LineRuleGroup] = []
    group: list[LineRule] = []
    for rule in (*rules, None):
        if isinstance(rule, LineRule):
            group.append(rule)
            continue
        if group:
            steps.append(LineRuleGroup(group) if len(group) > 1 else group[0])
            group = []
        if rule is not None:
            steps.append(rule)
    if len(_STEPS) >= 64:
        _STEPS.clear()
    _STEPS[id(rules)] = (rules, tuple(steps))
    return tuple(steps)


def apply_rules(
    lines: list[Line], rules: tuple[Rule, ...], settings: Settings
) -> tuple[list[Line], list[Removal], list[Substitution]]:
    return _apply_rules(lines, rules, TextFacts(settings.prose_test()))


def _apply_rules(
    lines: list[Line],
    rules: tuple[Rule, ...],
    facts: TextFacts,
    article: ArticleState | None = None,
    favor: str = "balanced",
    marks: dict[Line, str] | None = None,
) -> tuple[list[Line], list[Removal], list[Substitution]]:
    steps = _rule_steps(rules)
    prose = facts.prose
    article = article if article is not None else ArticleState()
    by_id = {rule.id: rule for rule in rules}  # which rule a removal came from
    removals: list[Removal] = []
    substitutions: list[Substitution] = []
    for _ in range(MAX_ROUNDS):
        # Each round reads the page as it stands, as a second cleaning of the output would.
        context = Context(prose, original=lines, facts=facts, article=article, favor=favor, marks=marks)
        changed = False
        for rule in steps:
            lines, removed, substituted = rule.apply(lines, context)
            if context.restored:
                removals = _without(removals, context.restored)
                for line in context.restored:
                    context.removed.pop(line, None)
                context.restored.clear()
            context.record(removed, by_id)
            removals += removed
            substitutions += substituted
            changed = changed or bool(removed or substituted)
        if not changed:
            break
    removals.sort(key=lambda removal: removal.first_line)
    return lines, removals, substitutions


def _without(removals: list[Removal], lines: set[Line]) -> list[Removal]:
    """The removals less the given lines (a removal left with no line goes)."""
    kept = []
    for removal in removals:
        if not lines.intersection(removal.lines):
            kept.append(removal)
            continue
        rest = tuple(line for line in removal.lines if line not in lines)
        if rest:
            kept.append(removal._replace(lines=rest))
    return kept


def find_title(paragraphs: list[str], settings: Settings, facts: TextFacts | None = None) -> str | None:
    """The first paragraph when it reads as a headline: one short line, not a sentence.

    Headlines may end in a quote mark or a parenthesis, and some end in a full stop, so the
    length decides: a long line that ends like a sentence is body text.

    >>> find_title(["Kerry ‘offered’ talks", "Body."], Settings())
    'Kerry ‘offered’ talks'
    >>> find_title(["It rained all day in the city and nobody went out at all.", "x"], Settings())
    """
    if not paragraphs or "\n" in paragraphs[0]:
        return None
    first = paragraphs[0]
    facts = facts if facts is not None else TextFacts(settings.prose_test())
    words = facts.words(first)
    if words == 0 or words > settings.title_max_words:
        return None
    if facts.is_prose(first, words):
        return None
    return first


def _result(
    lines: list[Line],
    kept: list[Line],
    removals: list[Removal],
    substitutions: list[Substitution],
    repairs: list[Repair],
    sites: tuple[str, ...],
    settings: Settings,
    facts: TextFacts,
    language: str | None = None,
    headline: Line | None = None,
) -> CleanResult:
    spans = paragraph_spans(kept)
    paragraphs = ["\n".join(line.text for line in kept[a:b]) for a, b in spans]
    first = kept[spans[0][0]] if spans and spans[0][1] - spans[0][0] == 1 else None
    if headline is not None and first is not None and first.number == headline.number:
        title: str | None = first.text  # the article model's headline, whatever its last mark
    else:
        title = find_title(paragraphs, settings, facts)
    body = paragraphs[1:] if title is not None else paragraphs
    # Words never span a line break, so counts add up over lines (each counted once).
    words = facts.words
    input_words = sum(words(line.text) for line in lines)
    removed_words = sum(words(line.text) for removal in removals for line in removal.lines)
    output_words = sum(words(kept[i].text) for a, b in spans for i in range(a, b))
    warnings: tuple[str, ...] = ()
    if input_words and not output_words:
        warnings = ("every line was removed: the result is empty",)
    stats = Stats(
        input_lines=lines[-1].number if lines else 0,
        input_words=input_words,
        output_words=output_words,
        removed_lines=sum(len(removal.lines) for removal in removals),
        removed_words=removed_words,
        paragraphs=len(body),
        repaired_lines=len(repairs),
    )
    return CleanResult(
        title=title,
        paragraphs=tuple(body),
        removals=tuple(removals),
        substitutions=tuple(substitutions),
        repairs=tuple(repairs),
        stats=stats,
        warnings=warnings,
        sites=sites,
        language=language,
    )
