"""The article model with the built-in rules: what it keeps, what it drops and why."""

from __future__ import annotations

import json

import pytest

from cleaner import Options, clean_text
from cleaner.engine.article import _clusters, page_features
from cleaner.engine.article_path import article_path
from cleaner.engine.page import PageLine, line_shape
from cleaner.engine.rendering import to_object
from cleaner.errors import RuleFileError
from cleaner.rulebook.rulefiles import build_ruleset, builtin_rules_dir
from tests.conftest import sample_input

PROSE = [
    "The bridge over the river reopened on Monday after a month of repairs, the council said.",
    "Engineers had found cracks in two of the supports during a routine check in the spring.",
    "They replaced both supports and tested the deck with loaded lorries over the weekend.",
    "Traffic was light in the morning, but the buses were back on their usual routes by noon.",
    "The council said it would inspect every bridge in the city again in the autumn.",
    "Residents who had driven round by the ring road for a month were glad to see it open.",
    "Shops on the north bank said trade had fallen by a third while the bridge was shut.",
    "The repairs cost the city a little over two million pounds, more than it had planned.",
]
HEADER = ["Skip to content", "Home", "News", "Sport", "Weather", "Contact us"]
FOOTER = ["About us", "Careers", "Advertise with us", "Privacy policy", "Terms of use", "Site map"]


def page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def lines_of(*parts: str) -> str:
    return "\n".join(parts)


def kinds(result) -> dict[str, str]:
    return {line.text: removal.kind for removal in result.removals for line in removal.lines}


def test_headline_and_prose_stay_and_the_page_around_them_goes():
    result = clean_text(page(*HEADER, "Bridge reopens after a month", *PROSE[:5], *FOOTER))
    assert result.title == "Bridge reopens after a month"
    assert list(result.paragraphs) == PROSE[:5]
    assert set(kinds(result)) >= {"Skip to content", "Sport", "Careers", "Site map"}


def test_a_headline_may_end_in_a_question_mark():
    result = clean_text(page(*HEADER, "Is the bridge safe now?", *PROSE[:5], *FOOTER))
    assert result.title == "Is the bridge safe now?"
    assert list(result.paragraphs) == PROSE[:5]


@pytest.mark.parametrize(
    "inside",
    [
        # a bulleted list after a lead-in line
        [
            "The work took four weeks:",
            lines_of(
                "- new bearings under both supports",
                "- a resurfaced deck",
                "- fresh paint on the railings",
                "- new lamps along the footpath",
            ),
        ],
        # a numbered step list
        [
            lines_of(
                "1. Close the bridge to traffic.",
                "2. Lift the deck with jacks.",
                "3. Replace the bearings.",
                "4. Lower the deck and test it.",
            )
        ],
        # a table
        [
            lines_of(
                "Bridge | Year built | Length",
                "North Bridge | 1902 | 210 m",
                "Mill Bridge | 1961 | 95 m",
                "River Bridge | 1988 | 340 m",
            )
        ],
        # a subheading
        ["What went wrong"],
    ],
    ids=["list", "steps", "table", "subheading"],
)
def test_lists_tables_steps_and_subheadings_inside_an_article_stay(inside):
    text = page(*HEADER, "Bridge reopens after a month", *PROSE[:3], *inside, *PROSE[3:7], *FOOTER)
    result = clean_text(text)
    for part in inside:
        for line in part.split("\n"):
            assert line in result.text, line
    assert all(sentence in result.text for sentence in PROSE[:7])


def test_a_later_larger_part_of_the_article_is_not_dropped_after_an_interruption():
    gallery = [f"Photo {n} of 9" for n in range(1, 10)]
    text = page(*HEADER, "Bridge reopens after a month", *PROSE[:2], *gallery, *PROSE[2:8], *FOOTER)
    result = clean_text(text)
    assert all(sentence in result.paragraphs for sentence in PROSE)


def test_a_related_box_inside_the_article_goes_and_the_article_goes_on():
    box = ["Related stories", "Why bridges crack", "Ten bridges to see this summer", "Our river guide"]
    text = page("Bridge reopens after a month", *PROSE[:3], *box, *PROSE[3:8], *FOOTER)
    result = clean_text(text)
    assert list(result.paragraphs) == PROSE
    assert kinds(result)["Why bridges crack"] == "related-links"


def test_comments_after_the_article_go_under_their_heading_kind():
    comments = [
        "Comments",
        "Jane Roe",
        "2 days ago",
        "I drove over it this morning and it felt fine to me, no complaints at all.",
        "Reply",
        "John Poe",
        "3 days ago",
        "About time too, the detour through the town centre was a nightmare every day.",
        "Reply",
    ]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:6], *comments))
    assert list(result.paragraphs) == PROSE[:6]
    assert kinds(result)["Reply"] == "comments"


