"""Which patterns run without the timeout, and that a runaway one is still stopped by it."""

from __future__ import annotations

import sys

import regex

from cleaner import Options, clean_text, load_rules
from cleaner.engine.rules import Pattern, compile_pattern
from cleaner.errors import RuleTimeoutError
from cleaner.text.backtracking import _FOLDS_BELOW, NEVER, STEPS, _wide_folds, pattern_cost, untimed_lengths


def pattern(source: str, timeout: float = 1.0) -> Pattern:
    return Pattern(source, compile_pattern(source), "mine", "mine.toml", timeout)


def test_costs_of_simple_patterns():
    assert pattern_cost(r"Sponsored by .+") == (1, 1)
    assert pattern_cost(r"(?i)share (?:this|on) .{0,40}\s*") == (2, 2)
    assert pattern_cost(r"\d{4}") == (1, 0)
    assert pattern_cost(r"\d{1,2}:\d\d") == (2, 0)  # a few lengths are alternatives
    assert pattern_cost(r"(?:by )?\w+") == (2, 1)
    assert pattern_cost(r"(?=.*\bx\b).*") == (1, 2)


def test_repeats_of_groups_and_back_references_are_untamed():
    for source in (r"(a|aa)+c", r"(\w+\s?)*$", r"(?:ab)+", r"(\w)\1", r"(?:x{2,})+", r"[[a-z]--[aeiou]]+"):
        assert pattern_cost(source) is None, source
        assert untimed_lengths(source) == (NEVER, NEVER)


def test_folding_case_in_full_a_character_that_folds_to_two_is_untamed():
    # What makes it so, in the installed regex module: with (?f), "ß" matches "ss", and a set
    # holding both matches a run of "s" in more ways the longer it is.
    assert compile_pattern(r"(?fi)ß").fullmatch("ss")
    assert compile_pattern(r"(?fi)[sß]+").fullmatch("sss")
    for source in (r"(?fi)[sß]+x", r"(?fi)straße.*", r"(?if)[À-ÿ]+", r"(?fi)\xdf+", r"(?fi)[ﬀ-ﬆ]+"):
        assert pattern_cost(source) is None, source
    assert pattern_cost(r"(?f)(?i)[sß]+x") is None
    assert pattern_cost(r"[sß]+x") == (1, 1)  # with case it is one character
    assert pattern_cost(r"(?fi)über .*") == (1, 1)
    assert pattern_cost(r"(?fi)[a-zà-ÿ]+") == (1, 1)  # ß (U+00DF) is just below à


def test_folding_case_simply_a_character_that_folds_to_two_is_one_character():
    # The flavour's default: "ß" is not "ss", and a set holding both is a set of characters.
    assert compile_pattern(r"(?i)ß").fullmatch("ss") is None
    assert compile_pattern(r"(?i)[sß]+").fullmatch("sss")
    for source in (r"(?i)[sß]+x", r"(?i)\xdf+", r"(?i)[ﬀ-ﬆ]+"):
        assert pattern_cost(source) == (1, 1), source
    assert pattern_cost(r"(?i)straße.*") == (1, 1)


def test_every_character_that_folds_to_two_is_below_the_bound_looked_at():
    beyond = [code for code in range(_FOLDS_BELOW, sys.maxunicode + 1) if len(chr(code).casefold()) > 1]
    assert beyond == []


def test_no_other_character_folds_to_two_in_the_regex_module():
    """_wide_folds() comes from str.casefold(): no other character may match, ignoring case in
    the regex module, one of the strings those characters fold to ("ss", "fi", ...)."""
    wide = set(_wide_folds())
    assert {"ß", "ẞ", "ﬁ", "ŉ"} <= wide
    targets = {character.casefold() for character in wide}
    for code in range(0x80, 0x10000):
        character = chr(code)
        if character in wide or 0xD800 <= code < 0xE000:
            continue
        if character.casefold() == character == character.upper() == character.lower():
            continue  # no case at all
        compiled = regex.compile("(?i)" + regex.escape(character), flags=regex.VERSION1)
        assert not any(compiled.fullmatch(target) for target in targets), hex(code)


def test_a_tamed_pattern_runs_untimed_only_on_texts_short_enough():
    full, search = untimed_lengths(r".*x.*y.*")
    assert full == STEPS ** (1 / 3) and search == STEPS ** (1 / 4)
    assert pattern(r"\d{4}").untimed_full == float("inf")
    assert pattern(r"a+").untimed_full == STEPS


def test_a_catastrophic_pattern_is_still_stopped_naming_its_rule(tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text(
        "[settings]\nmatch_timeout = 0.05\n"
        '[[rule]]\nid = "runaway"\ntype = "line"\nkind = "x"\ndescription = "d"\n'
        "pattern = '(?:a|aa)+!'\n"
        '[[rule.example]]\ninput = "aaa!\\n"\noutput = ""\n'
        '[[rule.example]]\ninput = "aaa?\\n"\n',
        encoding="utf-8",
    )
    loaded = load_rules([rules], builtin=False)
    try:
        clean_text("a" * 60 + "-!\n", Options(rules=loaded))
    except RuleTimeoutError as error:
        assert "runaway" in str(error) and "mine.toml" in str(error)
    else:
        raise AssertionError("the pattern was not stopped")


def test_a_pattern_timed_out_on_a_long_text_names_its_rule():
    slow = pattern(r"(?:a|aa)+c", timeout=0.01)
    try:
        slow.fullmatch("a" * 60 + "-c")
    except RuleTimeoutError as error:
        assert "mine" in str(error) and "mine.toml" in str(error)
    else:
        raise AssertionError("the pattern was not stopped")
