"""The fast paths of the rule engine give what the plain definitions give."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine.pipeline import apply_rules
from cleaner.engine.rules import Context, Pattern, _drop
from cleaner.engine.ruleset import Settings
from cleaner.engine.vocabulary import BlockRule, LineRule, LineRuleGroup, Step
from cleaner.text.document import Line

WORDS = [
    "Share",
    "Login",
    "Notify of",
    "guest",
    "Inline Feedbacks",
    "",
    "",
    "It rained all day.",
    "It rained all day and the river rose over the old stone bridge.",
    "Menu",
]


def pattern(source: str) -> Pattern:
    return Pattern(source, regex.compile(source, regex.VERSION1), "test", "test.toml", 1.0)


def block(rest_kind: str | None = None) -> BlockRule:
    steps = (
        Step(pattern("Share|Login")),
        Step(pattern("guest"), optional=True),
        Step(pattern("Notify of")),
        Step(pattern("Inline Feedbacks"), optional=True),
    )
    return BlockRule("block", "comments", "A block.", "test.toml", (), steps, rest_kind, 3)


def restarting_block_apply(rule: BlockRule, lines: list[Line], context: Context):
    """BlockRule.apply as first written: after each match, start again from the top."""
    filled = [index for index, line in enumerate(lines) if line.text]
    for position in range(len(filled)):
        end = rule._match(
            lines, filled, position, lambda step, text: rule.steps[step].pattern.fullmatch(text)
        )
        if end is None:
            continue
        groups = [(rule.kind, list(range(filled[position], filled[end - 1] + 1)))]
        rest = filled[end:]
        if rule.rest_kind and rest and (rule.rest_max_lines is None or len(rest) <= rule.rest_max_lines):
            groups.append((rule.rest_kind, list(range(rest[0], len(lines)))))
        kept, removals, _ = _drop(lines, groups, rule)
        more_kept, more_removals, _ = restarting_block_apply(rule, kept, context)
        return more_kept, removals + more_removals, []
    return lines, [], []


page = st.lists(st.sampled_from(WORDS), max_size=40).map(
    lambda texts: [Line(number, text) for number, text in enumerate(texts, 1)]
)


@settings(max_examples=300, deadline=None)
@given(page, st.sampled_from([None, "related-links"]))
def test_block_rule_in_one_pass_equals_starting_again_after_each_match(lines, rest_kind):
    rule = block(rest_kind)
    prose = Settings().prose_test()
    assert rule.apply(lines, Context(prose)) == restarting_block_apply(rule, lines, Context(prose))


def line_rules() -> list[LineRule]:
    return [
        LineRule("share", "share-buttons", "Share.", "t.toml", (), pattern("(?i)share|menu"), max_words=2),
        LineRule("head-menu", "navigation", "Menu.", "t.toml", (), pattern("Menu|Login"), zone="head"),
        LineRule("rain", "weather", "Rain.", "t.toml", (), pattern(".*rained.*"), skip_prose=True),
        LineRule("tail-guest", "comments", "Guest.", "t.toml", (), pattern("guest|Login"), zone="tail"),
        LineRule("login", "navigation", "Login.", "t.toml", (), pattern("Login|Menu")),
    ]


@settings(max_examples=300, deadline=None)
@given(page)
def test_a_run_of_line_rules_equals_applying_them_in_turn(lines):
    prose = Settings().prose_test()
    context = Context(prose)
    expected_lines, expected_removals = lines, []
    for rule in line_rules():
        expected_lines, removed, _ = rule.apply(expected_lines, context)
        expected_removals += removed
    kept, removals, _ = LineRuleGroup(line_rules()).apply(lines, Context(prose))
    assert (kept, removals) == (expected_lines, expected_removals)


@settings(max_examples=100, deadline=None)
@given(page)
def test_apply_rules_equals_the_rules_applied_one_by_one_until_nothing_changes(lines):
    rules = (block(), *line_rules())
    prose = Settings().prose_test()
    expected, expected_removals = lines, []
    for _ in range(4):
        context = Context(prose, original=expected)
        changed = False
        for rule in rules:
            expected, removed, _ = rule.apply(expected, context)
            context.record(removed)
            expected_removals += removed
            changed = changed or bool(removed)
        if not changed:
            break
    expected_removals.sort(key=lambda removal: removal.first_line)
    assert apply_rules(lines, rules, Settings())[:2] == (expected, expected_removals)


def test_lines_are_keys_by_number_and_text():
    # A line's hash is its number's; equality still takes the text into account (a substitution
    # makes a new line with the same number).
    keys = {
        Line(1, "Bridge reopens"): "old",
        Line(1, "Bridge reopens!"): "new",
        Line(2, "Bridge reopens"): "x",
    }
    assert len(keys) == 3
    assert keys[Line(1, "Bridge reopens!")] == "new"
    assert Line(1, "a") == Line(1, "a") and hash(Line(1, "a")) == hash(Line(1, "a"))