def test_a_page_with_too_little_prose_is_left_alone():
    rounds = ["Race calendar 2018", "Round 1: 10 March, North Circuit", "Round 2: 8 April, City Park"]
    result = clean_text(page(*rounds, "Results"))
    assert not [removal for removal in result.removals if removal.rule == "article"]
    assert all(line in result.text for line in rounds)


def test_structural_removals_carry_their_evidence_and_the_json_reports_the_region():
    result = clean_text(page(*HEADER, "Bridge reopens after a month", *PROSE[:5], *FOOTER))
    structural = [removal for removal in result.removals if removal.rule == "article"]
    assert structural and all("score" in removal.evidence for removal in structural)
    assert any(removal.evidence.startswith("before the article") for removal in structural)
    assert any(removal.evidence.startswith("after the article") for removal in structural)
    data = to_object(result, "page.txt")
    assert data["article"]["first_line"] < data["article"]["last_line"]
    assert {"score", "lines", "gaps", "favor"} <= set(data["article"])
    assert any("evidence" in entry for entry in data["removed"])
    json.dumps(data)


def test_favor_recall_keeps_at_least_what_balanced_keeps_and_precision_at_most():
    text = page(
        *HEADER,
        "Bridge reopens after a month",
        *PROSE[:3],
        "Share this",
        "Photo: City council",
        *PROSE[3:6],
        "Read more",
        *FOOTER,
    )
    kept = {
        favor: clean_text(text, Options(favor=favor)).stats.output_words
        for favor in ("precision", "balanced", "recall")
    }
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]


def test_an_unknown_favor_is_an_error():
    from cleaner.errors import CleanerError

    with pytest.raises(CleanerError, match="favor"):
        clean_text("x", Options(favor="greedy"))


def test_a_lone_what_do_you_think_inside_the_first_sites_article_keeps_the_rest():
    text = sample_input("theduran-000").decode("utf-8")
    paragraphs = text.split("\n\n")
    at = next(i for i, part in enumerate(paragraphs) if part.startswith("This of course follows"))
    paragraphs.insert(at + 1, "What do you think?")
    result = clean_text("\n\n".join(paragraphs))
    expected = clean_text(text)
    assert "What do you think?" in result.paragraphs
    assert [p for p in result.paragraphs if p != "What do you think?"] == list(expected.paragraphs)
    assert "View all comments" not in result.text
    assert "Notify of" not in result.text


def test_repeated_rows_inside_the_article_stay_but_a_menu_printed_three_times_goes():
    menu = ["Home", "News", "Sport"]
    interview = []
    for question, answer in [
        ("Favourite bridge?", "The old stone one in the park, because I learned to fish under it."),
        ("Favourite book?", "Anything about engineering, though I read a lot of history as well."),
        ("Favourite place?", "The river bank at dawn, before the traffic starts on the bridge."),
    ]:
        interview += ["Q:", question, "A:", answer]
    text = page(*menu, *menu, "Meet the engineer", *PROSE[:4], *interview, *PROSE[4:7], *menu)
    result = clean_text(text)
    assert result.text.count("Q:") == 3
    assert "Sport" not in result.text


def test_line_features_name_list_table_and_label_shapes():
    assert "marker" in line_shape("- new bearings", 2)
    assert "marker" in line_shape("3. Replace the bearings.", 3)
    assert "pipe-row" in line_shape("North Bridge | 1902 | 210 m", 5)
    assert "label-value" in line_shape("Length: 210 m", 3)
    assert "end:colon" in line_shape("The work took four weeks:", 5)


def test_the_best_path_bridges_a_weak_line_and_cuts_a_long_tail():
    scores = [-2.0, 3.0, 3.0, -0.5, 3.0, 3.0, -1.0, -1.0, -1.0, -1.0, -1.0, 0.5]
    path = article_path(scores, enter_cost=0.0, gap_cost=1.0, gap_line_cost=0.6)
    assert path[:6] == [False, True, True, True, True, True]
    assert not any(path[6:])


def test_page_features_see_the_neighbours_and_the_prose_around():
    lines = [
        PageLine("Menu", 1, False, False, False, 0, None),
        PageLine(PROSE[0], 16, True, True, False, 1, None),
        PageLine("What went wrong", 3, False, False, False, 2, None),
        PageLine(PROSE[1], 16, True, True, False, 3, None),
    ]
    features = page_features(lines)
    assert "mass:none-before" in features[0]
    assert "next:prose" in features[2] and "prev:prose" in features[2]
    assert "cluster:main" in features[2]


