"""Rule files: bad ones are refused at load time with file, rule id and reason."""

from __future__ import annotations

import time

import pytest

from cleaner import Options, clean_text, load_rules
from cleaner.errors import RuleFileError, RuleTimeoutError

GOOD_RULE = """
[[rule]]
id = "sponsor-line"
type = "line"
kind = "advertisement"
description = "A sponsor line."
pattern = 'Sponsored by .+'

[[rule.example]]
input = "Sponsored by Acme\\n"
output = ""

[[rule.example]]
input = "Acme sponsored the race.\\n"
"""


def write(tmp_path, text, name="rules.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, text) -> RuleFileError:
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as caught:
        load_rules([path], builtin=False)
    assert str(path) in str(caught.value)
    return caught.value


def test_a_good_rule_file_loads_and_applies(tmp_path):
    rules = load_rules([write(tmp_path, GOOD_RULE)], builtin=False)
    result = clean_text("Title\n\nSponsored by Acme\n\nBody text.\n", Options(rules=rules))
    assert [r.rule for r in result.removals] == ["sponsor-line"]
    assert result.removals[0].kind == "advertisement"


def test_unknown_type_is_refused_with_the_valid_list(tmp_path):
    error = refused(tmp_path, GOOD_RULE.replace('type = "line"', 'type = "lines"'))
    assert error.rule_id == "sponsor-line"
    assert "unknown type 'lines'" in str(error) and "paragraph" in str(error)


def test_unknown_key_is_refused(tmp_path):
    error = refused(tmp_path, GOOD_RULE.replace("pattern =", "patern ="))
    assert "unknown key 'patern'" in str(error)


def test_pattern_that_does_not_compile_is_refused(tmp_path):
    error = refused(tmp_path, GOOD_RULE.replace("'Sponsored by .+'", "'Sponsored (by'"))
    assert "does not compile" in str(error)


def test_the_position_of_a_compile_error_is_the_authors(tmp_path):
    error = refused(tmp_path, GOOD_RULE.replace("'Sponsored by .+'", "'Sponsored (?by'"))
    assert str(error).endswith("unknown extension at position 13")  # the "b" after "(?"


@pytest.mark.parametrize(
    ("pattern", "example", "takes_sharp_s"),
    [
        ("(?i)Strasse gesperrt", "STRASSE GESPERRT", False),
        ("(?fi)Strasse gesperrt", "STRASSE GESPERRT", True),
        ("(?i)Straße gesperrt", "STRAßE GESPERRT", True),
    ],
)
def test_case_folds_simply_unless_a_pattern_asks_for_full_folding(tmp_path, pattern, example, takes_sharp_s):
    # As Python's re: "ß" is not "ss" unless the pattern says (?f).
    rule = GOOD_RULE.replace("'Sponsored by .+'", f"'{pattern}'").replace("Sponsored by Acme", example)
    rules = load_rules([write(tmp_path, rule)], builtin=False)
    result = clean_text("Body text of the page.\n\nStraße gesperrt\n", Options(rules=rules))
    assert bool(result.removals) is takes_sharp_s


def test_duplicate_id_across_files_is_refused(tmp_path):
    first = write(tmp_path, GOOD_RULE, "a.toml")
    second = write(tmp_path, GOOD_RULE, "b.toml")
    with pytest.raises(RuleFileError, match="duplicate id"):
        load_rules([first, second], builtin=False)


def test_failing_example_is_refused(tmp_path):
    error = refused(tmp_path, GOOD_RULE.replace('"Acme sponsored the race.\\n"', '"Sponsored by X\\n"'))
    assert "example 2 fails" in str(error)


def test_examples_of_both_kinds_are_required(tmp_path):
    one_kind = GOOD_RULE.split('[[rule.example]]\ninput = "Acme')[0]
    error = refused(tmp_path, one_kind)
    assert "both kinds" in str(error)


def test_missing_description_and_bad_kind_are_refused(tmp_path):
    assert "description" in str(refused(tmp_path, GOOD_RULE.replace('description = "A sponsor line."', "")))
    assert "kind" in str(refused(tmp_path, GOOD_RULE.replace('"advertisement"', '"Ad Stuff"')))


def test_invalid_toml_is_refused(tmp_path):
    assert "not valid TOML" in str(refused(tmp_path, "[[rule]\n"))


def test_catastrophic_pattern_times_out_with_rule_and_file(tmp_path):
    text = GOOD_RULE.replace("pattern = 'Sponsored by .+'", "pattern = '(a|aa)+c'").replace(
        'input = "Sponsored by Acme\\n"\noutput = ""', 'input = "aac\\n"\noutput = ""'
    )
    text = "[settings]\nmatch_timeout = 0.05\n" + text
    rules = load_rules([write(tmp_path, text)], builtin=False)
    started = time.monotonic()
    with pytest.raises(RuleTimeoutError) as caught:
        # The "c" lets the pattern run: a text without it is skipped unmatched (prefilter.py).
        clean_text("a" * 60 + "-c\n", Options(rules=rules))
    assert time.monotonic() - started < 5
    assert "sponsor-line" in str(caught.value) and "rules.toml" in str(caught.value)


def test_site_pack_applies_only_when_detected_or_forced(tmp_path):
    site = "[site]\nname = \"acme\"\ndetect = ['Acme Daily']\n" + GOOD_RULE
    rules = load_rules([write(tmp_path, site)], builtin=False)
    page = "Title\n\nSponsored by Acme\n\nBody text.\n"
    assert clean_text(page, Options(rules=rules)).removals == ()
    assert clean_text(page + "Acme Daily\n", Options(rules=rules)).sites == ("acme",)
    forced = clean_text(page, Options(rules=rules, sites=("acme",)))
    assert [r.rule for r in forced.removals] == ["sponsor-line"]
