"""`rules suggest` on a site whose pages lay the same chrome out in other orders: every block
it proposes fits the pages it came from, its own example included."""

from __future__ import annotations

import builtins
from collections import Counter

import cleaner.rulebook.drafting
import cleaner.rulebook.mining
from cleaner import Options, clean_text
from cleaner.engine.ruleset import RuleSet
from cleaner.rulebook.rulefiles import build_ruleset
from cleaner.rulebook.suggest import suggest
from tests.conftest import CASES, sample_input, sample_spec

RATING = ["0 0 vote", "Article Rating"]
DONATION = ["Help us grow. Support The Duran on Patreon!"]
DISCLAIMER = [
    "The statements, views and opinions expressed in this column are solely those of the author "
    "and do not necessarily represent those of The Duran."
]
COMMENTS = ["What do you think?", "", "Notify of", "Inline Feedbacks", "View all comments"]
REQUIRED_KINDS = {"category-residue", "comment-widget", "disclaimer", "rating-widget", "donation-plea"}


def page(case: str, title: str, head: list[list[str]], tail: list[list[str]]) -> str:
    """A page of the seeds' site: `case`'s article, with the chrome groups in another order."""
    body = [line for line in sample_input(case).decode().split("\n") if len(line.split()) > 15]
    body = [line for line in body if not line.startswith("The statements")]
    lines = ["in ,", "", title, ""]
    for group in head:
        lines += [*group, ""]
    for line in body:
        lines += [line, ""]
    for group in tail:
        lines += [*group, ""]
    return "\n".join(lines) + "\n"


def batch() -> list[tuple[str, str]]:
    seeds = [(case, sample_input(case).decode()) for case in CASES]
    return [
        *seeds,
        ("other-1", page(CASES[0], "Some headline here", [], [COMMENTS, DONATION, RATING, DISCLAIMER])),
        ("other-2", page(CASES[1], "Another headline", [DISCLAIMER, COMMENTS, DONATION, RATING], [])),
    ]


def test_blocks_in_other_orders_fit_their_pages_and_none_is_dropped(tmp_path):
    suggestion = suggest(batch(), RuleSet())
    assert suggestion.dropped == ()
    path = tmp_path / "proposed.toml"
    path.write_text(suggestion.toml(), encoding="utf-8")
    ruleset = build_ruleset([path])  # every example of every rule passes, or this raises
    for case in CASES:
        result = clean_text(sample_input(case).decode(), Options(rules=ruleset))
        removed = {line.text for removal in result.removals for line in removal.lines}
        kept = [r["text"] for r in sample_spec(case)["removed"] if r["kind"] in REQUIRED_KINDS]
        kept = [text for text in kept if text not in removed]
        assert kept == [], f"{case}: chrome kept"


def test_a_blocks_places_are_made_a_set_once_not_once_per_line(monkeypatch):
    # Quadratic before: the list of a block's places became a set again for each occurrence
    # of each of its lines, so the most conversions of one list grew with the batch.
    made: list[object] = []

    def counting(*args):
        if args and isinstance(args[0], list):
            made.append(args[0])  # kept alive, so that no other list takes its id
        return builtins.set(*args)

    for module in (cleaner.rulebook.mining, cleaner.rulebook.drafting):
        monkeypatch.setattr(module, "set", counting, raising=False)
    most = []
    for copies in (1, 3):
        made.clear()
        documents = [(f"{case}-{n}", sample_input(case).decode()) for n in range(copies) for case in CASES]
        suggestion = suggest(documents, RuleSet())
        assert any('type = "block"' in rule.toml for rule in suggestion.rules)
        most.append(max(Counter(id(places) for places in made).values()))
    assert most[0] == most[1] <= 2
