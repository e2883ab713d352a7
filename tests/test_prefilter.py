"""The prefilter never skips a text a pattern matches: its assumptions, and the built-in rules."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.document import split_lines
from cleaner.text.prefilter import CASE_TWINS, PLAIN_MARKS, Required, fold, required
from tests.conftest import CASES, sample_input

EVERY_CHARACTER = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)


def matched_characters(pattern: str, flags: int) -> set[str]:
    return set(regex.findall(pattern, EVERY_CHARACTER, flags=flags))


def test_plain_marks_have_no_case_in_the_installed_regex_module():
    for flags in (regex.VERSION0, regex.VERSION1):
        assert matched_characters(f"(?i)[{PLAIN_MARKS}]", flags) == set(PLAIN_MARKS)


def test_only_the_case_twins_match_ascii_letters_when_case_is_ignored():
    for flags in (regex.VERSION0, regex.VERSION1):
        others = matched_characters("(?i)[a-z]", flags) - set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        )
        assert others <= set(CASE_TWINS)


def test_fold_judges_only_plain_texts():
    assert fold("Don’t Stop – “Now”…") == "don’t stop – “now”…"
    assert fold("Straße") is None
    assert fold("Über") is None


def test_requirements_of_simple_patterns():
    assert required(r"(?i).{0,80}\b(?:cookies?|privacy policy)\b.*") == Required(("cookie", "privacy policy"))
    assert required(r"\d+ votes?") == Required(exact=(" vote",))
    assert required(r"\d{1,2}[:.]\d{2}") == Required(digit=True)
    assert required(r"x\p{L}y") == Required(exact=("x",))
    assert required(r"(?i)straße") == Required(("stra",))


def test_case_is_kept_where_the_pattern_keeps_it():
    both = required(r"(?:AP)|(?:(?i)\bphoto: Reuters)|(?-i:EPA)")
    assert both == Required(("photo: reuters",), exact=("AP", "EPA"))
    assert not both.found_in(fold("It happened in the capital"), "It happened in the capital")
    assert both.found_in(fold("PHOTO: REUTERS"), "PHOTO: REUTERS")
    assert both.found_in(None, "Ünd AP")
    # A part that ignores case makes the run it joins ignore case.
    assert required(r"AB(?i:cd)") == Required(("abcd",))
    # A flag in the middle of a group: every literal is taken to ignore case.
    assert required(r"AB(?i)cd") == Required(("abcd",))


def test_no_requirement_where_the_analysis_cannot_be_sure():
    assert required(r"(?i)menu|\W+") is None  # an alternative with no literal
    assert required(r"(?:abc){e<=1}") is None  # fuzzy matching
    assert required(r"[a[b]c]d") is None  # a nested set in regex version 1
    assert required(r"[a-z--[aeiou]]x") is None  # a set difference
    assert required(r"(?i)ß") is None  # ß matches "ss" when case is ignored
    assert required(r"ab(?x)c d") is None  # verbose from the middle on: Python cannot read it
    assert required(r"(?!cookie).*") is None
    assert required(r"(?:cookie)?") is None


def builtin_patterns(ruleset):
    for rule in ruleset.all_rules:
        if hasattr(rule, "pattern"):
            yield rule.pattern
        for step in getattr(rule, "steps", ()):
            yield step.pattern
        for heading in getattr(rule, "headings", ()):
            yield heading.pattern


def sample_texts(ruleset) -> list[str]:
    texts = [line for case in CASES for line in split_lines(sample_input(case).decode("utf-8"))]
    for rule in ruleset.all_rules:
        for example in rule.examples:
            texts += split_lines(example.input)
    return list(dict.fromkeys(text for text in texts if text))  # each distinct text once


def test_builtin_patterns_are_never_skipped_on_a_text_they_match(builtin_rules):
    texts = sample_texts(builtin_rules)
    patterns = list(builtin_patterns(builtin_rules))
    assert sum(pattern.required is not None for pattern in patterns) > len(patterns) // 2
    folded = [fold(text) for text in texts]
    for pattern in patterns:
        for text, text_folded in zip(texts, folded, strict=True):
            # Only a text the prefilter skips can be skipped wrongly: it must not match.
            if not pattern.may_match(text_folded, text):
                assert not pattern.compiled.search(text), (pattern.rule_id, text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_texts_built_from_pattern_words_are_never_skipped_wrongly(builtin_rules, data):
    patterns = [p for p in builtin_patterns(builtin_rules) if p.required is not None]
    pattern = data.draw(st.sampled_from(patterns))
    pieces = [
        *pattern.required.strings,
        *pattern.required.exact,
        "",
        " ",
        "3",
        "’",
        "A",
        "é",
        ":",
        "\u0130",
        "ß",
        "ſ",
    ]
    words = data.draw(st.lists(st.sampled_from(pieces), max_size=6))
    text = "".join(piece.upper() if data.draw(st.booleans()) else piece for piece in words)
    if pattern.compiled.search(text):
        assert pattern.may_match(fold(text), text)
