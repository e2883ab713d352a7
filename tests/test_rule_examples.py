"""Every built-in rule: examples that pass (of both kinds, or it would not load), and no
knowledge of the samples."""

from __future__ import annotations

import pytest
import regex

from cleaner import load_rules
from cleaner.errors import RuleFileError
from cleaner.rulebook.examples import check_rule
from cleaner.rulebook.rulefiles import builtin_rules_dir
from tests.conftest import CASES, sample_expected

RULES = load_rules(check_examples=False)


@pytest.mark.parametrize("rule", RULES.all_rules, ids=lambda rule: rule.id)
def test_rule_examples_pass(rule):
    assert check_rule(rule, RULES.settings) == []


CHANGES = '[[rule.example]]\ninput = "Sponsored by Acme\\n"\noutput = ""\n'
KEEPS = '[[rule.example]]\ninput = "Acme sponsored the race.\\n"\n'


@pytest.mark.parametrize(
    "examples", [CHANGES, KEEPS, CHANGES + CHANGES, ""], ids=["changes", "keeps", "two-changes", "none"]
)
def test_the_loader_refuses_a_rule_without_examples_of_both_kinds(tmp_path, examples):
    # Why every loaded rule has both: one that lacks either kind never loads.
    rule = '[[rule]]\nid = "sponsor"\ntype = "line"\nkind = "sponsor"\ndescription = "A sponsor line."\n'
    path = tmp_path / "rule.toml"
    path.write_text(rule + "pattern = 'Sponsored by .+'\n" + examples, encoding="utf-8")
    with pytest.raises(RuleFileError) as refused:
        load_rules([path], builtin=False)
    assert str(refused.value) == (
        f"{path}: rule 'sponsor': needs examples of both kinds: one it changes and one it leaves alone"
    )
    path.write_text(rule + "pattern = 'Sponsored by .+'\n" + CHANGES + KEEPS, encoding="utf-8")
    assert [r.id for r in load_rules([path], builtin=False).all_rules] == ["sponsor"]


def test_no_rule_file_quotes_a_sample_body_sentence():
    rule_text = " ".join(
        path.read_text(encoding="utf-8") for path in sorted(builtin_rules_dir().rglob("*.toml"))
    )
    rule_text = " ".join(rule_text.split())
    for case in CASES:
        body = sample_expected(case).split("\n\n")[1:]
        for paragraph in body:
            for sentence in regex.split(r"(?<=[.!?”])\s+", paragraph):
                words = sentence.split()
                for start in range(len(words) - 7):
                    assert " ".join(words[start : start + 8]) not in rule_text


def test_no_rule_file_names_line_numbers():
    for path in builtin_rules_dir().rglob("*.toml"):
        assert not regex.search(r"(?m)^\s*(?:line|lines|line_number)\s*=", path.read_text())