ARTICLE_RULE = (builtin_rules_dir() / "generic" / "article.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("[rule.weights]", "[rule.unweighted]"), "weights|unknown key"),
        (('role = "end"', 'role = "middle"'), "role"),
        (("[rule.favor.balanced]", "[rule.favor.greedy]"), "favor"),
        (("gap_line_cost = ", "gap_lines = "), "favor"),
        (('"bias" = ', '"bias" = "high" #'), "must be a number"),
    ],
)
def test_the_article_rule_file_is_checked(tmp_path, change, reason):
    path = tmp_path / "article.toml"
    path.write_text(ARTICLE_RULE.replace(*change, 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=reason):
        build_ruleset([builtin_rules_dir() / "generic" / "structure.toml", path])


DATA = __import__("pathlib").Path(__file__).parent / "data"
CHROME = ["0 0 vote", "Article Rating", "Help us grow. Support The Duran on Patreon!"]
DISCLAIMER = "The statements, views and opinions expressed in this column"


@pytest.mark.parametrize("name", ["article.trafilatura.txt", "article.trafilatura.md"])
def test_extractor_output_keeps_its_lists_tables_and_headings_and_loses_the_chrome(name):
    # trafilatura 2.3's own TXT and Markdown output of tests/data/article.html
    text = (DATA / name).read_text(encoding="utf-8")
    result = clean_text(text)
    for kept in [
        "How the city rebuilt its oldest bridge",
        "What the work involved",
        "Lift the deck with hydraulic jacks.",
        "concrete for the new footings",
        "| Mill Bridge | 1961 | 95 m |",
        "|---|---|---|",
        "starting with the Mill Bridge, which is the busiest of the three.",
        "several shops on the north bank said trade was already picking up.",
    ]:
        assert kept in result.text, kept
    for gone in [*CHROME, DISCLAIMER]:
        assert gone not in result.text, gone
    assert clean_text(result.text).text == result.text


def test_markdown_marks_stay_and_rules_match_the_visible_text():
    text = (DATA / "article.trafilatura.md").read_text(encoding="utf-8")
    result = clean_text(text + "\n- [Share on Facebook](https://facebook.com/sharer)\n")
    assert "## What the work involved" in result.text
    assert "1. Close the bridge to traffic and divert the buses." in result.text
    assert "Share on Facebook" not in result.text
    assert result.title == "# How the city rebuilt its oldest bridge"


def test_one_paragraph_per_line_gives_paragraphs_and_keeps_lists_together():
    text = (DATA / "article.trafilatura.txt").read_text(encoding="utf-8")
    result = clean_text(text)
    assert result.title == "How the city rebuilt its oldest bridge"
    lists = [p for p in result.paragraphs if p.startswith("- steel bearings")]
    assert lists == [
        "- steel bearings from a foundry in the north\n- concrete for the new footings\n"
        "- paint for the railings, in the original green"
    ]
    forced = clean_text(text, Options(paragraphs="blank"))
    assert forced.title is None  # one block of lines: no paragraph of its own is a headline


def test_plain_text_is_not_read_as_markdown_when_told():
    text = "# not a heading\n\nThe *stars* are out tonight, and the [map](x) is on the table.\n"
    assert "*stars*" in clean_text(text, Options(markup="plain")).text


def test_an_end_heading_followed_by_a_comment_thread_ends_the_article():
    thread = []
    for name, said in [
        ("Jane Roe", "I drove over it this morning and it felt solid, a good job by the crews."),
        ("John Poe", "About time too, the detour through the town centre was a nightmare."),
        ("Ann Moe", "Shame it took a month, but the new railings look much better than before."),
    ]:
        thread += [f"{name} says:", "3 days ago", said, "Reply"]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:6], "12 Comments", *thread))
    assert list(result.paragraphs) == PROSE[:6]


def test_an_end_heading_inside_the_article_without_a_thread_after_it_does_not_end_it():
    text = page("Bridge reopens after a month", *PROSE[:4], "Comments", *PROSE[4:8])
    result = clean_text(text)
    assert all(sentence in result.paragraphs for sentence in PROSE)


THREAD = [
    (
        "Jane Roe",
        "I drove over it this morning and it felt solid, a good job by the crews who worked nights.",
    ),
    ("John Poe", "About time too, the detour through the town centre was a nightmare for a whole month."),
    ("Ann Moe", "Shame it took a month, but the new railings look much better than the old ones did."),
    ("Bob Low", "Does anyone know whether the cycle lane on the east side will open again this year?"),
]


def test_a_comment_thread_with_no_heading_ends_the_article_at_its_first_record():
    # No "Comments" heading: the stream of "NAME on DATE said:" records is what ends it,
    # though its bodies read as prose and outweigh the article.
    thread = []
    for day, (name, said) in enumerate(THREAD, 12):
        thread += [f"{name} on September {day}, 2018 at 4:47 pm said:", said, said.replace("a ", "one ")]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:4], *thread))
    assert list(result.paragraphs) == PROSE[:4]
    assert {kinds(result)[line] for line in thread} <= {"comments", "page-footer"}


def test_bylines_of_a_box_inside_the_article_do_not_end_it():
    # A box of teasers, each with its byline, then most of the article: not a comment thread.
    box = []
    for name, said in THREAD[:3]:
        box += [f"By {name}", said]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:2], *box, *PROSE[2:8]))
    assert all(sentence in result.paragraphs for sentence in PROSE)


