"""Golden files: each sample cleans to its expected text, JSON and list of removals."""

from __future__ import annotations

import json

import pytest

from cleaner import Options, clean_bytes, clean_text
from cleaner.engine.rendering import to_object
from tests.conftest import CASES, SAMPLES, sample_expected, sample_input, sample_spec


def removed_lines(result) -> list[tuple[int, str, str]]:
    return [(line.number, r.kind, line.text) for r in result.removals for line in r.lines]


def spec_lines(case: str) -> list[tuple[int, str, str]]:
    return [(r["line"], r["kind"], r["text"]) for r in sample_spec(case)["removed"]]


@pytest.mark.parametrize("case", CASES)
def test_text_is_exactly_expected(case):
    assert clean_bytes(sample_input(case)).text == sample_expected(case)


@pytest.mark.parametrize("case", CASES)
def test_removals_are_exactly_the_specified_lines_and_kinds(case):
    result = clean_bytes(sample_input(case))
    assert removed_lines(result) == spec_lines(case)
    spec = sample_spec(case)
    assert result.title == spec["title"]
    assert len(result.paragraphs) == spec["paragraphs"]


@pytest.mark.parametrize("case", CASES)
def test_json_matches_snapshot(case):
    expected = json.loads((SAMPLES / f"{case}.expected.json").read_text(encoding="utf-8"))
    assert to_object(clean_bytes(sample_input(case)), "<stdin>") == expected


@pytest.mark.parametrize("case", CASES)
def test_cleaning_the_output_changes_nothing(case):
    once = clean_bytes(sample_input(case)).text
    twice = clean_text(once)
    assert twice.text == once
    assert twice.removals == ()


@pytest.mark.parametrize("case", CASES)
def test_every_removal_names_a_loaded_rule(case, builtin_rules):
    ids = {rule.id for rule in builtin_rules.all_rules}
    result = clean_bytes(sample_input(case), Options(rules=builtin_rules))
    assert result.removals
    assert {removal.rule for removal in result.removals} <= ids
