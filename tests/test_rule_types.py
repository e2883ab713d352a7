"""The structural rule types and skip_prose, on small synthetic pages written for these tests."""

from __future__ import annotations

import pytest

from cleaner import Options, clean_text
from cleaner.errors import RuleFileError
from cleaner.rulebook.rulefiles import build_ruleset, load_rules

PROSE = [
    "The bridge over the river reopened on Monday after a month of repairs, the council said.",
    "Engineers had found cracks in two of the supports during a routine check in the spring.",
    "They replaced both supports and tested the deck with loaded lorries over the weekend.",
    "Traffic was light in the morning, but the buses were back on their usual routes by noon.",
    "The council said it would inspect every bridge in the city again in the autumn.",
    "Residents who had driven round by the ring road for a month were glad to see it open.",
]
SETTINGS = """
[settings]
prose_min_words = 10
sentence_end = '''(?:[.!?…。！？:;؟।][\\p{Pf}\\p{Pi}\\p{Pe}"']*|\\p{So})$'''
teaser_end = '''(?:\\.\\.\\.|…)[\\p{Pf}\\p{Pi}\\p{Pe}"']*$'''
"""


def ruleset(tmp_path, *tables: str):
    path = tmp_path / "rules.toml"
    path.write_text(SETTINGS + "\n".join(tables), encoding="utf-8")
    return build_ruleset([path])


def clean(text: str, rules):
    return clean_text(text, Options(rules=rules))


def page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def kinds(result) -> dict[str, str]:
    return {line.text: removal.kind for removal in result.removals for line in removal.lines}


def test_skip_prose_keeps_sentences_the_pattern_also_matches(tmp_path):
    dateline = """
[[rule]]
id = "dateline"
type = "line"
kind = "dateline"
skip_prose = true
description = "A date line."
pattern = '(?i)(?:today|monday)\\b.*'
[[rule.example]]
input = "Monday 3 March\\n"
output = ""
[[rule.example]]
input = "Today, we are going to look at how the bridge was rebuilt after the flood.\\n"
"""
    rules = ruleset(tmp_path, dateline)
    sentence = "Monday was the first day the bridge carried buses since the storm in March."
    result = clean(page("Monday 3 March", sentence), rules)
    # The sentence is the body, and no title: it reads as a sentence, not as a headline.
    assert (result.title, result.paragraphs) == (None, (sentence,))
    assert "Monday 3 March" not in result.text
    assert kinds(result) == {"Monday 3 March": "dateline"}


def test_repeated_lines_go_from_min_count(tmp_path):
    repeated = """
[[rule]]
id = "repeated"
type = "repeated-line"
kind = "repeated-chrome"
description = "Repeated lines."
min_count = 3
[[rule.example]]
input = "a\\n\\na\\n\\na\\n"
output = ""
[[rule.example]]
input = "a\\n\\na\\n"
"""
    rules = ruleset(tmp_path, repeated)
    result = clean(page("Photo", PROSE[0], "Photo", PROSE[1], "Photo", "Twice", "Twice"), rules)
    assert [line.text for r in result.removals for line in r.lines] == ["Photo"] * 3
    assert "Twice" in result.text


@pytest.mark.parametrize(
    ("ending", "sentence"),
    [
        (".”", True),
        ("!»", True),
        ("?)", True),
        ("。", True),
        ("؟", True),
        ("”", False),
        ("…", False),
        ("...", False),
        (" 🎉", True),  # an emoji ends a sentence
        (" ®", False),  # a trademark sign ends a name ("Celebrity Reflection ®")
        (" ™", False),
    ],
)
def test_sentence_ends_are_unicode_aware_and_teasers_are_not_sentences(ending, sentence):
    prose = load_rules().settings.prose_test()
    assert prose.is_sentence("“The bridge is open again and the buses run on time" + ending) is sentence


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("min_count = 0", "positive whole number"),
        ('max_words = "five"', "positive whole number"),
        ('keep_in_article = "yes"', "true or false"),
        ('colour = "red"', "unknown key"),
    ],
)
def test_structural_rules_check_their_keys(tmp_path, table, reason):
    bad = f"""
[[rule]]
id = "repeated"
type = "repeated-line"
kind = "repeated-chrome"
description = "Repeated lines."
{table}
[[rule.example]]
input = "a\\n\\na\\n\\na\\n"
output = ""
[[rule.example]]
input = "a\\n"
"""
    with pytest.raises(RuleFileError, match=reason):
        ruleset(tmp_path, bad)


UNSEEN_PAGE = page(
    "Skip to main content",
    "Menu",
    "Home » News » Local",
    "Bridge reopens after a month of repairs",
    "By Jane Doe",
    "Published: March 3, 2019 10:45 AM",
    "Share on Facebook",
    "Tweet | Email",
    *PROSE[:3],
    "Advertisement",
    *PROSE[3:6],
    "Tags: bridges, transport",
    "Most read",
    "Why bridges crack",
    "Ten bridges to see",
    "We use cookies to improve your experience. By continuing you accept our Privacy Policy.",
    "© 2019 Example Media Ltd. All rights reserved.",
)


def test_builtin_rules_clean_a_page_from_a_site_without_rules():
    result = clean_text(UNSEEN_PAGE)
    assert result.title == "Bridge reopens after a month of repairs"
    assert list(result.paragraphs) == PROSE
    assert clean_text(result.text).text == result.text
    assert {"navigation", "breadcrumb", "byline", "dateline", "share-buttons", "advertisement"} <= set(
        kinds(result).values()
    )


def test_each_rule_type_declares_its_keys_once_and_they_are_its_fields():
    from dataclasses import fields

    from cleaner.engine.ruletypes import TYPES
    from cleaner.rulebook.ruletables import _KINDS

    assert set(_KINDS) == set(TYPES.values())
    common = {"id", "kind", "description", "path", "examples"}
    tables = {"heading": "headings", "favor": "favors"}  # a TOML table read into a tuple
    for name, cls in TYPES.items():
        declared = {tables.get(key, key) for key in _KINDS[cls].keys}
        public = {f.name for f in fields(cls) if not f.name.startswith("_")} - common
        assert declared == public, name


def test_a_key_of_another_rule_type_is_refused(tmp_path):
    rule = """
[[rule]]
id = "sponsor"
type = "line"
kind = "sponsor"
description = "A sponsor line."
pattern = 'Sponsored by .+'
replacement = ""
[[rule.example]]
input = "Sponsored by Acme\\n"
output = ""
[[rule.example]]
input = "Acme sponsored the race.\\n"
"""
    with pytest.raises(RuleFileError, match="unknown key 'replacement' for a line rule"):
        ruleset(tmp_path, rule)
    assert ruleset(tmp_path, rule.replace('replacement = ""\n', "")).generic[0].id == "sponsor"