def test_a_table_of_dated_figures_under_a_header_row_stays_whole():
    # Each row reads as a date to the dateline rule; the block reads as a table.
    rows = [f"{month}/1/2013 +{10 + month}.{month}%" for month in range(1, 13)]
    table = lines_of("Date Change in the toll (YoY)", *rows)
    text = page("Bridge tolls rise", *PROSE[:3], "Data: bridge tolls over time", table, *PROSE[3:6])
    result = clean_text(text)
    assert all(row in result.text for row in rows)
    assert all(sentence in result.paragraphs for sentence in PROSE[:6])


def test_figures_split_by_a_slash_are_table_cells_not_a_breadcrumb():
    rows = [
        f"{rank} Northfield School {rank} {30 + rank}% / {40 + rank}% {rank}.5 $6{rank},000"
        for rank in range(1, 6)
    ]
    text = page("Schools ranked", *PROSE[:3], "The ranking:", lines_of(*rows), *PROSE[3:6])
    result = clean_text(text)
    assert all(row in result.text for row in rows)


def test_a_run_of_short_items_each_in_its_own_paragraph_does_not_end_the_article():
    # Eight short lines that no rule took (the items of a list written as paragraphs) between
    # two parts of the article: the one sentence after them is still the article.
    items = [
        "Check the bearings",
        "Replace the worn bolts",
        "Paint the railings again",
        "Test the deck with lorries",
        "Open the north lane first",
        "Reopen the cycle path",
        "Move the bus stops back",
        "Take down the detour signs",
    ]
    text = page(
        "Bridge reopens after a month", *PROSE[:5], "The crews worked through a list:", *items, PROSE[5]
    )
    result = clean_text(text)
    assert all(sentence in result.paragraphs for sentence in PROSE[:6])
    assert all(item in result.paragraphs for item in items)


TEASERS = [
    (
        "Harbour Festival Draws Record Crowds",
        "Thousands of visitors filled the quay for music, food stalls and fireworks on Saturday night.",
    ),
    (
        "New Library Opens Its Doors",
        "Readers queued from dawn to borrow novels, comics and films from the glass building downtown.",
    ),
    (
        "Local Orchestra Announces Winter Season",
        "Concerts of Haydn, Elgar and new Finnish music will fill the old chapel from December.",
    ),
    (
        "Farmers Market Moves Indoors",
        "Cheese makers, bakers and apple growers will trade in the covered hall until spring.",
    ),
    (
        "School Robotics Team Wins Final",
        "Pupils built a machine that stacked cubes faster than any rival at the national contest.",
    ),
]


def test_a_grid_of_teasers_about_other_things_ends_the_article():
    grid = [part for title, summary in TEASERS for part in (title, summary)]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:6], *grid))
    assert list(result.paragraphs) == PROSE[:6]


def test_sections_of_the_article_under_their_own_subheadings_stay():
    # Subheading, short paragraph, again and again: the paragraphs speak of the article.
    sections = [
        (
            "Cracks Found in the Spring",
            "Engineers found the cracks in the bridge supports during a routine check.",
        ),
        (
            "Supports Replaced by the Crews",
            "The crews replaced both bridge supports and tested the deck with lorries.",
        ),
        (
            "Traffic Back on the Bridge",
            "Traffic returned to the bridge on Monday and the buses were back by noon.",
        ),
        (
            "Council Plans More Inspections",
            "The council said it would inspect every bridge in the city in the autumn.",
        ),
        ("Cost of the Repairs", "The repairs to the bridge cost the city a little over two million pounds."),
    ]
    body = [part for title, text in sections for part in (title, text)]
    result = clean_text(page("Bridge reopens after a month", *PROSE[:4], *body))
    assert all(part in result.paragraphs for part in body)


def test_a_related_heading_near_the_end_ends_the_article_and_an_inline_related_link_does_not():
    links = [
        "Ferry Timetable Changes for Winter",
        "Ring Road Works Start in March",
        "Cycle Lane Plan Goes to Council",
    ]
    text = page("Bridge reopens after a month", *PROSE[:7], "Related stories", *links, PROSE[7])
    result = clean_text(text)
    assert list(result.paragraphs) == PROSE[:7]
    # "Related: TITLE" is a link of its own inside the article: what follows it stays.
    text = page(
        "Bridge reopens after a month", *PROSE[:7], "Related: Ferry Timetable Changes for Winter", PROSE[7]
    )
    assert PROSE[7] in clean_text(text).paragraphs


