"""The multi-string gate in front of the line rules (hyperscan, the fast extra) lets through
exactly the rules the standard library's requirement test does, so output is the same."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Options, clean_text, load_rules
from cleaner.engine import gate, pipeline
from cleaner.engine.explain import explain
from cleaner.engine.gate import RequiredGate, hyperscan_module, stdlib_mask
from cleaner.engine.vocabulary import LineRule, LineRuleGroup
from cleaner.text.prefilter import fold
from tests.reference import REFERENCE, render
from tests.test_page_shape import texts

hyperscan = pytest.importorskip("hyperscan")

CASES = json.loads((REFERENCE / "cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def requirements():
    return [rule.pattern.required for rule in load_rules().all_rules if isinstance(rule, LineRule)]


@pytest.fixture(scope="module")
def built(requirements):
    return RequiredGate(requirements, hyperscan)


def test_the_gate_lets_through_what_the_requirements_do_on_sample_texts(requirements, built):
    for text in texts():
        assert built.mask(text, fold(text)) == stdlib_mask(requirements, text, fold(text)), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("share this cookie Privacy 0123 ’–…ßÜüİ é\u00a0|@:"), max_size=50))
def test_the_gate_lets_through_what_the_requirements_do_on_any_text(requirements, built, text):
    assert built.mask(text, fold(text)) == stdlib_mask(requirements, text, fold(text))


def test_the_heading_gate_lets_through_what_the_requirements_do_on_sample_texts():
    headings = [h.pattern.required for r in load_rules().all_rules for h in getattr(r, "headings", ())]
    assert headings
    built = RequiredGate(headings, hyperscan)
    for text in texts():
        assert built.mask(text, fold(text)) == stdlib_mask(headings, text, fold(text)), text


@pytest.fixture
def gated(monkeypatch):
    """Every line rule group, and the article rule's headings, build their gate on the first text."""
    monkeypatch.setattr(gate, "GATE_AFTER_TEXTS", 0)
    monkeypatch.setattr(pipeline, "_STEPS", {})
    monkeypatch.setattr(gate, "_SHARED", {})
    yield
    assert any(
        isinstance(step, LineRuleGroup) and step._gate._gate is not None
        for _, steps in pipeline._STEPS.values()
        for step in steps
    ), "no gate was built"
    assert any(made._gate is not None for _, made in gate._SHARED.values()), "no heading gate"


@pytest.mark.parametrize("case", sorted(CASES)[::3])
def test_output_with_the_gate_is_the_reference(gated, case):
    spec = CASES[case]
    text = (REFERENCE / f"{spec['input']}.input.txt").read_bytes().decode("utf-8")
    out_text, out_json = render(text, spec["options"])
    assert out_text == (REFERENCE / f"{case}.expected.txt").read_bytes().decode("utf-8")
    assert out_json == (REFERENCE / f"{case}.expected.json").read_bytes().decode("utf-8")


def test_explain_is_the_same_with_and_without_the_gate(monkeypatch):
    pages = [(REFERENCE / f"{CASES[case]['input']}.input.txt").read_text(encoding="utf-8") for case in CASES]
    pages = pages[:12]
    monkeypatch.setenv("CLEANER_NO_HYPERSCAN", "1")
    monkeypatch.setattr(pipeline, "_STEPS", {})
    monkeypatch.setattr(gate, "_SHARED", {})
    monkeypatch.setattr(gate, "GATE_AFTER_TEXTS", 0)
    assert hyperscan_module() is None
    plain = [explain(page, clean_text(page, Options())) for page in pages]
    monkeypatch.delenv("CLEANER_NO_HYPERSCAN")
    monkeypatch.setattr(pipeline, "_STEPS", {})
    monkeypatch.setattr(gate, "_SHARED", {})
    assert [explain(page, clean_text(page, Options())) for page in pages] == plain
