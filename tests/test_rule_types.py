"""The structural rule types and skip_prose, on small synthetic pages written for these tests."""

from __future__ import annotations

import pytest

from cleaner import Options, clean_text
from cleaner.errors import RuleFileError
from cleaner.rulefiles import build_ruleset, load_rules

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
BODY = """
[[rule]]
id = "body"
type = "body"
kind = "page-header"
tail_kind = "page-footer"
description = "Test body rule."
floor_words = 40
end_guard_kinds = ["share-buttons"]
[[rule.heading]]
role = "list"
kind = "related-links"
max_words = 6
pattern = '(?i)related stories|more from .*'
[[rule.heading]]
role = "end"
kind = "comments"
max_words = 6
pattern = '(?i)comments'
[[rule.example]]
input = "Menu\\n\\nA Headline Here\\n\\n{p0}\\n\\n{p1}\\n\\n{p2}\\n\\n{p3}\\n\\nFooter links\\n"
output = "A Headline Here\\n\\n{p0}\\n\\n{p1}\\n\\n{p2}\\n\\n{p3}\\n"
[[rule.example]]
input = "A Headline Here\\n\\n{p0}\\n"
""".format(**{f"p{i}": text for i, text in enumerate(PROSE)})


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


def test_body_keeps_headline_and_prose_and_drops_header_and_footer(tmp_path):
    rules = ruleset(tmp_path, BODY)
    text = page("Home", "Sport", "A Headline Here", "By the desk.", *PROSE[:4], "About us", "Jobs")
    result = clean(text, rules)
    assert result.title == "A Headline Here"
    assert list(result.paragraphs) == PROSE[:4]
    assert kinds(result) == {
        "Home": "page-header",
        "Sport": "page-header",
        "By the desk.": "page-header",
        "About us": "page-footer",
        "Jobs": "page-footer",
    }


def test_tail_after_a_heading_takes_the_heading_kind(tmp_path):
    rules = ruleset(tmp_path, BODY)
    text = page(
        "A Headline Here", *PROSE[:4], "Contact", "Related stories", "Ten bridges", "Comments", "Nice one"
    )
    found = kinds(clean(text, rules))
    assert found["Contact"] == "page-footer"
    assert found["Related stories"] == found["Ten bridges"] == "related-links"
    assert found["Comments"] == found["Nice one"] == "comments"


def test_inline_box_is_dropped_and_the_article_goes_on(tmp_path):
    rules = ruleset(tmp_path, BODY)
    text = page(
        "A Headline Here", PROSE[0], "More from the city", "Ten bridges", "Our river guide", *PROSE[1:6]
    )
    result = clean(text, rules)
    assert list(result.paragraphs) == PROSE[:6]
    assert kinds(result)["Ten bridges"] == "related-links"


def test_list_heading_without_prose_after_it_ends_the_body(tmp_path):
    rules = ruleset(tmp_path, BODY)
    text = page("A Headline Here", *PROSE[:4], "Related stories", "Ten bridges", "Our river guide", PROSE[4])
    result = clean(text, rules)
    assert list(result.paragraphs) == PROSE[:4]


def test_end_heading_stops_the_search_for_the_body(tmp_path):
    # The comments are a bigger cluster than the article, but nothing after "Comments" is article.
    rules = ruleset(tmp_path, BODY)
    text = page("A Headline Here", *PROSE[:3], "Comments", *PROSE[3:6], *PROSE[:3])
    result = clean(text, rules)
    assert list(result.paragraphs) == PROSE[:3]


def test_an_end_heading_among_share_buttons_is_a_button(tmp_path):
    share = """
[[rule]]
id = "share"
type = "line"
kind = "share-buttons"
description = "Share buttons."
pattern = '(?i)share|tweet|comments'
[[rule.example]]
input = "Share\\n"
output = ""
[[rule.example]]
input = "We share.\\n"
"""
    # A short dek-like cluster, then the share bar, then the article: had "Comments" ended the
    # search, the dek would have been taken for the body.
    rules = ruleset(tmp_path, BODY, share)
    text = page("A Headline Here", *PROSE[:2], "Share", "Comments", *PROSE[2:6], *PROSE[:2])
    result = clean(text, rules)
    assert result.title == "A Headline Here"
    assert list(result.paragraphs) == PROSE[2:6] + PROSE[:2]


def test_a_page_without_enough_prose_is_left_alone(tmp_path):
    rules = ruleset(tmp_path, BODY)
    text = page("Calendar 2018", "Round 1: 10 March", "Round 2: 8 April", PROSE[0], "Contact")
    result = clean(text, rules)
    assert result.removals == ()


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
    assert result.paragraphs == (sentence,) or result.title == sentence
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


def test_short_runs_inside_the_body_go_but_subheadings_and_table_rows_stay(tmp_path):
    runs = """
[[rule]]
id = "runs"
type = "short-run"
kind = "link-list"
description = "Runs of short lines."
min_lines = 3
max_words = 8
[[rule.example]]
input = "A sentence that is long enough to count as prose in this test.\\n\\na\\n\\nb\\n\\nc\\n\\nAnother sentence that is long enough to count as prose here.\\n"
output = "A sentence that is long enough to count as prose in this test.\\n\\nAnother sentence that is long enough to count as prose here.\\n"
[[rule.example]]
input = "a\\n\\nb\\n\\nc\\n"
"""
    rules = ruleset(tmp_path, runs)
    table = ["1 Jane Doe 5033 4 6", "2 John Roe 4990 3 5", "3 Ann Poe 4871 2 2"]
    links = ["Ten bridges", "Our river guide", "Weather", "Jobs"]
    text = page(
        "Menu",
        "Home",
        "News",
        "Sport",
        PROSE[0],
        "What went wrong",
        PROSE[1],
        *links,
        PROSE[2],
        *table,
        PROSE[3],
    )
    result = clean(text, rules)
    assert set(kinds(result)) == set(links)  # the menu is outside the body; the rest is article
    assert "What went wrong" in result.paragraphs
    assert all(row in result.paragraphs for row in table)


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
    ],
)
def test_sentence_ends_are_unicode_aware_and_teasers_are_not_sentences(ending, sentence):
    prose = load_rules().settings.prose_test()
    assert prose.is_sentence("“The bridge is open again and the buses run on time" + ending) is sentence


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("min_lines = 0", "positive whole number"),
        ('max_words = "five"', "positive whole number"),
        ('colour = "red"', "unknown key"),
    ],
)
def test_structural_rules_check_their_keys(tmp_path, table, reason):
    bad = f"""
[[rule]]
id = "runs"
type = "short-run"
kind = "link-list"
description = "Runs."
{table}
[[rule.example]]
input = "a\\n"
output = "a\\n"
[[rule.example]]
input = "a\\n"
"""
    with pytest.raises(RuleFileError, match=reason):
        ruleset(tmp_path, bad)


def test_body_rule_checks_headings_and_shares(tmp_path):
    with pytest.raises(RuleFileError, match="role"):
        ruleset(tmp_path, BODY.replace('role = "end"', 'role = "middle"'))
    with pytest.raises(RuleFileError, match="from 0 to 1"):
        ruleset(tmp_path, BODY.replace("floor_words = 40", "floor_words = 40\nbody_min_share = 2"))


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