def test_a_related_heading_that_leads_in_with_a_colon_ends_the_article_too():
    from types import SimpleNamespace

    from cleaner.engine.article_ends import _end_at_list_heading

    # "Related reading from the archive:" ends like a lead-in, not like prose: a heading.
    heading = PageLine("Related reading from the archive:", 5, True, False, False, 8, None, "list")
    titles = [
        PageLine(f"Ferry Timetable Changes for Winter {n}", 6, False, False, False, 9, None) for n in range(4)
    ]
    lines = [
        *(PageLine(text, 16, True, True, False, k, None) for k, text in enumerate(PROSE)),
        heading,
        *titles,
    ]
    numbers = [SimpleNamespace(number=k + 1) for k in range(len(lines))]
    path = [True] * len(lines)
    cut = _end_at_list_heading(SimpleNamespace(lines=lines, source=numbers), path, 100, 0.25)
    assert path == [True] * len(PROSE) + [False] * 5
    assert cut == (len(PROSE) + 1, "a list heading with little of the article after it")
    # A sentence that opens with "Related" is prose of the article, not a heading.
    sentence = PageLine(
        "Related work on the ferry pier will start next spring.", 10, True, True, False, 8, None, "list"
    )
    path = [True] * len(lines)
    page = SimpleNamespace(lines=[*lines[:-5], sentence, *titles], source=numbers)
    assert _end_at_list_heading(page, path, 100, 0.25) is None
    assert all(path)


def test_the_pages_parting_chrome_ends_the_article_and_one_button_inside_it_does_not():
    parting = ["Join the newsletter", "Subscribe", "Follow me on Mastodon or by RSS"]
    after = [
        "In the same vein, here are some further posts.",
        "Ferry Timetable Changes for Winter",
        "The ferry will sail every half hour from November, the operator said.",
        "Ring Road Works Start in March",
        "Why the Old Toll House Still Stands",
    ]
    text = page("Bridge reopens after a month", *PROSE, *parting, *after)
    result = clean_text(text)
    assert list(result.paragraphs) == PROSE
    # explain says why the article ends there, not only that the lines after it score low
    tail = [removal.evidence for removal in result.removals if removal.rule == "article"]
    assert tail and all(
        "which ends at line 19: the page's parting chrome (newsletter, navigation, follow-buttons)" in why
        for why in tail
    )
    # A single sign-up line inside the article is a box of its own: the article goes on.
    text = page("Bridge reopens after a month", *PROSE[:4], "Subscribe", *PROSE[4:])
    assert list(clean_text(text).paragraphs) == PROSE


def test_a_related_link_with_its_title_is_not_the_heading_of_a_box():
    # "💡 Related: TITLE" is one link: the subheading under it is the article's, not the box's.
    link = "💡 Related: Ferry Timetable Changes for Winter"
    text = page("Bridge reopens after a month", *PROSE[:4], link, "2. The cost of the works", *PROSE[4:])
    assert "2. The cost of the works" in clean_text(text).paragraphs


def test_the_article_begins_at_the_headline_with_its_byline_under_it():
    teasers = [
        "Ferry Timetable Changes for Winter",
        "Sail every half hour from November.",
        "Ring Road Works Start in March",
        "One lane closes in each direction.",
        "Why the Old Toll House Still Stands",
        "The trust has plans for a cafe.",
    ]
    head = ["Bridge reopens after a month of repairs", "By Ann Lee", "March 3, 2025"]
    result = clean_text(page(*HEADER, *teasers, *head, *PROSE, *FOOTER))
    assert result.title == head[0]
    assert list(result.paragraphs) == PROSE
    header = [
        removal for removal in result.removals if removal.rule == "article" and removal.kind == "page-header"
    ]
    assert any(
        "which begins at line 23: a headline with its byline" in removal.evidence for removal in header
    )
    # Under a paragraph of the article, a headline with a date is a box inside it, not its start.
    card = ["Read next", "How the Bridge Was Built in 1890", "March 3, 2025"]
    result = clean_text(page(*HEADER, "Bridge reopens", *PROSE[:3], *card, *PROSE[3:], *FOOTER))
    assert all(part in result.paragraphs for part in PROSE)


def test_the_cluster_thresholds_are_the_rule_files(tmp_path):
    # With every plain line weighing 1 (cluster_plain_gap), the short items split the article.
    items = [
        f"Step {word} of the works on the bridge"
        for word in ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    ]
    text = page(
        "Bridge reopens after a month", *PROSE[:5], "The crews worked through a list:", *items, PROSE[5]
    )
    assert PROSE[5] in clean_text(text).paragraphs
    heavier = tmp_path / "article.toml"
    heavier.write_text(
        ARTICLE_RULE.replace("cluster_plain_gap = 0.25", "cluster_plain_gap = 1.0", 1), "utf-8"
    )
    generic = [
        path
        for path in sorted((builtin_rules_dir() / "generic").glob("*.toml"))
        if path.name != "article.toml"
    ]
    rules = build_ruleset([*generic, heavier])
    assert PROSE[5] not in clean_text(text, Options(rules=rules)).paragraphs


