"""Every built-in rule: examples of both kinds that pass, and no knowledge of the samples."""

from __future__ import annotations

import pytest
import regex

from cleaner import load_rules
from cleaner.examples import check_rule
from cleaner.rulefiles import builtin_rules_dir
from tests.conftest import CASES, sample_expected

RULES = load_rules(check_examples=False)


@pytest.mark.parametrize("rule", RULES.all_rules, ids=lambda rule: rule.id)
def test_rule_examples_pass(rule):
    assert check_rule(rule, RULES.settings) == []


@pytest.mark.parametrize("rule", RULES.all_rules, ids=lambda rule: rule.id)
def test_rule_has_examples_of_both_kinds(rule):
    assert any(example.output is None for example in rule.examples)
    assert any(example.output is not None for example in rule.examples)
    assert rule.description


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
