"""The engine's output is the reference's, byte for byte: text and JSON (see tests/reference.py)."""

from __future__ import annotations

import json

import pytest

from tests.reference import REFERENCE, render

CASES = json.loads((REFERENCE / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_is_the_reference(case):
    spec = CASES[case]
    text = (REFERENCE / f"{spec['input']}.input.txt").read_bytes().decode("utf-8")
    out_text, out_json = render(text, spec["options"])
    assert out_text == (REFERENCE / f"{case}.expected.txt").read_bytes().decode("utf-8")
    assert out_json == (REFERENCE / f"{case}.expected.json").read_bytes().decode("utf-8")


def test_the_reference_covers_repairs_removals_and_options():
    objects = [
        json.loads((REFERENCE / f"{case}.expected.json").read_text(encoding="utf-8")) for case in CASES
    ]
    assert sum(len(o["repairs"]) for o in objects) > 100
    assert sum(len(o["removed"]) for o in objects) > 1000
    assert len({json.dumps(spec["options"], sort_keys=True) for spec in CASES.values()}) >= 7