LISTICLE = [
    (
        "Harbour Kitchen",
        "Seafood",
        "The oysters come from the bay a mile away, and the kitchen serves them raw, grilled with garlic butter or fried in a light batter with a sharp lemon mayonnaise.",
    ),
    (
        "Corner Noodle Bar",
        "Noodles",
        "A small room with a long counter where the cooks pull the noodles by hand in front of you and serve them in a deep beef broth that simmered all night.",
    ),
    (
        "The Green Table",
        "Vegetarian",
        "Everything on the menu is grown on the owners' farm outside the city, and the menu changes every week with what comes in, from squash in autumn to peas in June.",
    ),
    (
        "Bakery Lane",
        "Cafe",
        "Come early for the cardamom buns, which sell out before ten on most days, and stay for a coffee roasted in the back room by the baker's brother on an old machine.",
    ),
    (
        "Smoke and Salt",
        "Barbecue",
        "The brisket is smoked for fourteen hours over oak, sliced to order and served on butcher paper with pickles, white bread and a vinegar sauce learned in Texas.",
    ),
    (
        "Little Lisbon",
        "Portuguese",
        "Salt cod fritters, grilled sardines and custard tarts from a family that moved here from Porto twenty years ago and still buys its olive oil from the same press.",
    ),
]


def listicle_page() -> str:
    parts = [*HEADER, "The best new restaurants in town this month", PROSE[0], PROSE[1]]
    for n, (name, cuisine, text) in enumerate(LISTICLE):
        site = name.lower().replace(" ", "") + ".com"
        parts += [f"Image: Courtesy of {name}", name, lines_of(cuisine, "Old Town", site), text]
        parts.append(
            lines_of(f"{12 + n} Harbour Road", f"555-01{n:02d}-{n}{n}{n}", "Google Maps", "Apple Maps")
        )
    return page(*parts, *FOOTER)


def test_a_listicle_keeps_every_entry_past_the_address_and_map_lines():
    # Each entry's paragraph is parted from the next by more non-prose lines than a cluster
    # bridges; the entries are the article all the same, as the page goes on as it began.
    result = clean_text(listicle_page())
    for _, _, text in LISTICLE:
        assert text in result.paragraphs
    assert "Careers" not in result.text


def test_the_main_span_joins_clusters_of_one_article_but_not_across_a_page_end():
    def prose(block: int) -> PageLine:
        return PageLine(PROSE[0], 16, True, True, False, block, None)

    def chrome(block: int, kind: str | None = None) -> PageLine:
        return PageLine("Harbour Road", 2, False, False, False, block, kind)

    first = [prose(0), prose(0), prose(0)]
    gap = [chrome(1)] * 8  # heavier than cluster_gap: the clusters are two
    second = [prose(2), prose(2)]
    span = _clusters([*first, *gap, *second], 6, 0.25, 0.5, frozenset({"copyright"}))
    assert span[:2] == (0, 12)  # the second is over half the first: one article
    parted = [*gap[:4], chrome(1, "copyright"), *gap[5:]]
    span = _clusters([*first, *parted, *second], 6, 0.25, 0.5, frozenset({"copyright"}))
    assert span[:2] == (0, 2)  # a copyright line between them: the end of a page
    assert span[2][11] == 3  # the second is a cluster of its own, over half the first
    smaller = [*first, *gap, prose(2)]
    assert _clusters(smaller, 6, 0.25, 0.5, frozenset())[:2] == (0, 2)  # a third: not main


def test_a_menu_printed_twice_goes_and_a_list_said_once_stays():
    menu = lines_of("Video Ads", "Product Videos", "Event Videos", "Photography", "Our Work")
    items = lines_of("- steel bearings", "- concrete footings", "- railing paint", "- deck plates")
    text = page(
        menu, "Bridge reopens after a month", *PROSE[:4], "The crews brought:", items, *PROSE[4:6], menu
    )
    result = clean_text(text)
    assert "Event Videos" not in result.text
    assert "- concrete footings" in result.text
    assert {removal.rule for removal in result.removals if "Video Ads" in removal.lines[0].text} == {
        "repeated-menu"
    }


def test_a_reference_list_at_the_end_is_not_article_text():
    citations = [
        "Smith J, Jones K. Load tests of steel road bridges. Bridge Engineering 2019;12:40-52.",
        "Brown A. Corrosion of bearings in river crossings. Civil Review 2020;8:5-19.",
    ]
    text = page("Bridge reopens after a month", *PROSE, "References", *citations)
    result = clean_text(text)
    assert list(result.paragraphs) == PROSE
    assert kinds(result)["References"] == "related-links"
    # A sentence that speaks of references is not a heading.
    said = "The engineers checked the references of every contractor before the work began."
    text = page("Bridge reopens after a month", *PROSE[:6], said, *PROSE[6:])
    assert said in clean_text(text).paragraphs


def test_a_table_written_one_row_per_paragraph_stays_with_the_article():
    rows = [f"{day} September 10am-12pm North Bridge, with guide Ann Lee" for day in (3, 10, 17, 24)]
    text = page(*HEADER, "Bridge walks this autumn", *PROSE[:3], *rows, *PROSE[3:6], *FOOTER)
    result = clean_text(text)
    assert [row in result.paragraphs for row in rows] == [True] * 4
    assert "Careers" not in result.text


def test_a_ticker_of_single_figures_is_not_a_table():
    ticker = ["S&P 500", "+0.9%", "+59.74", "NASDAQ", "+1.3%", "+301.26", "Bitcoin", "+0.1%"]
    result = clean_text(page(*HEADER, *ticker, "Bridge reopens after a month", *PROSE[:6], *FOOTER))
    assert "+301.26" not in result.text
    assert list(result.paragraphs) == PROSE[:6]


def test_a_schedule_between_the_headline_and_the_text_is_not_the_headline():
    rows = [f"{day} September 10am-12pm North Bridge, with guide Ann Lee" for day in (3, 10, 17, 24)]
    result = clean_text(page(*HEADER, "Bridge walks this autumn", *rows, *PROSE[:6], *FOOTER))
    assert result.title == "Bridge walks this autumn"
    assert [row in result.paragraphs for row in rows] == [True] * 4


@pytest.mark.parametrize(
    "heading",
    [
        "More Great Harbour Stories",
        "Read More News on",
        "More from the harbour desk.",
        "Post navigation",
        "Check out next:",
        "You may be interested in these stories as well:",
        "👉 You might also like:",
        "More by this writer",
        "More stories you'll enjoy:",
    ],
)
def test_a_related_heading_may_name_the_site_or_the_topic(heading):
    links = ["The strange life of a ferry captain", "How the tide tables are made", "Ten bridges to walk"]
    result = clean_text(page("Bridge reopens after a month", *PROSE, heading, *links))
    assert list(result.paragraphs) == PROSE
    assert kinds(result)[heading] == "related-links"


def test_lines_the_model_is_sure_of_above_the_headline_stay():
    # The nearest headline-shaped line above the prose is a subheading here: the lines above it
    # read as the article (short exclamations and captions of a photo story), so they stay.
    lead = [
        "The sky was clear!",
        "Bands played on both banks of the river until the light went",
        "What a day it was!",
        "Children ran ahead of their parents across the new deck of the bridge",
        "The first walkers!",
        "Some of them had waited on the bank since six in the morning",
        "Why we came to the river!",
    ]
    result = clean_text(page(*HEADER, "A walk over the new bridge", *lead, *PROSE[:6], *FOOTER))
    kept = result.text.splitlines()
    assert [line in kept for line in lead[1:]] == [True] * 6
    assert list(result.paragraphs)[-6:] == PROSE[:6]


def test_a_block_the_article_takes_most_of_it_takes_whole():
    # A schedule written as one block: its row with a slash in it is a row, not a breadcrumb.
    rows = [
        "Walk 1: 4 May – the mill race and the weir",
        "Walk 2: 11 May – North Quay / Ferry Steps",
        "Walk 3: 18 May – the iron bridge",
        "Walk 4: 25 May – Lock Lane",
        "Walk 5: 1 June – the towpath to the boathouse at Kings Reach",
        "Walk 6: 8 June – Market Stairs",
        "Walk 7: 15 June – guide to be named",
        "Walk 8: 22 June – the swing bridge",
        "Walk 9: 29 June – Harbour Wall",
        "Walk 10: 6 July – the long way round the old dock basin",
    ]
    notes = ["* Walks may move if the river is high, so check the week before."]
    text = page(
        *HEADER,
        "Bridge walks this summer",
        "The walks of the summer",
        lines_of(*rows),
        *notes,
        *PROSE[:4],
        *FOOTER,
    )
    result = clean_text(text)
    assert lines_of(*rows) in result.text
    assert "Walk 2: 11 May – North Quay / Ferry Steps" not in kinds(result)


def test_a_price_list_written_one_cell_per_paragraph_stays_with_the_article():
    cells = [
        "Repainting a footbridge",
        "$2,400 - $3,100+",
        "New handrails on one side",
        "$650 - $900+",
        "Resurfacing the deck",
        "$1,200 - $1,800+",
        "Lighting for the approach path",
        "$400 - $750+",
    ]
    result = clean_text(page(*HEADER, "Bridge repairs: what they cost", *cells, *PROSE[:6], *FOOTER))
    assert [cell in result.paragraphs for cell in cells] == [True] * len(cells)
    assert list(result.paragraphs)[-6:] == PROSE[:6]


def test_teasers_with_a_dated_label_under_each_title_are_not_a_table():
    teasers = []
    for title, day in [
        ("Ferries", "6.7.19"),
        ("Tides", "5.3.19"),
        ("Canals", "3.20.19"),
        ("Locks", "9.30.19"),
    ]:
        teasers += [f"{title} and the city in one short read", "Morning Brief", f"Morning Brief {day}"]
    result = clean_text(page(*HEADER, "Bridge reopens after a month", *PROSE[:6], *teasers, *FOOTER))
    assert list(result.paragraphs) == PROSE[:6]


def test_the_authors_biography_ends_the_article_but_a_profile_of_someone_else_stays():
    bio = "Ann Lee is a reporter at the Courier. She covers the city council and its roads."
    result = clean_text(
        page("Bridge reopens after a month", "By Ann Lee", *PROSE, bio, "Ten bridges to walk")
    )
    assert list(result.paragraphs) == PROSE
    assert kinds(result)[bio] == "author-bio"
    profile = "Tom Hill is a ferryman on the river. He has carried walkers across it for forty years."
    result = clean_text(page("Bridge reopens after a month", "By Ann Lee", *PROSE, profile))
    assert list(result.paragraphs) == [*PROSE, profile]


@pytest.mark.parametrize("handle", ["(@annlee)", "(ann.lee@courier.example)"])
def test_a_biography_that_gives_the_authors_handle_after_the_name_ends_the_article(handle: str):
    bio = f"Ann Lee {handle} is a reporter at the Courier. She covers the city council and its roads."
    result = clean_text(
        page("Bridge reopens after a month", "Written by Ann Lee", *PROSE, bio, "More from Ann Lee")
    )
    assert list(result.paragraphs) == PROSE
    assert kinds(result)[bio] == "author-bio"


def test_an_about_the_authors_box_ends_the_article():
    box = [
        "About the Authors",
        "Ann Lee",
        "Senior Reporter, the Courier",
        "Ann Lee writes about roads, bridges and the people who look after them for the paper.",
    ]
    result = clean_text(page("Bridge reopens after a month", *PROSE, *box))
    assert list(result.paragraphs) == PROSE
    assert kinds(result)["About the Authors"] == "author-bio"


def test_an_end_heading_with_little_of_the_article_after_it_ends_the_article():
    note = "She teaches engineering at the college in the town and walks over the bridge every day."
    result = clean_text(page("Bridge reopens after a month", *PROSE, "About the author", "Ann Lee", note))
    assert list(result.paragraphs) == PROSE


@pytest.mark.parametrize(
    ("text", "is_bio"),
    [
        ("Ann is the roads editor at the Courier. She writes about bridges and ferries.", True),
        (
            "Ann is the roads editor at the Courier. Drawing on ten years of reporting, she writes"
            " about bridges, ferries and the people who run them.",
            True,
        ),
        ("Ann is the roads editor at the Courier. The paper covers the city and its river.", False),
    ],
)
def test_a_biographys_second_sentence_speaks_of_its_subject_early(text, is_bio):
    from cleaner.engine.structure import ArticleRule

    rules = build_ruleset(sorted((builtin_rules_dir() / "generic").glob("*.toml")))
    article = next(rule for rule in rules.generic if isinstance(rule, ArticleRule))
    bio = [heading for heading in article.headings if heading.role == "bio"]
    assert any(heading.matches(text, len(text.split())) for heading in bio) == is_bio


def test_a_long_paragraph_beside_the_article_stays_though_it_ends_without_a_full_stop():
    from types import SimpleNamespace

    from cleaner.engine.article_ends import _keep_adjacent_prose

    text = " ".join(PROSE[:3]) + " It was a day to remember"  # prose, but no sentence end
    lines = [
        PageLine("Share this", 2, False, False, False, 0, None),
        PageLine(text, 50, False, True, False, 1, None),
        PageLine(PROSE[3], 16, True, True, False, 2, None),
    ]
    page = SimpleNamespace(lines=lines, removed=[False] * 3)
    path = [False, False, True]
    _keep_adjacent_prose(page, path, [-3.0, -0.5, 2.0], -1.0, 20)
    assert path == [False, True, True]


def test_the_authors_biography_ends_the_article_when_a_page_end_follows_it():
    bio = "Ann Lee is a staff writer at the Courier"
    teasers = [
        "A ferry captain remembers forty winters on the river, and the night the ice came in early.",
        "Ten walks along the old canal, with maps, the best cafes and where to park on a Sunday.",
        "Why the tide tables are still printed by hand in a small office above the harbour shop.",
        "The last lighthouse keeper on the coast talks about the storms he saw from the lamp room.",
        "How a village saved its railway station with a bake sale, a petition and a brass band.",
        "A guide to the birds of the estuary in winter, from the curlew to the brent goose.",
    ]
    text = page("Bridge reopens after a month", "By Ann Lee", *PROSE, bio, "Subscribe", *teasers)
    result = clean_text(text)
    assert list(result.paragraphs) == PROSE
    assert kinds(result)[bio] == "author-bio"
